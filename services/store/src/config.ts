// SPDX-License-Identifier: MPL-2.0
// Config fragments for database access, in the kit's style: `dbConfig('READER')` gives the typed TypeBox
// properties `DB_READER_HOST/PORT/USER/PASSWORD` plus the shared `DB_NAME` and pool settings; the
// password variables are the ones named in SECRETS (topology.ts).
import { keyed, SECRETS } from '@persona/kit'
import { Type } from 'typebox'
import { DEFAULT_TOKEN_LIFETIME_MS } from './tokens.ts'

export type DbRole = 'READER' | 'WRITER' | 'ADMIN'

const PASSWORD_ENV = {
  READER: SECRETS.dbReaderPassword.env,
  WRITER: SECRETS.dbWriterPassword.env,
  ADMIN: SECRETS.dbAdminPassword.env,
} as const satisfies Record<DbRole, string>

/** The MariaDB account each role uses. */
export const DB_ACCOUNTS: Record<DbRole, string> = {
  READER: 'persona_reader',
  WRITER: 'persona_writer',
  ADMIN: 'persona_admin',
}

/**
 * The replication account (replicas to the master): one name for the MariaDB image's replicas, the init
 * job's first-start SQL, the local launcher and failover's repointing.
 */
export const REPLICATION_ACCOUNT = 'repl'

export const DEFAULT_DB_NAME = 'persona'

export interface DbEnvNames<R extends DbRole> {
  readonly host: `DB_${R}_HOST`
  readonly port: `DB_${R}_PORT`
  readonly user: `DB_${R}_USER`
  readonly password: (typeof PASSWORD_ENV)[R]
}

/** Env names of a role's connection settings, e.g. DB_READER_HOST. */
export function dbEnv<R extends DbRole>(role: R): DbEnvNames<R> {
  return {
    host: `DB_${role}_HOST`,
    port: `DB_${role}_PORT`,
    user: `DB_${role}_USER`,
    password: PASSWORD_ENV[role],
  }
}

/** Schema properties for one role's connection, pool sizes and timeouts. */
export function dbConfig<R extends DbRole>(role: R) {
  const env = dbEnv(role)
  const side = role === 'READER' ? 'the replica' : 'the master'
  return {
    ...keyed(env.host, Type.String({ default: '127.0.0.1', minLength: 1, description: `host of ${side}` })),
    ...keyed(
      env.port,
      Type.Integer({ minimum: 1, maximum: 65535, default: 3306, description: `port of ${side}` }),
    ),
    ...keyed(
      env.user,
      Type.String({ default: DB_ACCOUNTS[role], minLength: 1, description: 'MariaDB account' }),
    ),
    ...keyed(env.password, Type.String({ minLength: 1, description: `password of ${DB_ACCOUNTS[role]}` })),
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
    DB_TLS_CA: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          "CA file: connect over TLS, checking the server's certificate and name against it (writers reaching a master in another region)",
      }),
    ),
  }
}

/** The replica side's connection settings plus its read-your-writes wait. */
export function replicaDbConfig() {
  return {
    ...dbConfig('READER'),
    DB_GTID_WAIT_MS: Type.Integer({
      minimum: 0,
      maximum: 30000,
      default: 1000,
      description: 'read-your-writes: how long a read waits for the replica to reach a GTID',
    }),
  }
}

/** Lifetime of staged (mailed) tokens, for the writer. */
export function tokenConfig() {
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
  /** Connect over TLS, verifying the server against this CA file. */
  readonly tlsCaFile?: string
}

/** A loaded config holding a role's settings (built with `dbConfig(role)`). */
export type DbConfigValues<R extends DbRole> = {
  readonly [K in DbEnvNames<R>['host'] | DbEnvNames<R>['user'] | DbEnvNames<R>['password']]: string
} & { readonly [K in DbEnvNames<R>['port']]: number } & {
  readonly DB_NAME: string
  readonly DB_POOL_MAX: number
  readonly DB_CONNECT_TIMEOUT_MS: number
  readonly DB_ACQUIRE_TIMEOUT_MS: number
  readonly DB_QUERY_TIMEOUT_MS: number
  readonly DB_GTID_WAIT_MS?: number
  readonly DB_TLS_CA?: string
}

/** Reads a role's settings out of a loaded config. */
export function dbSettings<R extends DbRole>(cfg: DbConfigValues<R>, role: R): DbSettings {
  const env = dbEnv(role)
  return {
    host: cfg[env.host],
    port: cfg[env.port],
    user: cfg[env.user],
    password: cfg[env.password],
    database: cfg.DB_NAME,
    poolMax: cfg.DB_POOL_MAX,
    connectTimeoutMs: cfg.DB_CONNECT_TIMEOUT_MS,
    acquireTimeoutMs: cfg.DB_ACQUIRE_TIMEOUT_MS,
    queryTimeoutMs: cfg.DB_QUERY_TIMEOUT_MS,
    ...(cfg.DB_GTID_WAIT_MS === undefined ? {} : { gtidWaitMs: cfg.DB_GTID_WAIT_MS }),
    ...(cfg.DB_TLS_CA === undefined ? {} : { tlsCaFile: cfg.DB_TLS_CA }),
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
