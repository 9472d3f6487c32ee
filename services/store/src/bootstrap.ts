// SPDX-License-Identifier: MPL-2.0
// One-shot setup as a superuser (root over the unix socket locally, a DBA account elsewhere): the
// database and the accounts of the privilege split. persona_admin: DDL on the persona database
// (migrations); persona_writer: SELECT/INSERT/UPDATE/DELETE; persona_reader: SELECT; and, when its
// password is given, persona_monitor for the mysqld exporter: server and replication status, no data.
// Idempotent: re-running it resets the passwords to the ones given.
import type { Knex } from 'knex'
import { DB_ACCOUNTS, DEFAULT_DB_NAME } from './config.ts'

export interface AccountPasswords {
  readonly admin: string
  readonly writer: string
  readonly reader: string
  /** The monitoring account's (topology secret dbMonitorPassword); no account without it. */
  readonly monitor?: string
}

/** The mysqld exporter's account. */
export const MONITOR_ACCOUNT = 'persona_monitor'

/**
 * What the exporter reads, and nothing of Persona's data: PROCESS (InnoDB and process-list status),
 * BINLOG MONITOR (binary logs), SLAVE MONITOR (SHOW ALL SLAVES STATUS); few connections.
 */
export const MONITOR_PRIVILEGES = 'PROCESS, BINLOG MONITOR, SLAVE MONITOR'
const MONITOR_MAX_CONNECTIONS = 3

export interface BootstrapOptions {
  readonly database?: string
  /** Host part of the accounts; '%' (network policy restricts who can reach the port). */
  readonly accountHost?: string
  /** Which accounts to create (default all three); a DBA that is itself the migrator skips ADMIN. */
  readonly roles?: readonly (keyof typeof PRIVILEGES)[]
}

const PRIVILEGES = {
  ADMIN:
    'SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, DROP, INDEX, REFERENCES, CREATE VIEW, SHOW VIEW, LOCK TABLES',
  WRITER: 'SELECT, INSERT, UPDATE, DELETE',
  READER: 'SELECT',
} as const

function ident(name: string): string {
  if (!/^[A-Za-z0-9_]{1,64}$/.test(name)) throw new Error(`bad identifier: ${name}`)
  return `\`${name}\``
}

/** Creates the database and accounts, and grants each account exactly its privileges. */
export async function bootstrap(
  root: Knex,
  passwords: AccountPasswords,
  opts: BootstrapOptions = {},
): Promise<void> {
  const db = ident(opts.database ?? DEFAULT_DB_NAME)
  const host = opts.accountHost ?? '%'
  await root.raw(`CREATE DATABASE IF NOT EXISTS ${db} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`)
  const wanted = opts.roles ?? ['ADMIN', 'WRITER', 'READER']
  const roles = (
    [
      ['ADMIN', passwords.admin],
      ['WRITER', passwords.writer],
      ['READER', passwords.reader],
    ] as const
  ).filter(([role]) => wanted.includes(role))
  for (const [role, password] of roles) {
    if (password === '') throw new Error(`empty password for ${DB_ACCOUNTS[role]}`)
    const account = DB_ACCOUNTS[role]
    await root.raw('CREATE USER IF NOT EXISTS ?@? IDENTIFIED BY ?', [account, host, password])
    await root.raw('ALTER USER ?@? IDENTIFIED BY ?', [account, host, password])
    // Start from nothing so a re-run never leaves a wider grant behind.
    await root.raw('REVOKE ALL PRIVILEGES, GRANT OPTION FROM ?@?', [account, host])
    await root.raw(`GRANT ${PRIVILEGES[role]} ON ${db}.* TO ?@?`, [account, host])
  }
  if (passwords.monitor !== undefined) await monitorAccount(root, passwords.monitor, host)
}

/** Creates (or re-passwords) persona_monitor with exactly MONITOR_PRIVILEGES. */
export async function monitorAccount(root: Knex, password: string, host = '%'): Promise<void> {
  if (password === '') throw new Error(`empty password for ${MONITOR_ACCOUNT}`)
  await root.raw('CREATE USER IF NOT EXISTS ?@? IDENTIFIED BY ?', [MONITOR_ACCOUNT, host, password])
  await root.raw(`ALTER USER ?@? IDENTIFIED BY ? WITH MAX_USER_CONNECTIONS ${MONITOR_MAX_CONNECTIONS}`, [
    MONITOR_ACCOUNT,
    host,
    password,
  ])
  await root.raw('REVOKE ALL PRIVILEGES, GRANT OPTION FROM ?@?', [MONITOR_ACCOUNT, host])
  await root.raw(`GRANT ${MONITOR_PRIVILEGES} ON *.* TO ?@?`, [MONITOR_ACCOUNT, host])
}
