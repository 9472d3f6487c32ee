// SPDX-License-Identifier: MPL-2.0
// Every repository method against a real master + replica: writes through the writer side on the
// master, reads through the reader side on the replica (after waiting for the write's GTID).
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { isPersonaError } from '@persona/kit'
import type { ReaderDb, WriterDb } from '../src/db.ts'
import { type ReplicaStore, replicaStore } from '../src/replica-store.ts'
import {
  type BackoffState,
  backoffScope,
  type ReaderRepos,
  readerRepos,
  type WriterRepos,
  writerRepos,
} from '../src/repos/index.ts'
import { SKIP, startTestPair, type TestPair } from './pair.ts'

const HASH = '$2b$12$abcdefghijklmnopqrstuuOy1B8fYJx0l0K2x1Wq8Xn2m3J4k5L6m'
const HASH2 = '$2b$12$zyxwvutsrqponmlkjihgfeOy1B8fYJx0l0K2x1Wq8Xn2m3J4k5L6m'

describe('repositories', { skip: SKIP }, () => {
  let t: TestPair
  let wdb: WriterDb
  let rdb: ReaderDb
  let w: WriterRepos
  let r: ReaderRepos
  let replica: ReplicaStore
  // Read on the replica what was just written on the master (read-your-writes).
  const synced = async () => rdb.waitFor(await wdb.lastGtid())

  before(async () => {
    t = await startTestPair()
    wdb = t.writer()
    rdb = t.reader()
    w = writerRepos(wdb)
    r = readerRepos(rdb)
    replica = replicaStore(rdb)
  })
  after(async () => t?.cleanup())

  /** Records one more failure on `scope` (blocked for a minute), or reads it (`undefined`: no row). */
  const fail = (scope: string) =>
    w.backoff.settle([scope], (states, now) => {
      const failures = (states.get(scope)?.failures ?? 0) + 1
      const s: BackoffState = { failures, lastFailureAt: now, blockedUntil: new Date(now.getTime() + 60_000) }
      return { result: failures, writes: new Map([[scope, s]]) }
    })
  const backoffOf = (scope: string) =>
    w.backoff.settle([scope], (states) => ({ result: states.get(scope), writes: new Map() }))

  async function newAccount(email: string, hash: string | null = HASH): Promise<number> {
    const s = await w.staged.stage({ kind: 'new_account', email, passwordHash: hash })
    const done = await w.staged.completeNewAccount(s.secret)
    assert.ok(done)
    return done.userId
  }

  it('stage_user + complete_user_creation: user and verified address', async () => {
    const s = await w.staged.stage({ kind: 'new_account', email: 'alice@example.com', passwordHash: HASH })
    await synced()
    const staged = await r.staged.byToken(s.secret)
    assert.equal(staged?.email, 'alice@example.com')
    assert.equal(staged?.kind, 'new_account')
    assert.equal(staged?.passwordHash, HASH)
    assert.ok((await replica.pendingByToken(s.secret)) !== undefined)
    assert.ok((await r.staged.lastStagedAt('alice@example.com')) instanceof Date)
    const done = await w.staged.completeNewAccount(s.secret, { emailType: 'primary' })
    assert.ok(done)
    await synced()
    assert.equal(await replica.pendingByToken(s.secret), undefined)
    const user = await r.users.byId(done.userId)
    assert.equal(user?.passwordHash, HASH)
    assert.equal(user?.sessionGeneration, done.generation)
    assert.equal((await replica.address('ALICE@example.com'))?.userId, done.userId, 'case-insensitive lookup')
    assert.deepEqual(await replica.account(done.userId), {
      id: done.userId,
      passwordHash: HASH,
      sessionGeneration: 0,
    })
    assert.equal(await replica.account(987654), undefined)
    const info = await replica.address('alice@example.com')
    assert.deepEqual(info, {
      userId: done.userId,
      address: 'alice@example.com',
      type: 'primary',
      verified: true,
    })
    assert.equal(await replica.address('nobody@example.com'), undefined)
  })

  it('re-staging an address replaces the older link', async () => {
    const a = await w.staged.stage({ kind: 'new_account', email: 'bob@example.com', passwordHash: HASH })
    const b = await w.staged.stage({ kind: 'new_account', email: 'bob@example.com', passwordHash: HASH2 })
    assert.notEqual(a.secret, b.secret)
    assert.equal(await w.staged.byToken(a.secret), undefined)
    assert.equal((await w.staged.byEmail('bob@example.com'))?.passwordHash, HASH2)
    assert.equal(await w.staged.completeNewAccount(a.secret), undefined)
    assert.ok(await w.staged.completeNewAccount(b.secret))
  })

  it('stage rejects a user id on new_account and requires one elsewhere', async () => {
    await assert.rejects(
      w.staged.stage({ kind: 'new_account', email: 'x@example.com', existingUserId: 1 }),
      TypeError,
    )
    await assert.rejects(w.staged.stage({ kind: 'reset', email: 'x@example.com' }), TypeError)
  })

  it('stage_email + complete_email_confirmation adds a verified address and sets a staged password', async () => {
    const uid = (await w.users.createWithPrimaryEmail('carol@primary.example')).userId
    assert.equal((await w.users.byId(uid))?.passwordHash, null)
    const s = await w.staged.stage({
      kind: 'add_email',
      email: 'carol@example.com',
      existingUserId: uid,
      passwordHash: HASH,
    })
    // Wrong kind: a confirmation token cannot create an account.
    assert.equal(await w.staged.completeNewAccount(s.secret), undefined)
    const done = await w.staged.completeEmailConfirmation(s.secret)
    assert.deepEqual(done, { userId: uid, email: 'carol@example.com', passwordSet: true, generation: 0 })
    await synced()
    assert.deepEqual(
      (await replica.addressesOf(uid)).map((e) => e.address),
      ['carol@primary.example', 'carol@example.com'],
    )
    const list = await r.emails.listForUser(uid)
    assert.deepEqual(
      list.map((e) => [e.address, e.type, e.verified]),
      [
        ['carol@primary.example', 'primary', true],
        ['carol@example.com', 'secondary', true],
      ],
    )
    assert.equal((await r.users.byId(uid))?.passwordHash, HASH)
    assert.equal((await replica.address('carol@example.com'))?.userId, uid)
  })

  it('createWithPrimaryEmail refuses an address already registered', async () => {
    await assert.rejects(
      w.users.createWithPrimaryEmail('carol@primary.example'),
      (e: unknown) => isPersonaError(e) && e.code === 'ERR_CONFLICT',
    )
  })

  it('stage_user with allowUnverified: user with an unverified address, then confirmation', async () => {
    const s = await w.staged.stageUnverifiedAccount({ email: 'dave@example.com', passwordHash: HASH })
    await synced()
    assert.equal((await r.emails.byAddress('dave@example.com'))?.verified, false)
    assert.equal((await r.users.byId(s.userId))?.passwordHash, HASH)
    assert.equal((await r.staged.byToken(s.secret))?.kind, 'add_email')
    assert.ok(await w.staged.completeEmailConfirmation(s.secret))
    await synced()
    assert.equal((await r.emails.byAddress('dave@example.com'))?.verified, true)
    await assert.rejects(
      w.staged.stageUnverifiedAccount({ email: 'dave@example.com', passwordHash: HASH }),
      (e: unknown) => isPersonaError(e) && e.code === 'ERR_CONFLICT',
    )
  })

  it('stage_reverify + completion marks the address verified again', async () => {
    const uid = await newAccount('erin@example.com')
    await wdb.knex('emails').where({ address: 'erin@example.com' }).update({ verified: false })
    const s = await w.staged.stage({ kind: 'reverify', email: 'erin@example.com', existingUserId: uid })
    const done = await w.staged.completeEmailConfirmation(s.secret)
    assert.deepEqual(done, { userId: uid, email: 'erin@example.com', passwordSet: false, generation: 0 })
    assert.equal((await w.emails.byAddress('erin@example.com'))?.verified, true)
    assert.equal((await w.users.byId(uid))?.passwordHash, HASH, 'no staged hash: password unchanged')
  })

  it('sign-in backoff: rows per scope, settled under lock, cleared, forgotten when old', async () => {
    const client = backoffScope.client('192.0.2.7')
    const [a, b] = [backoffScope.address('Nobody@Example.com'), backoffScope.address('nobody@example.com')]
    assert.equal(a, b, 'an address is one scope whatever its case')
    assert.ok(!a.includes('nobody'), 'addresses without account are kept hashed')
    assert.equal(await backoffOf(client), undefined)
    // Ten attempts at once on one scope are judged one after the other: none is lost.
    const counts = await Promise.all(Array.from({ length: 10 }, () => fail(client)))
    assert.deepEqual(
      counts.sort((x, y) => x - y),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    )
    assert.equal((await backoffOf(client))?.failures, 10)
    await w.backoff.settle([client], () => ({ result: null, writes: new Map([[client, null]]) }))
    assert.equal(await backoffOf(client), undefined, 'null clears the scope')
    await fail(client)
    assert.equal(await w.backoff.forgetBefore(new Date(Date.now() - 60_000)), 0, 'recent rows stay')
    assert.ok((await w.backoff.forgetBefore(new Date(Date.now() + 1000))) >= 1)
    assert.equal(await backoffOf(client), undefined)
  })

  it('stage_reset + complete_reset: new password, backoff cleared, sessions ended, other secondaries unverified', async () => {
    const uid = await newAccount('frank@example.com')
    const other = await w.staged.stage({
      kind: 'add_email',
      email: 'frank2@example.com',
      existingUserId: uid,
    })
    await w.staged.completeEmailConfirmation(other.secret)
    await fail(backoffScope.account(uid))
    const before = (await w.users.byId(uid))?.lastPasswordReset
    const generationBefore = (await w.users.byId(uid))?.sessionGeneration
    const s = await w.staged.stage({ kind: 'reset', email: 'frank@example.com', existingUserId: uid })
    assert.equal((await w.staged.byEmail('frank@example.com'))?.kind, 'reset')
    assert.equal(await w.staged.completeReset(s.secret), undefined, 'no password given, none staged')
    const s2 = await w.staged.stage({ kind: 'reset', email: 'frank@example.com', existingUserId: uid })
    await new Promise((res) => setTimeout(res, 5))
    const done = await w.staged.completeReset(s2.secret, { passwordHash: HASH2 })
    assert.ok(done)
    await synced()
    const u = await r.users.byId(uid)
    assert.equal(u?.passwordHash, HASH2)
    assert.equal(await backoffOf(backoffScope.account(uid)), undefined, 'the owner proved control by mail')
    assert.ok(before !== undefined && u !== undefined && u.lastPasswordReset > before)
    assert.equal(u?.sessionGeneration, (generationBefore ?? 0) + 1, 'every session ends')
    assert.equal(done.generation, u?.sessionGeneration)
    assert.equal((await r.emails.byAddress('frank2@example.com'))?.verified, false)
    assert.equal((await r.emails.byAddress('frank@example.com'))?.verified, true)
  })

  it('stage_transition + complete_transition uses the staged hash', async () => {
    const uid = (await w.users.createWithPrimaryEmail('gina@example.com')).userId
    const s = await w.staged.stage({
      kind: 'transition',
      email: 'gina@example.com',
      existingUserId: uid,
      passwordHash: HASH,
    })
    assert.equal(await w.staged.completeEmailConfirmation(s.secret), undefined, 'wrong kind')
    const s2 = await w.staged.stage({
      kind: 'transition',
      email: 'gina@example.com',
      existingUserId: uid,
      passwordHash: HASH,
    })
    const done = await w.staged.completeReset(s2.secret)
    assert.equal(done?.userId, uid)
    assert.equal((await w.users.byId(uid))?.passwordHash, HASH)
    assert.equal((await w.emails.byAddress('gina@example.com'))?.type, 'secondary')
  })

  it('complete_reset refuses when the address changed owner since staging', async () => {
    const a = await newAccount('hank@example.com')
    const b = await newAccount('hank-other@example.com')
    const s = await w.staged.stage({ kind: 'reset', email: 'hank@example.com', existingUserId: a })
    await w.emails.addPrimary(b, 'hank@example.com')
    assert.equal(await w.staged.completeReset(s.secret, { passwordHash: HASH2 }), undefined)
    assert.equal((await w.users.byId(a))?.passwordHash, HASH)
  })

  it('update_password, successful sign-ins, ending sessions', async () => {
    const uid = await newAccount('ivy@example.com')
    assert.deepEqual(await w.users.recordSignIn(uid), { generation: 0 })
    await w.users.recordSignIn(uid, { from: 'not the stored hash', to: HASH2 })
    assert.equal(
      (await w.users.byId(uid))?.passwordHash,
      HASH,
      'a rehash replaces only the hash it was made from',
    )
    await w.users.recordSignIn(uid, { from: HASH, to: HASH2 })
    assert.equal((await w.users.byId(uid))?.passwordHash, HASH2)
    await fail(backoffScope.account(uid))
    const lpr = (await w.users.byId(uid))?.lastPasswordReset
    assert.equal(await w.users.setPassword(uid, HASH, { endSessions: false }), 0)
    const u = await w.users.byId(uid)
    assert.equal(u?.passwordHash, HASH)
    assert.equal(await backoffOf(backoffScope.account(uid)), undefined, 'a new password clears the backoff')
    assert.equal(u?.lastPasswordReset.getTime(), lpr?.getTime())
    await new Promise((res) => setTimeout(res, 5))
    assert.equal(await w.users.setPassword(uid, HASH2, { endSessions: true }), 1)
    const moved = (await w.users.byId(uid))?.lastPasswordReset
    assert.ok(moved !== undefined && lpr !== undefined && moved > lpr)
    assert.equal(await w.users.endSessions(uid), 2)
    assert.equal(await w.users.setPassword(999999, HASH, { endSessions: true }), undefined)
    assert.equal(await w.users.endSessions(999999), undefined)
    assert.equal(await w.users.recordSignIn(999999), undefined)
  })

  it('remove_email, setLastUsedAs, addPrimary', async () => {
    const uid = await newAccount('jack@example.com')
    const other = await newAccount('kate@example.com')
    assert.equal(await w.emails.setLastUsedAs(uid, 'jack@example.com', 'primary'), true)
    assert.equal((await w.emails.byAddress('jack@example.com'))?.type, 'primary')
    assert.equal(await w.emails.setLastUsedAs(other, 'jack@example.com', 'secondary'), false, 'not owned')
    assert.equal(await w.emails.remove(other, 'jack@example.com'), false, 'not owned')
    await w.emails.addPrimary(uid, 'kate@example.com')
    assert.equal(
      (await w.emails.byAddress('kate@example.com'))?.userId,
      uid,
      'moved to the asserting account',
    )
    assert.deepEqual(await w.emails.listForUser(other), [])
    assert.equal(await w.emails.remove(uid, 'jack@example.com'), true)
    assert.equal(await w.emails.byAddress('jack@example.com'), undefined)
  })

  it('account_cancel deletes the user, its addresses and staged rows', async () => {
    const uid = await newAccount('liam@example.com')
    const s = await w.staged.stage({ kind: 'add_email', email: 'liam2@example.com', existingUserId: uid })
    assert.equal(await w.users.cancelAccount(uid), true)
    await synced()
    assert.equal(await r.users.byId(uid), undefined)
    assert.equal(await replica.address('liam@example.com'), undefined)
    assert.equal(await r.staged.byToken(s.secret), undefined)
    assert.equal(await w.users.cancelAccount(uid), false)
  })

  it('saw_idp / forget_idp', async () => {
    assert.equal(await r.idps.lastSeen('idp.example'), undefined)
    const first = await w.idps.saw('idp.example')
    await new Promise((res) => setTimeout(res, 5))
    const second = await w.idps.saw('IDP.example')
    assert.ok(second.lastSeen > first.lastSeen)
    await synced()
    assert.equal((await r.idps.lastSeen('idp.example'))?.getTime(), second.lastSeen.getTime())
    assert.equal(await w.idps.forget('idp.example'), true)
    assert.equal(await w.idps.forget('idp.example'), false)
    await synced()
    assert.equal(await r.idps.lastSeen('idp.example'), undefined)
  })

  it('malformed tokens read as absent without touching SQL', async () => {
    assert.equal(await r.staged.byToken("' OR 1=1 -- "), undefined)
    assert.equal(await w.staged.completeNewAccount('short'), undefined)
  })

  it('pingDb succeeds on both sides', async () => {
    const { pingDb } = await import('../src/db.ts')
    await pingDb(wdb)
    await pingDb(rdb)
  })
})
