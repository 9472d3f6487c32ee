// SPDX-License-Identifier: MPL-2.0
// Mailed-link tokens are stored as their SHA-256 only: a copy of the `staged` table, read directly,
// holds nothing that any token-taking call accepts, while the mailed tokens still work; links staged
// before migration 0007 (tokens in clear) are hashed in place and keep working.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { WriterDb } from '../src/db.ts'
import { appliedMigrations, migrateDownOne, migrateLatest } from '../src/migrate.ts'
import { type ReplicaStore, replicaStore } from '../src/replica-store.ts'
import { type WriterRepos, writerRepos } from '../src/repos/index.ts'
import { rawRows } from '../src/rows.ts'
import { newToken, tokenHash } from '../src/tokens.ts'
import { SKIP, startTestPair, type TestPair } from './pair.ts'

const HASH = '$2b$12$abcdefghijklmnopqrstuuOy1B8fYJx0l0K2x1Wq8Xn2m3J4k5L6m'

describe('staged tokens at rest', { skip: SKIP }, () => {
  let t: TestPair
  let admin: WriterDb
  let wdb: WriterDb
  let w: WriterRepos
  let replica: ReplicaStore

  before(async () => {
    t = await startTestPair()
    wdb = t.writer()
    w = writerRepos(wdb)
    replica = replicaStore(t.reader())
    admin = t.admin()
  })
  after(async () => t?.cleanup())

  /** Every value of every row and column of `staged`, as a dump of the database would hold them. */
  async function tableCopy(): Promise<string[]> {
    const rows = rawRows(await admin.knex.raw('SELECT * FROM staged'))
    return rows.flatMap((r) =>
      Object.values(Object(r)).map((v) => (v instanceof Date ? v.toISOString() : String(v))),
    )
  }

  /** Every call that takes a token; true when one of them accepts `token`. Completions consume it. */
  async function anyCallAccepts(token: string): Promise<boolean> {
    await replica.waitForGtid(await wdb.lastGtid())
    const answers = [
      await replica.pendingByToken(token), // email_for_token, user_creation_status, email_addition_status
      await w.staged.byToken(token),
      await w.staged.completeNewAccount(token), // complete_user_creation
      await w.staged.completeEmailConfirmation(token), // complete_email_confirmation, complete_reverify
      await w.staged.completeReset(token, { passwordHash: HASH }), // complete_reset, complete_transition
    ]
    return answers.some((a) => a !== undefined)
  }

  it('a copy of the staged table holds no token that any call accepts', async () => {
    const owner = await w.staged.stage({
      kind: 'new_account',
      email: 'owner@example.com',
      passwordHash: HASH,
    })
    const created = await w.staged.completeNewAccount(owner.secret)
    assert.ok(created)
    const userId = created.userId
    const mailed = [
      await w.staged.stage({ kind: 'new_account', email: 'signup@example.com', passwordHash: HASH }),
      await w.staged.stage({ kind: 'add_email', email: 'added@example.com', existingUserId: userId }),
      await w.staged.stage({ kind: 'reset', email: 'owner@example.com', existingUserId: userId }),
      await w.staged.stage({ kind: 'reverify', email: 'again@example.com', existingUserId: userId }),
    ].map((s) => s.secret)

    const copy = await tableCopy()
    for (const token of mailed) {
      assert.ok(!copy.some((v) => v.includes(token)), 'the table holds no mailed token')
      assert.ok(copy.includes(tokenHash(token)), 'it holds the token hash')
    }
    assert.ok(copy.length >= 4 * 8, 'the copy has every row')
    for (const value of new Set(copy)) {
      assert.equal(await anyCallAccepts(value), false, `a value of the copy works as a token: ${value}`)
    }
    // Still pending, and the mailed tokens themselves complete their links.
    assert.equal((await w.staged.byToken(mailed[0] ?? ''))?.email, 'signup@example.com')
    assert.ok(await w.staged.completeNewAccount(mailed[0] ?? ''))
    assert.ok(await w.staged.completeEmailConfirmation(mailed[1] ?? ''))
    assert.ok(await w.staged.completeReset(mailed[2] ?? '', { passwordHash: HASH }))
    assert.ok(await w.staged.completeEmailConfirmation(mailed[3] ?? ''))
  })

  it('the table refuses a clear token where a hash belongs', async () => {
    const now = new Date()
    await assert.rejects(
      admin.knex('staged').insert({
        token_hash: newToken(),
        kind: 'new_account',
        email: 'clear@example.com',
        created_at: now,
        expires_at: new Date(now.getTime() + 60_000),
      }),
      /staged_token_hash_format/,
    )
  })

  it('migration 0007 hashes the tokens of pending links in place: they keep working', async () => {
    assert.equal((await appliedMigrations(admin.knex)).at(-1), '0007_staged_token_hash.ts')
    assert.deepEqual(await migrateDownOne(admin.knex), ['0007_staged_token_hash.ts'])
    const token = newToken()
    const now = new Date()
    await admin.knex('staged').insert({
      secret: token,
      kind: 'new_account',
      email: 'before-upgrade@example.com',
      password_hash: HASH,
      created_at: now,
      expires_at: new Date(now.getTime() + 3_600_000),
    })
    assert.deepEqual(await migrateLatest(admin.knex), ['0007_staged_token_hash.ts'])
    const copy = await tableCopy()
    assert.ok(!copy.some((v) => v.includes(token)), 'the clear token is gone')
    assert.ok(copy.includes(tokenHash(token)), 'its SHA-256 took its place')
    assert.deepEqual(await migrateLatest(admin.knex), [], 'a second run applies nothing')
    assert.equal((await w.staged.byToken(token))?.email, 'before-upgrade@example.com')
    assert.equal((await w.staged.completeNewAccount(token))?.email, 'before-upgrade@example.com')
    assert.equal(await w.staged.completeNewAccount(token), undefined, 'once only')
  })
})
