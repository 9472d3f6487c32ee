// SPDX-License-Identifier: MPL-2.0
// Persona as a FedCM identity provider, on the reader's app with a real MariaDB, certifier and verifier:
// the well-known and config files, the accounts endpoint for the session's user, the ID assertion
// endpoint's token verifying at /verify unchanged, FedCM's request checks (Sec-Fetch-Dest: webidentity,
// the requesting Origin as client_id, CORS for that origin only), disconnect, and the Login Status API's
// Set-Login header on sign-in and sign-out.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { bundleAssertion, generateKeyPair, signAssertion, signCertificate } from '@persona/browserid'
import { request } from 'undici'
import {
  type Answer,
  type Browser,
  field,
  ISSUER,
  PRIMARY_DOMAIN,
  SKIP,
  type Stack,
  startStack,
  tokenOf,
} from '../../../test/accounts/stack.ts'

const SITE = 'https://rp.example.com'
const OTHER_SITE = 'https://other.example.com'
const EMAIL = 'fedcm-user@example.test'
const PASS = 'fedcm password'
const FEDCM = { 'sec-fetch-dest': 'webidentity' }

describe('FedCM identity provider endpoints', { skip: SKIP }, () => {
  let stack: Stack
  let b: Browser

  /** A FedCM fetch as the browser makes it: this browser's cookies (when `withCookies`), the headers. */
  async function fedcm(
    method: 'GET' | 'POST',
    path: string,
    opts: { headers?: Record<string, string>; form?: Record<string, string>; withCookies?: boolean } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { ...opts.headers }
    if (opts.withCookies !== false && b.cookieHeader !== '') headers.cookie = b.cookieHeader
    if (opts.form) headers['content-type'] = 'application/x-www-form-urlencoded'
    const res = await request(`${stack.readerUrl}${path}`, {
      method,
      headers,
      body: opts.form ? new URLSearchParams(opts.form).toString() : null,
    })
    const text = await res.body.text()
    let body: unknown = text
    try {
      body = JSON.parse(text)
    } catch {
      body = text
    }
    return { status: res.statusCode, body, text, headers: res.headers }
  }

  const assertionForm = (account: string, clientId = SITE) => ({
    client_id: clientId,
    account_id: account,
    disclosure_text_shown: 'false',
    is_auto_selected: 'false',
    mode: 'active',
  })

  async function verify(token: string, audience: string): Promise<Record<string, unknown>> {
    const v = await request(`${stack.verifierUrl}/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ assertion: token, audience }),
    })
    return (await v.body.json()) as Record<string, unknown>
  }

  before(async () => {
    stack = await startStack()
    b = stack.browser()
  })
  after(async () => {
    await stack?.stop()
  })

  it('serves the well-known file and a config naming every endpoint', async () => {
    const wk = await fedcm('GET', '/.well-known/web-identity', { headers: FEDCM })
    assert.equal(wk.status, 200, wk.text)
    const configUrl = 'http://127.0.0.1:8080/fedcm/config.json'
    assert.deepEqual(field(wk, 'provider_urls'), [configUrl])
    assert.equal(field(wk, 'accounts_endpoint'), 'http://127.0.0.1:8080/wsapi/fedcm/accounts')
    assert.equal(field(wk, 'login_url'), 'http://127.0.0.1:8080/sign_in?fedcm=login')
    const config = await fedcm('GET', '/fedcm/config.json', { headers: FEDCM })
    assert.equal(config.status, 200)
    // Relative to the config file, so the same as the well-known file's absolute ones.
    for (const [k, v] of Object.entries({
      accounts_endpoint: field(wk, 'accounts_endpoint'),
      login_url: field(wk, 'login_url'),
    })) {
      assert.equal(new URL(String(field(config, k)), configUrl).href, v, k)
    }
    for (const k of ['id_assertion_endpoint', 'client_metadata_endpoint', 'disconnect_endpoint']) {
      assert.equal(typeof field(config, k), 'string', k)
    }
    const meta = await fedcm('GET', `/fedcm/client_metadata?client_id=${encodeURIComponent(SITE)}`, {
      headers: { ...FEDCM, origin: SITE },
    })
    assert.equal(meta.status, 200)
    assert.deepEqual(meta.body, {})
  })

  it('accounts: nobody signed in is a 401 that tells the browser so; a page fetch is refused', async () => {
    const anon = await fedcm('GET', '/wsapi/fedcm/accounts', { headers: FEDCM })
    assert.equal(anon.status, 401)
    assert.equal(anon.headers['set-login'], 'logged-out')
    assert.deepEqual(field(anon, 'error'), { code: 'access_denied' })
    const page = await fedcm('GET', '/wsapi/fedcm/accounts')
    assert.equal(page.status, 403)
    assert.equal(field(page, 'code'), 'ERR_FORBIDDEN')
  })

  it('signing in says Set-Login: logged-in; the accounts are the verified addresses', async () => {
    const t0 = stack.mark()
    assert.equal((await b.post('stage_user', { email: EMAIL, pass: PASS, site: SITE })).status, 200)
    const token = tokenOf(await stack.waitForMail(EMAIL, t0))
    const done = await b.post('complete_user_creation', { token })
    assert.deepEqual(done.body, { success: true })
    assert.equal(done.headers['set-login'], 'logged-in')
    // A call that changes nothing says nothing.
    const ctx = await b.get('session_context')
    assert.equal(ctx.headers['set-login'], undefined)
    const accounts = await fedcm('GET', '/wsapi/fedcm/accounts', { headers: FEDCM })
    assert.equal(accounts.status, 200, accounts.text)
    assert.equal(accounts.headers['cache-control'], 'no-store')
    assert.deepEqual(field(accounts, 'accounts'), [
      {
        id: EMAIL,
        email: EMAIL,
        name: EMAIL,
        login_hints: [EMAIL],
        domain_hints: ['example.test'],
      },
    ])
  })

  it('the ID assertion endpoint returns a token the verifier accepts for the asking site only', async () => {
    const r = await fedcm('POST', '/wsapi/fedcm/assertion', {
      headers: { ...FEDCM, origin: SITE },
      form: assertionForm(EMAIL),
    })
    assert.equal(r.status, 200, r.text)
    assert.equal(r.headers['access-control-allow-origin'], SITE)
    assert.equal(r.headers['access-control-allow-credentials'], 'true')
    const token = String(field(r, 'token'))
    const ok = await verify(token, SITE)
    assert.equal(ok.status, 'okay', JSON.stringify(ok))
    assert.equal(ok.email, EMAIL)
    assert.equal(ok.issuer, ISSUER)
    assert.equal(ok.audience, SITE)
    const elsewhere = await verify(token, OTHER_SITE)
    assert.equal(elsewhere.status, 'failure')
  })

  it('refuses another origin, a client_id that is not the origin, page fetches and foreign addresses', async () => {
    const cases: [string, Record<string, string>, Record<string, string>, number][] = [
      ['origin differs', { ...FEDCM, origin: OTHER_SITE }, assertionForm(EMAIL), 403],
      ['client_id differs', { ...FEDCM, origin: SITE }, assertionForm(EMAIL, OTHER_SITE), 403],
      ['no Origin', { ...FEDCM }, assertionForm(EMAIL), 403],
      ['opaque origin', { ...FEDCM, origin: 'null' }, assertionForm(EMAIL), 403],
      ['not FedCM', { origin: SITE }, assertionForm(EMAIL), 403],
      ['not yours', { ...FEDCM, origin: SITE }, assertionForm('someone-else@example.test'), 403],
      ['client_id not an origin', { ...FEDCM, origin: SITE }, assertionForm(EMAIL, 'my-client'), 400],
    ]
    for (const [what, headers, form, status] of cases) {
      const r = await fedcm('POST', '/wsapi/fedcm/assertion', { headers, form })
      assert.equal(r.status, status, `${what}: ${r.text}`)
      assert.equal(field(r, 'token'), undefined, what)
      assert.equal(typeof field(r, 'code'), 'string', what)
      assert.equal(typeof Reflect.get(Object(field(r, 'error')), 'code'), 'string', what)
    }
    const missing = await fedcm('POST', '/wsapi/fedcm/assertion', {
      headers: { ...FEDCM, origin: SITE },
      form: { client_id: SITE },
    })
    assert.equal(missing.status, 400)
    const anon = await fedcm('POST', '/wsapi/fedcm/assertion', {
      headers: { ...FEDCM, origin: SITE },
      form: assertionForm(EMAIL),
      withCookies: false,
    })
    assert.equal(anon.status, 401)
    assert.equal(anon.headers['set-login'], 'logged-out')
  })

  it("an identity provider's address: the dialog finishes it (continue_on), for this origin", async () => {
    const idpUser = `pat-fedcm@${PRIMARY_DOMAIN}`
    const user = await generateKeyPair('RS256')
    const now = Date.now()
    const cert = signCertificate(
      { issuer: PRIMARY_DOMAIN, publicKey: user.publicKey, email: idpUser, iat: now, exp: now + 600_000 },
      stack.idpKey,
    )
    const assertion = bundleAssertion(
      [cert],
      signAssertion({ audience: stack.audience, exp: now + 120_000 }, user.secretKey),
    )
    const p = stack.browser()
    const signedIn = await p.post('auth_with_assertion', { assertion, ephemeral: false })
    assert.equal(field(signedIn, 'success'), true, signedIn.text)
    const r = await request(`${stack.readerUrl}/wsapi/fedcm/assertion`, {
      method: 'POST',
      headers: {
        ...FEDCM,
        origin: SITE,
        cookie: p.cookieHeader,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams(assertionForm(idpUser)).toString(),
    })
    assert.equal(r.statusCode, 200)
    const body = (await r.body.json()) as Record<string, unknown>
    assert.equal(body.token, undefined, "Persona does not certify an IdP's address")
    const next = new URL(String(body.continue_on))
    assert.equal(next.origin, 'http://127.0.0.1:8080')
    assert.equal(next.pathname, '/sign_in')
    assert.equal(next.searchParams.get('fedcm'), 'continue')
    assert.equal(next.searchParams.get('origin'), SITE)
    assert.equal(next.searchParams.get('email'), idpUser)
  })

  it('disconnect answers the account id for the asking origin', async () => {
    const r = await fedcm('POST', '/wsapi/fedcm/disconnect', {
      headers: { ...FEDCM, origin: SITE },
      form: { client_id: SITE, account_hint: EMAIL },
    })
    assert.equal(r.status, 200, r.text)
    assert.deepEqual(r.body, { account_id: EMAIL })
    assert.equal(r.headers['access-control-allow-origin'], SITE)
    const other = await fedcm('POST', '/wsapi/fedcm/disconnect', {
      headers: { ...FEDCM, origin: OTHER_SITE },
      form: { client_id: SITE, account_hint: EMAIL },
    })
    assert.equal(other.status, 403)
  })

  it('signing out says Set-Login: logged-out, and signing in with the password logged-in', async () => {
    const out = await b.post('logout')
    assert.deepEqual(out.body, { success: true })
    assert.equal(out.headers['set-login'], 'logged-out')
    const inAgain = await b.post('authenticate_user', { email: EMAIL, pass: PASS, ephemeral: false })
    assert.equal(field(inAgain, 'success'), true, inAgain.text)
    assert.equal(inAgain.headers['set-login'], 'logged-in')
    const wrong = await b.post('authenticate_user', { email: EMAIL, pass: 'not it at all', ephemeral: false })
    assert.equal(wrong.headers['set-login'], undefined)
  })
})
