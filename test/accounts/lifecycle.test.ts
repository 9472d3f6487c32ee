// SPDX-License-Identifier: MPL-2.0
// The whole life of a password account, through real processes' apps on real sockets, a real MariaDB
// master + replica and a real SMTP listener: stage_user -> mail -> complete_user_creation ->
// authenticate_user -> cert_key -> an assertion from that certificate verifies at the verifier -> add an
// email -> reset the password -> remove an email -> account_cancel.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { bundleAssertion, generateKeyPair, signAssertion } from '@persona/browserid'
import { request } from 'undici'
import { type Browser, field, ISSUER, SKIP, type Stack, startStack, tokenOf } from './stack.ts'

const SITE = 'https://rp.example.com'
const EMAIL = 'alice@example.test'
const EMAIL2 = 'alice.work@example.test'
const PASS = 'first password'
const PASS2 = 'second password'

describe('account lifecycle', { skip: SKIP }, () => {
  let stack: Stack
  let b: Browser

  before(async () => {
    stack = await startStack()
    b = stack.browser()
  })
  after(async () => {
    await stack?.stop()
  })

  it('stages a new user and mails a link that says which site asked', async () => {
    const t0 = stack.mark()
    const r = await b.post('stage_user', { email: EMAIL, pass: PASS, site: SITE })
    assert.equal(r.status, 200, r.text)
    assert.deepEqual(r.body, { success: true })
    const m = await stack.waitForMail(EMAIL, t0)
    assert.equal(m.Subject, 'rp.example.com: Complete sign-in')
    assert.match(m.Text, /http:\/\/127\.0\.0\.1:8080\/verify_email_address\?token=[A-Za-z0-9]{48}/)
    assert.match(m.Text, /rp\.example\.com/)
    const status = await b.get('user_creation_status', { email: EMAIL })
    assert.deepEqual(status.body, { status: 'pending' })
  })

  it('completes creation from the link and signs the browser in', async () => {
    const token = tokenOf(await stack.waitForMail(EMAIL))
    const info = await b.get('email_for_token', { token })
    assert.deepEqual(info.body, { success: true, email: EMAIL, must_auth: false, needs_password: false })
    const r = await b.post('complete_user_creation', { token })
    assert.deepEqual(r.body, { success: true })
    const ctx = await b.context()
    assert.equal(ctx.authenticated, true)
    assert.equal(ctx.auth_level, 'password')
    assert.equal(ctx.has_password, true)
    const status = await b.get('user_creation_status', { email: EMAIL })
    assert.equal(field(status, 'status'), 'complete')
    // The link is single-use: this browser no longer holds it, and with the password it is refused.
    const again = await b.post('complete_user_creation', { token })
    assert.equal(again.status, 401)
    const withPass = await b.post('complete_user_creation', { token, pass: PASS })
    assert.deepEqual(withPass.body, { success: false })
  })

  it('signs in with the password and certifies a key whose assertion the verifier accepts', async () => {
    assert.deepEqual((await b.post('logout')).body, { success: true })
    assert.equal((await b.context()).authenticated, false)
    const bad = await b.post('authenticate_user', { email: EMAIL, pass: 'wrong password', ephemeral: false })
    assert.equal(field(bad, 'success'), false)
    const r = await b.post('authenticate_user', { email: EMAIL, pass: PASS, ephemeral: false })
    assert.equal(field(r, 'success'), true, r.text)
    assert.equal(typeof field(r, 'userid'), 'number')

    const user = await generateKeyPair('RS256')
    const cert = await b.post('cert_key', {
      email: EMAIL,
      pubkey: user.publicKey.serialize(),
      ephemeral: false,
    })
    assert.equal(cert.status, 200, cert.text)
    assert.match(String(cert.headers['content-type']), /^text\/plain/)
    assert.equal(cert.text.split('.').length, 3)

    const assertion = signAssertion({ audience: SITE, exp: Date.now() + 120_000 }, user.secretKey)
    const bundle = bundleAssertion([cert.text], assertion)
    const v = await request(`${stack.verifierUrl}/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ assertion: bundle, audience: SITE }),
    })
    const verdict = (await v.body.json()) as Record<string, unknown>
    assert.equal(verdict.status, 'okay', JSON.stringify(verdict))
    assert.equal(verdict.email, EMAIL)
    assert.equal(verdict.issuer, ISSUER)
    assert.equal(verdict.audience, SITE)
  })

  it('adds a second address through a confirmation mail', async () => {
    const t0 = stack.mark()
    const r = await b.post('stage_email', { email: EMAIL2, site: SITE })
    assert.deepEqual(r.body, { success: true }, r.text)
    const m = await stack.waitForMail(EMAIL2, t0)
    assert.match(m.Text, /\/confirm\?token=[A-Za-z0-9]{48}/)
    assert.deepEqual((await b.get('email_addition_status', { email: EMAIL2 })).body, { status: 'pending' })
    const done = await b.post('complete_email_confirmation', { token: tokenOf(m) })
    assert.deepEqual(done.body, { success: true }, done.text)
    assert.deepEqual((await b.get('email_addition_status', { email: EMAIL2 })).body, { status: 'complete' })
    const list = await b.get('list_emails')
    assert.deepEqual([...((field(list, 'emails') as string[]) ?? [])].sort(), [EMAIL, EMAIL2].sort())
  })

  it('resets the password from another browser; the old password stops working', async () => {
    const other = stack.browser()
    const t0 = stack.mark()
    const r = await other.post('stage_reset', { email: EMAIL, site: SITE })
    assert.deepEqual(r.body, { success: true }, r.text)
    const m = await stack.waitForMail(EMAIL, t0)
    assert.equal(m.Subject, 'rp.example.com: Complete password reset')
    assert.match(m.Text, /\/reset_password\?token=/)
    assert.deepEqual((await other.get('password_reset_status', { email: EMAIL })).body, { status: 'pending' })
    const done = await other.post('complete_reset', { token: tokenOf(m), pass: PASS2 })
    assert.deepEqual(done.body, { success: true }, done.text)
    assert.equal((await other.context()).auth_level, 'password')
    // The first browser's session predates the reset: it is over, CSRF token included.
    const old = await b.get('list_emails')
    assert.equal(old.status, 401)
    const oldPass = await other.post('authenticate_user', { email: EMAIL, pass: PASS, ephemeral: false })
    assert.equal(field(oldPass, 'success'), false)
    b = other
    const newPass = await b.post('authenticate_user', { email: EMAIL, pass: PASS2, ephemeral: true })
    assert.equal(field(newPass, 'success'), true, newPass.text)
  })

  it('removes an address', async () => {
    const r = await b.post('remove_email', { email: EMAIL2 })
    assert.deepEqual(r.body, { success: true }, r.text)
    assert.deepEqual(field(await b.get('list_emails'), 'emails'), [EMAIL])
    assert.deepEqual((await b.get('have_email', { email: EMAIL2 })).body, { email_known: false })
  })

  it('cancels the account', async () => {
    const r = await b.post('account_cancel')
    assert.deepEqual(r.body, { success: true }, r.text)
    assert.deepEqual((await b.get('have_email', { email: EMAIL })).body, { email_known: false })
    assert.equal((await b.context()).authenticated, false)
    const signIn = await b.post('authenticate_user', { email: EMAIL, pass: PASS2, ephemeral: false })
    assert.deepEqual(signIn.body, { success: false, reason: `password mismatch for user: ${EMAIL}` })
  })
})
