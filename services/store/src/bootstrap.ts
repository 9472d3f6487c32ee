// SPDX-License-Identifier: MPL-2.0
// One-shot setup as a superuser (root over the unix socket locally, a DBA account elsewhere): the
// database and the three accounts of the privilege split. persona_admin: DDL on the persona database
// (migrations); persona_writer: SELECT/INSERT/UPDATE/DELETE; persona_reader: SELECT. Idempotent:
// re-running it resets the passwords to the ones given.
import type { Knex } from 'knex'
import { DB_ACCOUNTS, DEFAULT_DB_NAME } from './config.ts'

export interface AccountPasswords {
  readonly admin: string
  readonly writer: string
  readonly reader: string
}

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
}
