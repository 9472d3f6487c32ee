// SPDX-License-Identifier: MPL-2.0
// Every call the writer serves, in process (app.inject) against a real MariaDB master + replica and a
// real SMTP listener, called as the reader calls it: the token and the pipeline (auth level, arguments),
// then each call's answer, the session it sends back, and what it wrote.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { type SharedSession, WRITER_CALLS } from '@persona/wsapi'
import { SITE, SKIP, startWriter, tokenOf, type WriterUnderTest } from './harness.ts'

const PASS = 'a fine password'

describe('writer calls', { skip: SKIP }, () => {
  let w: WriterUnderTest
  let n = 0
  const fresh = () => `w${++n}.${Date.now()}@example.test`
  const tested = new Set<string>()

  before(async () => {
    w = await startWriter()
  })
  after(async () => {
    await w?.stop()
  })

  /** A new account through stage_user + complete_user_creation; its signed-in session. */
  async function account(email = fresh()): Promise<SharedSession> {
    const seen = w.mark()
    const staged = await w.call('stage_user', { email, pass: PASS, site: SITE })
    assert.deepEqual(staged.body, { success: true })
    const token = tokenOf(await w.waitForMail(email, seen))
    const done = await w.call('complete_user_creation', { token }, { session: staged.update?.session ?? {} })
    assert.deepEqual(done.body, { success: true })
    assert.ok(done.update !== undefined)
    return done.update.session
  }

  it('refuses a caller without the writer token, and a GET of a POST call', async () => {
    for (const token of [null, 'not-the-writer-token-at-all']) {
      const r = await w.call('saw_idp', { domain: 'idp.example' }, { token })
      assert.equal(r.status, 403)
    }
    assert.equal((await w.call('saw_idp', { domain: 'idp.example' }, { method: 'GET' })).status, 404)
  })

  it('checks the auth level and the arguments itself', async () => {
    const r = await w.call('stage_email', { email: fresh(), site: SITE })
    assert.equal(r.status, 401)
    assert.equal(r.body.reason, 'requires authentication')
    const bad = await w.call('stage_user', { email: 'not-an-email', pass: PASS, site: SITE })
    assert.equal(bad.status, 400)
    assert.match(String(bad.body.reason), /^email: /)
  })

  it('stage_user mails a link this browser remembers, and throttles a second mail', async () => {
    const email = fresh()
    const seen = w.mark()
    const r = await w.call(
      'stage_user',
      { email, pass: PASS, site: SITE },
      { session: { userid: 9, auth_level: 'password', generation: 0 } },
    )
    assert.deepEqual(r.body, { success: true })
    assert.match(String(r.gtid), /^\d+-\d+-\d+/)
    const token = tokenOf(await w.waitForMail(email, seen))
    // Signed out, and the link remembered.
    assert.deepEqual(r.update?.session, { pendingCreation: token })
    const again = await w.call('stage_user', { email, pass: PASS, site: SITE })
    assert.equal(again.status, 429)
    tested.add('stage_user')
  })

  it('complete_user_creation: same browser signs in for the full duration; another needs the password', async () => {
    const email = fresh()
    const seen = w.mark()
    await w.call('stage_user', { email, pass: PASS, site: SITE })
    const token = tokenOf(await w.waitForMail(email, seen))
    assert.equal((await w.call('complete_user_creation', { token })).status, 401)
    assert.equal((await w.call('complete_user_creation', { token, pass: 'wrong password' })).status, 401)
    const done = await w.call('complete_user_creation', { token, pass: PASS })
    assert.deepEqual(done.body, { success: true })
    assert.equal(done.update?.renew, 'full')
    assert.equal(done.update?.session.auth_level, 'password')
    assert.equal(typeof done.update?.session.userid, 'number')
    assert.deepEqual((await w.call('complete_user_creation', { token, pass: PASS })).body, { success: false })
    tested.add('complete_user_creation')
  })

  it('stage_email + complete_email_confirmation add a verified address', async () => {
    const session = await account()
    const email2 = fresh()
    const seen = w.mark()
    const staged = await w.call('stage_email', { email: email2, site: SITE }, { session })
    assert.deepEqual(staged.body, { success: true })
    const token = tokenOf(await w.waitForMail(email2, seen))
    assert.equal(staged.update?.session.pendingAddition, token)
    const other = await w.call('complete_email_confirmation', { token, pass: PASS })
    assert.deepEqual(other.body, { success: true })
    assert.equal(other.update?.renew, 'keep')
    assert.equal(other.update?.session.userid, session.userid)
    tested.add('stage_email').add('complete_email_confirmation')
  })

  it('stage_reset + complete_reset: a new password, and every session of the account ends', async () => {
    const email = fresh()
    const session = await account(email)
    assert.deepEqual((await w.call('stage_reset', { email: fresh(), site: SITE })).body, {
      success: false,
      reason: 'No such email address.',
    })
    const seen = w.mark()
    const staged = await w.call('stage_reset', { email, site: SITE })
    assert.deepEqual(staged.body, { success: true })
    const m = await w.waitForMail(email, seen)
    assert.match(m.Text, /\/reset_password\?token=/)
    const done = await w.call(
      'complete_reset',
      { token: tokenOf(m), pass: 'the new password' },
      { session: staged.update?.session ?? {} },
    )
    assert.deepEqual(done.body, { success: true })
    assert.equal(done.update?.session.userid, session.userid)
    assert.ok((done.update?.session.generation ?? 0) > (session.generation ?? 0), 'the generation moved on')
    tested.add('stage_reset').add('complete_reset')
  })

  it('stage_reverify refuses a verified address; stage_transition + complete_transition set a password', async () => {
    const email = fresh()
    const session = await account(email)
    assert.deepEqual((await w.call('stage_reverify', { email, site: SITE }, { session })).body, {
      success: false,
      reason: 'email is already verified',
    })
    const seen = w.mark()
    const staged = await w.call('stage_transition', { email, pass: 'a transition password', site: SITE })
    assert.deepEqual(staged.body, { success: true })
    const m = await w.waitForMail(email, seen)
    assert.match(m.Text, /\/complete_transition\?token=/)
    const done = await w.call(
      'complete_transition',
      { token: tokenOf(m) },
      { session: staged.update?.session ?? {} },
    )
    assert.deepEqual(done.body, { success: true })
    tested.add('stage_reverify').add('stage_transition').add('complete_transition')
  })

  it('update_password: the old password is checked; a change moves the generation on', async () => {
    const session = await account()
    assert.deepEqual(
      (await w.call('update_password', { oldpass: 'not the password', newpass: 'x'.repeat(10) }, { session }))
        .body,
      {
        success: false,
      },
    )
    const r = await w.call('update_password', { oldpass: PASS, newpass: 'another password' }, { session })
    assert.deepEqual(r.body, { success: true })
    assert.equal(r.update?.session.generation, (session.generation ?? 0) + 1)
    tested.add('update_password')
  })

  it('remove_email, used_address_as_primary, user_used_email_as: only the owner', async () => {
    const email = fresh()
    const session = await account(email)
    assert.equal((await w.call('remove_email', { email: fresh() }, { session })).status, 400)
    assert.deepEqual((await w.call('user_used_email_as', { email, used_as: 'primary' }, { session })).body, {
      success: true,
    })
    assert.deepEqual((await w.call('used_address_as_primary', { email }, { session })).body, {
      success: true,
    })
    assert.equal((await w.call('used_address_as_primary', { email: fresh() }, { session })).status, 400)
    assert.deepEqual((await w.call('remove_email', { email }, { session })).body, { success: true })
    tested.add('remove_email').add('used_address_as_primary').add('user_used_email_as')
  })

  it('account_cancel deletes the account and signs the browser out', async () => {
    const email = fresh()
    const session = await account(email)
    const r = await w.call('account_cancel', {}, { session })
    assert.deepEqual(r.body, { success: true })
    assert.equal(r.update?.session.userid, undefined)
    assert.equal(
      (await w.call('remove_email', { email }, { session })).status,
      400,
      'the address went with it',
    )
    tested.add('account_cancel')
  })

  it('create_account_with_assertion and add_email_with_assertion take the address the reader verified', async () => {
    const email = `p${Date.now()}@primary.test`
    assert.equal((await w.call('create_account_with_assertion', { assertion: 'x'.repeat(60) })).status, 400)
    const made = await w.call(
      'create_account_with_assertion',
      { assertion: 'x'.repeat(60) },
      { verified: { email, issuer: 'primary.test' } },
    )
    assert.deepEqual(made.body, { success: true, userid: made.body.userid, generation: 0 })
    const again = await w.call(
      'create_account_with_assertion',
      { assertion: 'x'.repeat(60) },
      { verified: { email, issuer: 'primary.test' } },
    )
    assert.equal(again.status, 409)
    const session: SharedSession = {
      userid: Number(made.body.userid),
      auth_level: 'assertion',
      generation: 0,
    }
    const added = await w.call(
      'add_email_with_assertion',
      { assertion: 'y'.repeat(60) },
      { session, verified: { email: `q${Date.now()}@primary.test`, issuer: 'primary.test' } },
    )
    assert.deepEqual(added.body, { success: true })
    tested.add('create_account_with_assertion').add('add_email_with_assertion')
  })

  it('saw_idp and forget_idp record primary sightings', async () => {
    assert.deepEqual((await w.call('saw_idp', { domain: 'idp.example.test' })).body, { success: true })
    assert.deepEqual((await w.call('forget_idp', { domain: 'idp.example.test' })).body, { success: true })
    tested.add('saw_idp').add('forget_idp')
  })

  it('increment_ and reset_failed_auth_tries: the sign-in backoff per account and per client address', async () => {
    const session = await account()
    const userid = Number(session.userid)
    const email = `backoff.${Date.now()}@example.test`
    const wrong = (clientIp: string, s = {}) =>
      w.call('increment_failed_auth_tries', { userid, email }, { session: s, clientIp })
    const right = (clientIp: string, s = {}) =>
      w.call('reset_failed_auth_tries', { userid, email }, { session: s, clientIp })
    assert.deepEqual((await w.call('increment_failed_auth_tries', { email })).body, {
      success: true,
      admitted: true,
    })
    // Five free wrong passwords on the account (each from its own address), then attempts wait.
    for (let i = 0; i < 5; i++)
      assert.deepEqual((await wrong(`192.0.2.${10 + i}`)).body, { success: true, admitted: true })
    const held = await right('192.0.2.99')
    assert.equal(held.body.admitted, false)
    assert.ok(Number(held.body.retry_after_ms) > 0)
    // ... but not for a browser that signed in to the account before.
    const known = await right('192.0.2.99', { knownAccounts: [userid] })
    assert.equal(known.body.admitted, true, JSON.stringify(known.body))
    assert.equal(known.body.generation, session.generation ?? 0)
    tested.add('increment_failed_auth_tries').add('reset_failed_auth_tries')
  })

  it("end_sessions moves the account's session generation on and signs this browser out", async () => {
    const session = await account()
    const r = await w.call('end_sessions', {}, { session })
    assert.deepEqual(r.body, { success: true })
    // Signed out; the browser still counts as one the owner used (the sign-in backoff spares it).
    assert.deepEqual(r.update?.session, { knownAccounts: [session.userid] })
    assert.equal((await w.call('end_sessions', {})).status, 401, 'only for a signed-in session')
    const again = await w.call('update_password', { oldpass: PASS, newpass: PASS }, { session })
    assert.equal(again.update?.session.generation, (session.generation ?? 0) + 1)
    tested.add('end_sessions')
  })

  it('every call the writer serves has an in-process test here', () => {
    assert.deepEqual(
      WRITER_CALLS.map((c) => c.name)
        .filter((name) => !tested.has(name))
        .sort(),
      [],
    )
  })
})
