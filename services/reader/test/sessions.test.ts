// SPDX-License-Identifier: MPL-2.0
// Sessions end on the server, not only in the browser that asked (security review, issue 15 item 4): a
// copy of the cookie taken before a logout, a password change or an account cancellation gets nothing
// afterwards, not even a certificate. A sign-in gives the session a new CSRF token (item 8). Through the
// reader in process, real MariaDB and SMTP around it.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { generateKeyPair } from '@persona/browserid'
import { type Browser, field, SKIP, type Stack, startStack, tokenOf } from '../../../test/accounts/stack.ts'

const SITE = 'https://rp.example.com'
const PASS = 'a fine password'

describe('server-side revocation of sessions', { skip: SKIP }, () => {
  let stack: Stack
  let n = 0
  const fresh = () => `s${++n}.${Date.now()}@example.test`

  before(async () => {
    stack = await startStack()
  })
  after(async () => {
    await stack?.stop()
  })

  async function account(email: string): Promise<Browser> {
    const b = stack.injected()
    const seen = stack.mark()
    assert.deepEqual((await b.post('stage_user', { email, pass: PASS, site: SITE })).body, { success: true })
    const token = tokenOf(await stack.waitForMail(email, seen))
    assert.deepEqual((await b.post('complete_user_creation', { token })).body, { success: true })
    return b
  }

  async function certKey(b: Browser, email: string) {
    const pubkey = (await generateKeyPair('RS256')).publicKey.serialize()
    return b.post('cert_key', { email, pubkey, ephemeral: false })
  }

  it('a cookie copied before a logout gets no certificate after it', async () => {
    const email = fresh()
    const b = await account(email)
    const thief = b.copy()
    assert.equal((await certKey(thief, email)).status, 200, 'the copy works while the session lives')
    assert.deepEqual((await b.post('logout')).body, { success: true })
    // The copy's session is reset, CSRF token included: its POST is refused before anything else.
    const after = await certKey(thief, email)
    assert.equal(after.status, 403, after.text)
    assert.equal(field(after, 'reason'), 'no cookie')
    assert.equal((await thief.context()).authenticated, false)
    assert.equal((await certKey(thief, email)).status, 401, 'with a fresh CSRF token: not signed in')
    // Signing in again makes a session of the new generation: it works.
    const again = stack.injected()
    assert.equal(
      field(await again.post('authenticate_user', { email, pass: PASS, ephemeral: false }), 'success'),
      true,
    )
    assert.equal((await certKey(again, email)).status, 200)
  })

  it('a cookie copied before a logout gets no FedCM account or assertion after it', async () => {
    const email = fresh()
    const b = await account(email)
    const thief = b.copy()
    const accounts = () =>
      stack.reader.inject({
        method: 'GET',
        url: '/wsapi/fedcm/accounts',
        headers: { cookie: thief.cookieHeader, 'sec-fetch-dest': 'webidentity' },
      })
    assert.equal((await accounts()).statusCode, 200, 'the copy works while the session lives')
    assert.deepEqual((await b.post('logout')).body, { success: true })
    const after = await accounts()
    assert.equal(after.statusCode, 401, after.body)
    assert.equal(after.headers['set-login'], 'logged-out')
    const assertion = await stack.reader.inject({
      method: 'POST',
      url: '/wsapi/fedcm/assertion',
      headers: {
        cookie: thief.cookieHeader,
        'sec-fetch-dest': 'webidentity',
        origin: SITE,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: new URLSearchParams({
        client_id: SITE,
        account_id: email,
        disclosure_text_shown: 'false',
        is_auto_selected: 'false',
        mode: 'active',
      }).toString(),
    })
    assert.equal(assertion.statusCode, 401, assertion.body)
  })

  it('a cookie copied before a password change gets nothing after it; the browser that changed it keeps going', async () => {
    const email = fresh()
    const b = await account(email)
    const thief = b.copy()
    assert.deepEqual((await b.post('update_password', { oldpass: PASS, newpass: 'another password' })).body, {
      success: true,
    })
    assert.equal((await certKey(thief, email)).status, 403)
    assert.equal((await thief.context()).authenticated, false)
    assert.equal((await certKey(b, email)).status, 200)
  })

  it('a cookie copied before the account was cancelled gets nothing after it', async () => {
    const email = fresh()
    const b = await account(email)
    const thief = b.copy()
    assert.deepEqual((await b.post('account_cancel')).body, { success: true })
    const after = await certKey(thief, email)
    assert.notEqual(after.status, 200, after.text)
    assert.equal((await thief.context()).authenticated, false)
  })

  it('a sign-in rotates the CSRF token: the answer carries the new one, the old one is refused', async () => {
    const email = fresh()
    const b = stack.injected()
    const first = String((await b.context()).csrf_token)
    const seen = stack.mark()
    assert.deepEqual((await b.post('stage_user', { email, pass: PASS, site: SITE })).body, { success: true })
    const token = tokenOf(await stack.waitForMail(email, seen))
    const made = await b.post('complete_user_creation', { token })
    assert.deepEqual(made.body, { success: true })
    const second = made.headers['x-csrf-token']
    assert.ok(typeof second === 'string' && second !== first, 'signing up signs in: a new token')
    assert.equal((await b.context()).csrf_token, second)
    const stale = await b.post('prolong_session', {}, { csrf: first })
    assert.equal(stale.status, 403)
    assert.equal(field(stale, 'reason'), 'CSRF violation')
    // A logout keeps the token (Persona's behaviour); the next sign-in rotates it again.
    const out = await b.post('logout')
    assert.deepEqual(out.body, { success: true })
    assert.equal(out.headers['x-csrf-token'], undefined)
    const signedIn = await b.post('authenticate_user', { email, pass: PASS, ephemeral: false })
    assert.equal(field(signedIn, 'success'), true, signedIn.text)
    const third = signedIn.headers['x-csrf-token']
    assert.ok(typeof third === 'string' && third !== second)
    assert.equal((await b.post('prolong_session', {}, { csrf: String(second) })).status, 403)
    assert.equal((await b.post('prolong_session')).status, 200, 'with the token the answer carried')
    // A failed sign-in changes nothing.
    const wrong = await stack
      .injected()
      .post('authenticate_user', { email, pass: 'not it at all', ephemeral: false })
    assert.equal(wrong.headers['x-csrf-token'], undefined)
  })
})
