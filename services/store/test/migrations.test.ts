// SPDX-License-Identifier: MPL-2.0
// Migrations: up creates the four tables with the engine, charset, keys and cascades documented in
// docs/schema.md; down removes them all; up again restores them; constraints hold.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { WriterDb } from '../src/db.ts'
import { appliedMigrations, migrateDownAll, migrateLatest, migrationNames } from '../src/migrate.ts'
import { rawRows } from '../src/rows.ts'
import { SKIP, startTestPair, type TestPair } from './pair.ts'

const TABLES = ['emails', 'idps', 'sign_in_backoff', 'staged', 'users']
// sign_in_backoff holds ASCII only (scopes and times).
const ASCII_TABLES = new Set(['sign_in_backoff'])

describe('migrations', { skip: SKIP }, () => {
  let t: TestPair
  let admin: WriterDb
  before(async () => {
    t = await startTestPair()
    admin = t.admin()
  })
  after(async () => t?.cleanup())

  async function tables(): Promise<unknown[]> {
    return rawRows(
      await admin.knex.raw(
        'SELECT TABLE_NAME AS name, ENGINE AS engine, TABLE_COLLATION AS coll FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME <> ? AND TABLE_NAME NOT LIKE ? ORDER BY TABLE_NAME',
        [t.pair.database, 'knex_migrations', 'knex_migrations_lock'],
      ),
    )
  }

  it('the launcher applied every numbered migration', async () => {
    const names = await migrationNames()
    assert.deepEqual(names, [
      '0001_users.ts',
      '0002_emails.ts',
      '0003_staged.ts',
      '0004_idps.ts',
      '0005_session_generation.ts',
      '0006_sign_in_backoff.ts',
      '0007_staged_token_hash.ts',
    ])
    assert.deepEqual(await appliedMigrations(admin.knex), names)
    const rows = await tables()
    assert.deepEqual(
      rows.map((r) => Reflect.get(Object(r), 'name')),
      TABLES,
    )
    for (const r of rows) {
      assert.equal(Reflect.get(Object(r), 'engine'), 'InnoDB')
      const coll = ASCII_TABLES.has(String(Reflect.get(Object(r), 'name')))
        ? 'ascii_bin'
        : 'utf8mb4_unicode_ci'
      assert.equal(Reflect.get(Object(r), 'coll'), coll)
    }
  })

  it('declares unique keys and cascading foreign keys', async () => {
    const fks = rawRows(
      await admin.knex.raw(
        'SELECT TABLE_NAME AS t, REFERENCED_TABLE_NAME AS ref, DELETE_RULE AS del FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? ORDER BY TABLE_NAME',
        [t.pair.database],
      ),
    ).map(
      (r) =>
        `${Reflect.get(Object(r), 't')}->${Reflect.get(Object(r), 'ref')}:${Reflect.get(Object(r), 'del')}`,
    )
    assert.deepEqual(fks, ['emails->users:CASCADE', 'staged->users:CASCADE'])
    const uniques = rawRows(
      await admin.knex.raw(
        "SELECT DISTINCT CONCAT(TABLE_NAME, '.', INDEX_NAME) AS k FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND NON_UNIQUE = 0 AND INDEX_NAME <> 'PRIMARY' ORDER BY k",
        [t.pair.database],
      ),
    ).map((r) => Reflect.get(Object(r), 'k'))
    assert.deepEqual(uniques, [
      'emails.emails_address_uq',
      'staged.staged_email_uq',
      'staged.staged_token_hash_uq',
    ])
  })

  it('enforces the staged constraints in the server', async () => {
    const now = new Date()
    const later = new Date(now.getTime() + 1000)
    await assert.rejects(
      admin.knex('staged').insert({
        token_hash: 'bad-token',
        kind: 'new_account',
        email: 'x@y.z',
        created_at: now,
        expires_at: later,
      }),
      /CONSTRAINT|constraint/,
    )
    await assert.rejects(
      admin.knex('staged').insert({
        token_hash: 'a'.repeat(64),
        kind: 'reset',
        email: 'x@y.z',
        created_at: now,
        expires_at: later,
      }),
      /staged_user_matches_kind/,
    )
    await assert.rejects(
      admin.knex('emails').insert({ user_id: 999999, address: 'nobody@example.com', created_at: now }),
      /foreign key/i,
    )
  })

  it('down removes every table, up restores them', async () => {
    const names = await migrationNames()
    const down = await migrateDownAll(admin.knex)
    assert.equal(down.length, names.length)
    assert.deepEqual(await tables(), [])
    const up = await migrateLatest(admin.knex)
    assert.equal(up.length, names.length)
    assert.equal((await tables()).length, TABLES.length)
    assert.deepEqual(await migrateLatest(admin.knex), [], 'a second run applies nothing')
  })
})
