// SPDX-License-Identifier: MPL-2.0
// Runs the numbered migrations in src/migrations/ (NNNN_name.ts, applied in order, recorded in
// knex_migrations). Run by the launcher and `cli.ts migrate` as the admin account, never at service start.
import { readdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { Knex } from 'knex'

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url))
const NAME_RE = /^\d{4}_[a-z0-9_]+\.ts$/

interface MigrationModule {
  up(knex: Knex): Promise<void>
  down(knex: Knex): Promise<void>
  config?: { transaction?: boolean }
}

function isMigration(m: unknown): m is MigrationModule {
  return (
    typeof m === 'object' &&
    m !== null &&
    typeof Reflect.get(m, 'up') === 'function' &&
    typeof Reflect.get(m, 'down') === 'function'
  )
}

/** The migration file names, in order. */
export async function migrationNames(): Promise<string[]> {
  return (await readdir(MIGRATIONS_DIR)).filter((f) => NAME_RE.test(f)).sort()
}

const source: Knex.MigrationSource<string> = {
  getMigrations: () => migrationNames(),
  getMigrationName: (name) => name,
  getMigration: async (name): Promise<Knex.Migration> => {
    const m: unknown = await import(new URL(`./migrations/${name}`, import.meta.url).href)
    if (!isMigration(m)) throw new Error(`migration ${name} lacks up/down`)
    return { up: m.up, down: m.down, ...(m.config === undefined ? {} : { config: m.config }) }
  },
}

const OPTS: Knex.MigratorConfig = {
  migrationSource: source,
  tableName: 'knex_migrations',
  disableTransactions: true,
}

/** Applies every pending migration; returns the names applied. */
export async function migrateLatest(knex: Knex): Promise<string[]> {
  const [, applied] = await knex.migrate.latest(OPTS)
  return applied.map(String)
}

/** Rolls back every migration (tests of `down`); returns the names rolled back. */
export async function migrateDownAll(knex: Knex): Promise<string[]> {
  const [, done] = await knex.migrate.rollback(OPTS, true)
  return done.map(String)
}

/** Rolls back the last applied migration only. */
export async function migrateDownOne(knex: Knex): Promise<string[]> {
  const [, done] = await knex.migrate.down(OPTS)
  return done.map(String)
}

/** The applied migration names, in order. */
export async function appliedMigrations(knex: Knex): Promise<string[]> {
  const [done] = await knex.migrate.list(OPTS)
  return done.map((m: unknown) => {
    if (typeof m === 'string') return m
    const n = typeof m === 'object' && m !== null ? Reflect.get(m, 'name') : undefined
    return String(n)
  })
}
