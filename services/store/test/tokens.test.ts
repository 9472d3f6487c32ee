// SPDX-License-Identifier: MPL-2.0
// Staged tokens expire (injected clock) and are single-use, even under concurrent completion;
// expired rows are cleaned up in batches.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { WriterDb } from '../src/db.ts'
import { writerRepos } from '../src/repos/index.ts'
import { SKIP, startTestPair, type TestPair } from './pair.ts'

const HASH = '$2b$12$abcdefghijklmnopqrstuuOy1B8fYJx0l0K2x1Wq8Xn2m3J4k5L6m'
const HOUR = 3600 * 1000

describe('staged tokens', { skip: SKIP }, () => {
  let t: TestPair
  let db: WriterDb
  let now = new Date('2030-01-01T00:00:00.000Z')
  const clock = () => new Date(now.getTime())

  before(async () => {
    t = await startTestPair()
    db = t.writer()
  })
  after(async () => t?.cleanup())

  it('a token is valid until its lifetime ends, then refused', async () => {
    const w = writerRepos(db, { clock, tokenLifetimeMs: 2 * HOUR })
    const s = await w.staged.stage({ kind: 'new_account', email: 'exp@example.com', passwordHash: HASH })
    assert.equal(s.expiresAt.getTime(), now.getTime() + 2 * HOUR)
    now = new Date(now.getTime() + 2 * HOUR - 1)
    assert.equal((await w.staged.byToken(s.secret))?.email, 'exp@example.com')
    now = new Date(now.getTime() + 1)
    assert.equal(await w.staged.byToken(s.secret), undefined)
    assert.equal(await w.staged.byEmail('exp@example.com'), undefined)
    assert.equal(await w.staged.byToken(s.secret), undefined)
    assert.equal(await w.staged.completeNewAccount(s.secret), undefined)
    assert.equal(await w.emails.byAddress('exp@example.com'), undefined)
  })

  it('the default lifetime is 2 days', async () => {
    const w = writerRepos(db, { clock })
    const s = await w.staged.stage({ kind: 'new_account', email: 'dflt@example.com', passwordHash: HASH })
    assert.equal(s.expiresAt.getTime() - now.getTime(), 2 * 24 * HOUR)
  })

  it('a token completes once only, even when two completions race', async () => {
    const w = writerRepos(db, { clock })
    const s = await w.staged.stage({ kind: 'new_account', email: 'once@example.com', passwordHash: HASH })
    const results = await Promise.all([
      w.staged.completeNewAccount(s.secret),
      w.staged.completeNewAccount(s.secret),
      w.staged.completeNewAccount(s.secret),
    ])
    assert.equal(results.filter((x) => x !== undefined).length, 1)
    assert.equal(await w.staged.completeNewAccount(s.secret), undefined)
    const n = await db
      .knex('users')
      .join('emails', 'emails.user_id', 'users.id')
      .where('emails.address', 'once@example.com')
      .count({ n: '*' })
    assert.equal(Number(Reflect.get(Object(n[0]), 'n')), 1)
  })

  it('a reset token cannot be replayed after use', async () => {
    const w = writerRepos(db, { clock })
    const s = await w.staged.stage({ kind: 'new_account', email: 'replay@example.com', passwordHash: HASH })
    const u = await w.staged.completeNewAccount(s.secret)
    assert.ok(u)
    const r = await w.staged.stage({ kind: 'reset', email: 'replay@example.com', existingUserId: u.userId })
    assert.ok(await w.staged.completeReset(r.secret, { passwordHash: HASH }))
    assert.equal(await w.staged.completeReset(r.secret, { passwordHash: HASH }), undefined)
  })

  it('deleteExpired removes expired rows only, in batches', async () => {
    const w = writerRepos(db, { clock, tokenLifetimeMs: HOUR })
    for (let i = 0; i < 5; i++) {
      await w.staged.stage({ kind: 'new_account', email: `old${i}@example.com`, passwordHash: HASH })
    }
    now = new Date(now.getTime() + 2 * HOUR)
    const fresh = await w.staged.stage({
      kind: 'new_account',
      email: 'fresh@example.com',
      passwordHash: HASH,
    })
    const count = async (expired: boolean) =>
      Number(
        Reflect.get(
          Object(
            (
              await db
                .knex('staged')
                .where('expires_at', expired ? '<=' : '>', clock())
                .count({ n: '*' })
            )[0],
          ),
          'n',
        ),
      )
    const expiredBefore = await count(true)
    const liveBefore = await count(false)
    assert.ok(expiredBefore >= 5)
    assert.equal(await w.staged.deleteExpired(2), 2)
    let removed = 2
    for (;;) {
      const n = await w.staged.deleteExpired(2)
      if (n === 0) break
      assert.ok(n <= 2)
      removed += n
    }
    assert.equal(removed, expiredBefore)
    assert.equal(await count(true), 0)
    assert.equal(await count(false), liveBefore)
    assert.equal((await w.staged.byToken(fresh.secret))?.email, 'fresh@example.com')
  })
})
