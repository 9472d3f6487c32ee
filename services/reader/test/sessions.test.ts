// SPDX-License-Identifier: MPL-2.0
// Sessions end on the server, not only in the browser that asked (security review, issue 15 item 4): a
// copy of the cookie taken before a logout, a password change or an account cancellation gets nothing
// afterwards, not even a certificate. Through the reader in process, real MariaDB and SMTP around it.
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
})
