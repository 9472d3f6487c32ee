// SPDX-License-Identifier: MPL-2.0
// Config fragments for database access, in the kit's style: `dbConfig('READER')` gives the TypeBox
// properties `DB_READER_HOST/PORT/USER/PASSWORD` plus the shared `DB_NAME` and pool settings; the
// password variables are the ones named in SECRETS (topology.ts).
import { ConfigError, SECRETS } from '@persona/kit'
import { type TProperties, Type } from 'typebox'
import { DEFAULT_TOKEN_LIFETIME_MS } from './tokens.ts'

export type DbRole = 'READER' | 'WRITER' | 'ADMIN'

const PASSWORD_ENV: Record<DbRole, string> = {
  READER: SECRETS.dbReaderPassword.env,
  WRITER: SECRETS.dbWriterPassword.env,
  ADMIN: SECRETS.dbAdminPassword.env,
}

/** The MariaDB account each role uses. */
export const DB_ACCOUNTS: Record<DbRole, string> = {
  READER: 'persona_reader',
  WRITER: 'persona_writer',
  ADMIN: 'persona_admin',
}

export const DEFAULT_DB_NAME = 'persona'

/** Env names of a role's connection settings, e.g. DB_READER_HOST. */
export function dbEnv(role: DbRole): { host: string; port: string; user: string; password: string } {
  return {
    host: `DB_${role}_HOST`,
    port: `DB_${role}_PORT`,
    user: `DB_${role}_USER`,
    password: PASSWORD_ENV[role],
  }
}

/** Schema properties for one role's connection, pool sizes and timeouts. */
export function dbConfig(role: DbRole): TProperties {
  const env = dbEnv(role)
  const side = role === 'READER' ? 'the replica' : 'the master'
  return {
    [env.host]: Type.String({ default: '127.0.0.1', minLength: 1, description: `host of ${side}` }),
    [env.port]: Type.Integer({ minimum: 1, maximum: 65535, default: 3306, description: `port of ${side}` }),
    [env.user]: Type.String({ default: DB_ACCOUNTS[role], minLength: 1, description: 'MariaDB account' }),
    [env.password]: Type.String({ minLength: 1, description: `password of ${DB_ACCOUNTS[role]}` }),
    DB_NAME: Type.String({
      default: DEFAULT_DB_NAME,
      pattern: '^[A-Za-z0-9_]{1,64}$',
      description: 'database',
    }),
    DB_POOL_MAX: Type.Integer({
      minimum: 1,
      maximum: 500,
      default: 10,
      description: 'connections per process',
    }),
    DB_CONNECT_TIMEOUT_MS: Type.Integer({
      minimum: 100,
      maximum: 60000,
      default: 2000,
      description: 'TCP connect + handshake limit',
    }),
    DB_ACQUIRE_TIMEOUT_MS: Type.Integer({
      minimum: 100,
      maximum: 60000,
      default: 2000,
      description: 'how long a query waits for a pooled connection before failing with 503',
    }),
    DB_QUERY_TIMEOUT_MS: Type.Integer({
      minimum: 100,
      maximum: 600000,
      default: 5000,
      description: 'server-side statement limit (max_statement_time)',
    }),
    ...(role === 'READER'
      ? {
          DB_GTID_WAIT_MS: Type.Integer({
            minimum: 0,
            maximum: 30000,
            default: 1000,
            description: 'read-your-writes: how long a read waits for the replica to reach a GTID',
          }),
        }
      : {}),
  }
}

/** Lifetime of staged (mailed) tokens, for the writer. */
export function tokenConfig(): TProperties {
  return {
    STAGED_TOKEN_LIFETIME_MS: Type.Integer({
      minimum: 60000,
      maximum: 30 * 24 * 3600 * 1000,
      default: DEFAULT_TOKEN_LIFETIME_MS,
      description: 'how long a mailed link stays valid (Persona: forever)',
    }),
  }
}

/** Resolved connection settings, independent of env names. */
export interface DbSettings {
  readonly host: string
  readonly port: number
  readonly user: string
  readonly password: string
  readonly database: string
  /** Connect through a unix socket instead of host/port (launcher and CLI only). */
  readonly socketPath?: string
  readonly poolMax?: number
  readonly connectTimeoutMs?: number
  readonly acquireTimeoutMs?: number
  readonly queryTimeoutMs?: number
  readonly gtidWaitMs?: number
}

function str(cfg: Readonly<Record<string, unknown>>, key: string): string {
  const v = cfg[key]
  if (typeof v === 'string') return v
  throw new ConfigError(`configuration value ${key} is missing`)
}

function int(cfg: Readonly<Record<string, unknown>>, key: string, dflt: number): number {
  const v = cfg[key]
  if (v === undefined) return dflt
  if (typeof v === 'number' && Number.isInteger(v)) return v
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v)
  throw new ConfigError(`configuration value ${key} must be an integer`)
}

/** Reads a role's settings out of a loaded config (built with `dbConfig(role)`). */
export function dbSettings(cfg: Readonly<Record<string, unknown>>, role: DbRole): DbSettings {
  const env = dbEnv(role)
  return {
    host: str(cfg, env.host),
    port: int(cfg, env.port, 3306),
    user: str(cfg, env.user),
    password: str(cfg, env.password),
    database: typeof cfg.DB_NAME === 'string' ? cfg.DB_NAME : DEFAULT_DB_NAME,
    poolMax: int(cfg, 'DB_POOL_MAX', 10),
    connectTimeoutMs: int(cfg, 'DB_CONNECT_TIMEOUT_MS', 2000),
    acquireTimeoutMs: int(cfg, 'DB_ACQUIRE_TIMEOUT_MS', 2000),
    queryTimeoutMs: int(cfg, 'DB_QUERY_TIMEOUT_MS', 5000),
    gtidWaitMs: int(cfg, 'DB_GTID_WAIT_MS', 1000),
  }
}

/** The env a service needs to reach a database as `role` (used by the dev launcher and tests). */
export function dbEnvFor(
  role: DbRole,
  at: { host: string; port: number },
  password: string,
  database = DEFAULT_DB_NAME,
): Record<string, string> {
  const env = dbEnv(role)
  return {
    [env.host]: at.host,
    [env.port]: String(at.port),
    [env.user]: DB_ACCOUNTS[role],
    [env.password]: password,
    DB_NAME: database,
  }
}
