// SPDX-License-Identifier: MPL-2.0
// Every public wsapi call, injected into the reader in process (fastify/demo's pattern), with its real
// neighbours around it (writer, certifier, proxy on real sockets, a real MariaDB master + replica, a real
// SMTP listener): the refusals every call shares (no cookie / wrong CSRF -> 403, no sign-in -> 401,
// missing, malformed or extra arguments -> 400 with a reason), then a successful path for each call.
// Replies are checked against their declarations (checkReplies).
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { bundleAssertion, generateKeyPair, signAssertion, signCertificate } from '@persona/browserid'
import { WSAPI_CALLS, type WsapiCall } from '@persona/wsapi'
import {
  type Browser,
  DELEGATING_DOMAIN,
  field,
  PRIMARY_DOMAIN,
  SKIP,
  type Stack,
  startStack,
  tokenOf,
} from '../../../test/accounts/stack.ts'

const SITE = 'https://rp.example.com'
const PASS = 'a fine password'

/** A value of the right type for each argument type (used to build otherwise-valid requests). */
const GOOD: Record<string, unknown> = {
  email: 'someone@example.test',
  pass: PASS,
  oldpass: PASS,
  newpass: PASS,
  site: SITE,
  token: 'a'.repeat(48),
  assertion: `${'x'.repeat(60)}~${'y'.repeat(60)}`,
  pubkey: JSON.stringify({ algorithm: 'RS', n: '1'.repeat(60), e: '65537' }),
  ephemeral: false,
  domain: 'example.test',
}
/** A wrong value per argument name. */
const BAD: Record<string, unknown> = {
  email: 'not-an-email',
  pass: 'short',
  oldpass: 'short',
  newpass: 'x'.repeat(81),
  site: 'https://rp.example.com/path',
  token: 'too-short',
  assertion: 'tiny',
  pubkey: `{${'x'.repeat(60)}`,
  ephemeral: 'false',
  domain: 'bad domain!',
}

function requiredArgs(call: WsapiCall): string[] {
  return call.argsSchema === null ? [] : [...(call.argsSchema.required ?? [])]
}

function goodArgs(call: WsapiCall): Record<string, unknown> {
  return Object.fromEntries(requiredArgs(call).map((a) => [a, GOOD[a]]))
}

const PUBLIC = WSAPI_CALLS.filter((c) => !c.internal)

describe('wsapi calls', { skip: SKIP }, () => {
  let stack: Stack
  let n = 0
  const tested = new Set<string>()
  /** Marks calls whose successful path a test has just run. */
  const covered = (...names: string[]) => {
    for (const name of names) tested.add(name)
  }
  const fresh = () => `user${++n}.${Date.now()}@example.test`

  before(async () => {
    stack = await startStack({
      // The sign-in backoff: three wrong passwords per account, then a minute's wait (backoff.test.ts
      // tests its timing); every browser here comes from one address, which must not be held back.
      writerEnv: {
        MIN_EMAIL_INTERVAL_MS: '60000',
        ACCOUNT_BACKOFF_AFTER: '3',
        BACKOFF_BASE_MS: '60000',
        CLIENT_BACKOFF_AFTER: '10000',
      },
    })
  })
  after(async () => {
    await stack?.stop()
  })

  /** A new account, signed in at password level in the returned browser. */
  async function account(email = fresh(), pass = PASS): Promise<Browser> {
    const b = stack.injected()
    const seen = stack.mark()
    const r = await b.post('stage_user', { email, pass, site: SITE })
    assert.deepEqual(r.body, { success: true }, r.text)
    const done = await b.post('complete_user_creation', {
      token: tokenOf(await stack.waitForMail(email, seen)),
    })
    assert.deepEqual(done.body, { success: true }, done.text)
    return b
  }

  async function primaryAssertion(email: string): Promise<string> {
    const user = await generateKeyPair('RS256')
    const now = Date.now()
    const cert = signCertificate(
      { issuer: PRIMARY_DOMAIN, publicKey: user.publicKey, email, iat: now, exp: now + 600_000 },
      stack.idpKey,
    )
    return bundleAssertion(
      [cert],
      signAssertion({ audience: stack.audience, exp: now + 120_000 }, user.secretKey),
    )
  }

  describe('refusals shared by every call', () => {
    for (const call of PUBLIC.filter((c) => c.method === 'POST')) {
      it(`${call.name}: 403 without a session cookie, 403 with a wrong CSRF token`, async () => {
        const b = stack.injected()
        const none = await b.post(call.name, goodArgs(call), { csrf: null })
        assert.equal(none.status, 403, none.text)
        assert.equal(field(none, 'reason'), 'no cookie')
        await b.context()
        const wrong = await b.post(call.name, goodArgs(call), { csrf: 'bm90IHRoZSB0b2tlbg==' })
        assert.equal(wrong.status, 403, wrong.text)
        assert.equal(field(wrong, 'reason'), 'CSRF violation')
      })
    }
    for (const call of PUBLIC.filter((c) => c.auth !== false)) {
      it(`${call.name}: 401 without a sign-in`, async () => {
        const b = stack.injected()
        const r =
          call.method === 'GET'
            ? await b.get(call.name, goodArgs(call) as Record<string, string>)
            : await b.post(call.name, goodArgs(call))
        assert.equal(r.status, 401, r.text)
        assert.equal(field(r, 'reason'), 'requires authentication')
      })
    }
    for (const call of PUBLIC.filter((c) => requiredArgs(c).length > 0)) {
      it(`${call.name}: 400 for missing, malformed and extra arguments`, async () => {
        const b = call.auth === 'password' || call.auth === 'assertion' ? await account() : stack.injected()
        const send = (args: Record<string, unknown>) =>
          call.method === 'GET'
            ? b.get(call.name, Object.fromEntries(Object.entries(args).map(([k, v]) => [k, String(v)])))
            : b.post(call.name, args)
        const [first] = requiredArgs(call)
        assert.ok(first !== undefined)
        const good = goodArgs(call)
        const missing = await send(Object.fromEntries(Object.entries(good).filter(([k]) => k !== first)))
        assert.equal(missing.status, 400, missing.text)
        assert.equal(field(missing, 'reason'), `missing required parameter: '${first}'`)
        const malformed = await send({ ...good, [first]: BAD[first] })
        assert.equal(malformed.status, 400, malformed.text)
        assert.match(String(field(malformed, 'reason')), new RegExp(`^${first}: `))
        const extra = await send({ ...good, surprise: 'x' })
        assert.equal(extra.status, 400, extra.text)
        assert.equal(field(extra, 'reason'), 'extra parameters are not allowed: surprise')
      })
    }
    it('internal calls are not reachable through the reader; unknown calls get "no such api"', async () => {
      const b = stack.injected()
      for (const c of WSAPI_CALLS.filter((x) => x.internal)) {
        for (const r of [await b.get(c.name), await b.post(c.name, {})]) {
          assert.equal(r.status, 404, `${c.name}: ${r.text}`)
        }
      }
      const unknown = await b.get('complete_reverify')
      assert.equal(unknown.status, 400)
      assert.equal(field(unknown, 'reason'), 'no such api')
      const wrongMethod = await b.raw('POST', '/wsapi/have_email', '{}', 'application/json')
      assert.equal(wrongMethod.status, 400)
    })
  })

  describe('successful paths', () => {
    it('session_context hands out a CSRF token and describes the session', async () => {
      const b = stack.injected()
      const ctx = await b.context()
      assert.equal(typeof ctx.csrf_token, 'string')
      assert.equal(String(ctx.csrf_token).length, 24)
      assert.equal(ctx.authenticated, false)
      assert.equal(ctx.auth_level, undefined)
      assert.equal(typeof ctx.domain_key_creation_time, 'number')
      const again = await b.context()
      assert.equal(again.csrf_token, ctx.csrf_token)
      const r = await stack.injected().get('session_context')
      assert.equal(r.headers['cache-control'], 'no-cache, max-age=0')
      const cookie = String(r.headers['set-cookie'] ?? '')
      assert.match(cookie, /HttpOnly/i)
      assert.match(cookie, /SameSite=Lax/i)
      assert.match(cookie, /Path=\/wsapi/i)
      covered('session_context')
    })

    it('ping, interaction_data, have_email, list_emails, logout, prolong_session', async () => {
      const email = fresh()
      const b = await account(email)
      const ping = await b.get('ping')
      assert.equal(ping.text, 'ok')
      assert.deepEqual((await b.post('interaction_data', { data: [] })).body, { success: true })
      assert.deepEqual((await b.get('have_email', { email })).body, { email_known: true })
      assert.deepEqual((await b.get('have_email', { email: fresh() })).body, { email_known: false })
      assert.deepEqual((await b.get('list_emails')).body, { success: true, emails: [email] })
      const prolong = await b.post('prolong_session')
      assert.equal(prolong.text, 'OK')
      assert.deepEqual((await b.post('logout')).body, { success: true })
      const ctx = await b.context()
      assert.equal(ctx.authenticated, false)
      covered('ping', 'interaction_data', 'have_email', 'list_emails', 'logout', 'prolong_session')
    })

    it('address_info: unknown, known secondary, and a primary domain', async () => {
      const email = fresh()
      const b = await account(email)
      const unknown = await b.get('address_info', { email: fresh() })
      assert.equal(field(unknown, 'type'), 'secondary')
      assert.equal(field(unknown, 'state'), 'unknown')
      const known = await b.get('address_info', { email })
      assert.equal(field(known, 'state'), 'known')
      assert.equal(field(known, 'normalizedEmail'), email)
      const primary = await b.get('address_info', { email: `pat@${PRIMARY_DOMAIN}` })
      assert.equal(field(primary, 'type'), 'primary')
      assert.equal(field(primary, 'issuer'), PRIMARY_DOMAIN)
      // The IdP's pages are where its document came from: here its shim (https://domain in production).
      assert.equal(field(primary, 'auth'), `${stack.idpOrigin}/sign_in`)
      assert.equal(field(primary, 'prov'), `${stack.idpOrigin}/provision`)
      covered('address_info')
    })

    it('address_info: a domain delegating to us is ours (secondary)', async () => {
      const b = stack.injected()
      const r = await b.get('address_info', { email: `dee@${DELEGATING_DOMAIN}` })
      assert.equal(field(r, 'type'), 'secondary', r.text)
      const d = await b.get('discovery', { domain: DELEGATING_DOMAIN })
      assert.equal(field(d, 'authentication'), 'http://127.0.0.1:8080/auth#NATIVE')
    })

    it('discovery: a primary domain gets its own key, others ours', async () => {
      const b = stack.injected()
      const p = await b.get('discovery', { domain: PRIMARY_DOMAIN })
      assert.equal(field(p, 'authentication'), `${stack.idpOrigin}/sign_in`)
      const s = await b.get('discovery', { domain: 'example.test' })
      assert.equal(field(s, 'authentication'), 'http://127.0.0.1:8080/auth#NATIVE')
      assert.equal(typeof field(s, 'public-key'), 'object')
      covered('discovery')
    })

    it('check_idp: a primary, a domain delegating to us (our own document, not fetched), none', async () => {
      const b = stack.browser()
      const codes = (r: Awaited<ReturnType<typeof b.get>>) =>
        (field(r, 'findings') as { code: string }[]).map((f) => f.code)
      const p = await b.get('check_idp', { domain: PRIMARY_DOMAIN })
      assert.equal(p.status, 200, p.text)
      assert.equal(field(p, 'verdict'), 'primary')
      assert.deepEqual(codes(p), ['supported', 'key', 'pages'])
      assert.equal(field(p, 'provisioning'), `https://${PRIMARY_DOMAIN}/provision`)
      const d = await b.get('check_idp', { domain: DELEGATING_DOMAIN })
      assert.equal(field(d, 'verdict'), 'primary', d.text)
      assert.deepEqual(field(d, 'chain'), [DELEGATING_DOMAIN, '127.0.0.1'])
      assert.deepEqual(codes(d), ['delegates', 'supported', 'key', 'pages'])
      const n = await b.get('check_idp', { domain: 'nothing-here.test' })
      assert.equal(field(n, 'verdict'), 'secondary', n.text)
      assert.deepEqual(codes(n), ['no-document'])
      covered('check_idp')
    })

    it('/.well-known/browserid publishes our key with our pages', async () => {
      const r = await stack.injected().raw('GET', '/.well-known/browserid')
      assert.equal(field(r, 'authentication'), '/sign_in')
      assert.equal(field(r, 'provisioning'), '/provision')
      assert.equal(Reflect.get(Object(field(r, 'public-key')), 'algorithm'), 'RS')
    })

    it('stage_user throttles a second mail to the same address (429)', async () => {
      const b = stack.injected()
      const email = fresh()
      assert.deepEqual((await b.post('stage_user', { email, pass: PASS, site: SITE })).body, {
        success: true,
      })
      const again = await b.post('stage_user', { email, pass: PASS, site: SITE })
      assert.equal(again.status, 429)
      assert.match(String(field(again, 'reason')), /Too many emails/)
      covered('stage_user')
    })

    it('complete_user_creation from another browser needs the staged password', async () => {
      const email = fresh()
      const seen = stack.mark()
      await stack.injected().post('stage_user', { email, pass: PASS, site: SITE })
      const token = tokenOf(await stack.waitForMail(email, seen))
      const other = stack.injected()
      const info = await other.get('email_for_token', { token })
      assert.equal(field(info, 'must_auth'), true)
      assert.equal(field(await other.get('user_creation_status', { email }), 'status'), 'mustAuth')
      assert.equal((await other.post('complete_user_creation', { token })).status, 401)
      assert.equal(
        (await other.post('complete_user_creation', { token, pass: 'wrong password' })).status,
        401,
      )
      assert.deepEqual((await other.post('complete_user_creation', { token, pass: PASS })).body, {
        success: true,
      })
      const noSuch = await other.get('email_for_token', { token })
      assert.deepEqual(noSuch.body, { success: false, reason: 'no such secret' })
      covered('complete_user_creation', 'email_for_token', 'user_creation_status')
    })

    it('authenticate_user: wrong password, backoff after ACCOUNT_BACKOFF_AFTER, unknown user', async () => {
      const email = fresh()
      await account(email)
      const b = stack.injected()
      for (let i = 0; i < 3; i++) {
        const r = await b.post('authenticate_user', { email, pass: 'wrong password', ephemeral: false })
        assert.equal(field(r, 'reason'), `password mismatch for user: ${email}`)
      }
      const locked = await b.post('authenticate_user', { email, pass: PASS, ephemeral: false })
      assert.deepEqual(locked.body, {
        success: false,
        reason: 'account is locked',
        code: 'account locked',
        retry_after: 60,
      })
      // An unknown address gets the answer a wrong password gets (no account enumeration by sign-in).
      const stranger = fresh()
      const nobody = await b.post('authenticate_user', { email: stranger, pass: PASS, ephemeral: false })
      assert.deepEqual(nobody.body, { success: false, reason: `password mismatch for user: ${stranger}` })
    })

    it('authenticate_user: a parallel burst of guesses gets no more password checks than the limit', async () => {
      const email = fresh()
      await account(email)
      const guesses = await Promise.all(
        Array.from({ length: 12 }, () =>
          stack.injected().post('authenticate_user', { email, pass: 'wrong password', ephemeral: false }),
        ),
      )
      const checked = guesses.filter((r) => field(r, 'reason') === `password mismatch for user: ${email}`)
      const locked = guesses.filter((r) => field(r, 'reason') === 'account is locked')
      assert.ok(checked.length <= 3, `${checked.length} guesses were checked`)
      assert.equal(checked.length + locked.length, 12)
      const right = await stack.injected().post('authenticate_user', { email, pass: PASS, ephemeral: false })
      assert.equal(field(right, 'reason'), 'account is locked')
    })

    it('authenticate_user: a success sets the failure count back to zero', async () => {
      const email = fresh()
      await account(email)
      const b = stack.injected()
      for (let round = 0; round < 2; round++) {
        for (let i = 0; i < 2; i++) {
          const r = await b.post('authenticate_user', { email, pass: 'wrong password', ephemeral: false })
          assert.equal(field(r, 'reason'), `password mismatch for user: ${email}`)
        }
        const ok = await b.post('authenticate_user', { email, pass: PASS, ephemeral: false })
        assert.equal(field(ok, 'success'), true, ok.text)
      }
      covered('authenticate_user')
    })

    it('cert_key refuses an address that is not yours (400)', async () => {
      const b = await account()
      const key = (await generateKeyPair('RS128')).publicKey.serialize()
      const r = await b.post('cert_key', { email: fresh(), pubkey: key, ephemeral: false })
      assert.equal(r.status, 400)
      assert.equal(field(r, 'reason'), 'that email does not belong to you')
    })

    it('auth_with_assertion creates a primary account; add_email_with_assertion and used_address_as_primary', async () => {
      const b = stack.injected()
      const email = `p${Date.now()}@${PRIMARY_DOMAIN}`
      const r = await b.post('auth_with_assertion', {
        assertion: await primaryAssertion(email),
        ephemeral: false,
      })
      assert.equal(field(r, 'success'), true, r.text)
      const ctx = await b.context()
      assert.equal(ctx.auth_level, 'assertion')
      assert.equal(ctx.has_password, false)
      const email2 = `q${Date.now()}@${PRIMARY_DOMAIN}`
      const add = await b.post('add_email_with_assertion', { assertion: await primaryAssertion(email2) })
      assert.deepEqual(add.body, { success: true }, add.text)
      assert.deepEqual(
        [...(field(await b.get('list_emails'), 'emails') as string[])].sort(),
        [email, email2].sort(),
      )
      assert.deepEqual((await b.post('used_address_as_primary', { email })).body, { success: true })
      const bad = await b.post('auth_with_assertion', {
        assertion: `${'x'.repeat(60)}~${'y'.repeat(60)}`,
        ephemeral: false,
      })
      assert.equal(field(bad, 'success'), false)
      // cert_key needs a password-level session.
      const key = (await generateKeyPair('RS128')).publicKey.serialize()
      assert.equal((await b.post('cert_key', { email, pubkey: key, ephemeral: false })).status, 401)
      covered('auth_with_assertion', 'add_email_with_assertion', 'used_address_as_primary')
    })

    it('stage_email + complete_email_confirmation from another browser with the password', async () => {
      const b = await account()
      const email2 = fresh()
      const seen = stack.mark()
      assert.deepEqual((await b.post('stage_email', { email: email2, site: SITE, pass: PASS })).body, {
        success: false,
        reason: 'a password may not be set at this time',
      })
      assert.deepEqual((await b.post('stage_email', { email: email2, site: SITE })).body, { success: true })
      const token = tokenOf(await stack.waitForMail(email2, seen))
      const other = stack.injected()
      assert.equal((await other.post('complete_email_confirmation', { token })).status, 401)
      assert.deepEqual((await other.post('complete_email_confirmation', { token, pass: PASS })).body, {
        success: true,
      })
      assert.deepEqual((await b.get('email_reverify_status', { email: email2 })).body, { status: 'complete' })
      covered('stage_email', 'complete_email_confirmation', 'email_reverify_status')
    })

    it('stage_reverify refuses a verified or foreign address', async () => {
      const b = await account()
      const ctx = await b.get('list_emails')
      const [mine] = field(ctx, 'emails') as string[]
      assert.ok(mine !== undefined)
      assert.deepEqual((await b.post('stage_reverify', { email: mine, site: SITE })).body, {
        success: false,
        reason: 'email is already verified',
      })
      assert.deepEqual((await b.post('stage_reverify', { email: fresh(), site: SITE })).body, {
        success: false,
        reason: "you don't control that email address",
      })
    })

    it('stage_reset for an unknown address; password_reset_status and transition_status', async () => {
      const email = fresh()
      const b = await account(email)
      assert.deepEqual((await b.get('password_reset_status', { email })).body, {
        status: 'complete',
        userid: (await b.context()).userid,
      })
      assert.deepEqual((await b.get('transition_status', { email: fresh() })).body, { status: 'mustAuth' })
      const none = await stack.injected().post('stage_reset', { email: fresh(), site: SITE })
      assert.deepEqual(none.body, { success: false, reason: 'No such email address.' })
      covered('password_reset_status', 'transition_status')
    })

    it('stage_transition + complete_transition on the same browser', async () => {
      const email = fresh()
      await account(email)
      const b = stack.injected()
      const seen = stack.mark()
      const r = await b.post('stage_transition', { email, pass: 'the transition pw', site: SITE })
      assert.deepEqual(r.body, { success: true }, r.text)
      const m = await stack.waitForMail(email, seen)
      assert.match(m.Text, /\/complete_transition\?token=/)
      assert.deepEqual((await b.get('transition_status', { email })).body, { status: 'pending' })
      assert.deepEqual((await b.post('complete_transition', { token: tokenOf(m) })).body, { success: true })
      const signIn = await stack
        .browser()
        .post('authenticate_user', { email, pass: 'the transition pw', ephemeral: false })
      assert.equal(field(signIn, 'success'), true)
      covered('stage_transition', 'complete_transition')
    })

    it('update_password: wrong old password, then a change that ends other sessions', async () => {
      const email = fresh()
      const b = await account(email)
      const other = stack.injected()
      assert.equal(
        field(await other.post('authenticate_user', { email, pass: PASS, ephemeral: false }), 'success'),
        true,
      )
      assert.deepEqual(
        (await b.post('update_password', { oldpass: 'not the password', newpass: 'new password!' })).body,
        {
          success: false,
        },
      )
      assert.deepEqual((await b.post('update_password', { oldpass: PASS, newpass: 'new password!' })).body, {
        success: true,
      })
      assert.equal((await b.context()).authenticated, true)
      assert.equal((await other.get('list_emails')).status, 401)
      covered('update_password')
    })

    it('cert_key certifies a key for your verified address (the certificate is the text body)', async () => {
      const email = fresh()
      const b = await account(email)
      const key = (await generateKeyPair('RS256')).publicKey.serialize()
      const r = await b.post('cert_key', { email, pubkey: key, ephemeral: true })
      assert.equal(r.status, 200, r.text)
      assert.match(String(r.headers['content-type']), /^text\/plain/)
      assert.equal(r.text.split('.').length, 3)
      covered('cert_key')
    })

    it('stage_reset + complete_reset: the mailed link sets a new password and signs this browser in', async () => {
      const email = fresh()
      await account(email)
      const b = stack.injected()
      const seen = stack.mark()
      assert.deepEqual((await b.post('stage_reset', { email, site: SITE })).body, { success: true })
      assert.deepEqual((await b.get('password_reset_status', { email })).body, { status: 'pending' })
      const token = tokenOf(await stack.waitForMail(email, seen))
      assert.deepEqual((await b.post('complete_reset', { token, pass: 'a new password' })).body, {
        success: true,
      })
      assert.equal((await b.context()).auth_level, 'password')
      covered('stage_reset', 'complete_reset')
    })

    it('stage_reverify mails a link for an address a reset left unverified; email_addition_status', async () => {
      const email = fresh()
      const b = await account(email)
      const email2 = fresh()
      let seen = stack.mark()
      assert.deepEqual((await b.post('stage_email', { email: email2, site: SITE })).body, { success: true })
      assert.deepEqual((await b.get('email_addition_status', { email: email2 })).body, { status: 'pending' })
      const addToken = tokenOf(await stack.waitForMail(email2, seen))
      assert.deepEqual((await b.post('complete_email_confirmation', { token: addToken })).body, {
        success: true,
      })
      assert.deepEqual((await b.get('email_addition_status', { email: email2 })).body, { status: 'complete' })
      // A reset of the first address leaves the second unverified until it is confirmed again.
      seen = stack.mark()
      await b.post('stage_reset', { email, site: SITE })
      const resetToken = tokenOf(await stack.waitForMail(email, seen))
      assert.deepEqual((await b.post('complete_reset', { token: resetToken, pass: 'a new password' })).body, {
        success: true,
      })
      assert.deepEqual((await b.get('email_reverify_status', { email: email2 })).body, { status: 'pending' })
      seen = stack.mark()
      assert.deepEqual((await b.post('stage_reverify', { email: email2, site: SITE })).body, {
        success: true,
      })
      const reverify = await stack.waitForMail(email2, seen)
      assert.deepEqual((await b.post('complete_email_confirmation', { token: tokenOf(reverify) })).body, {
        success: true,
      })
      assert.deepEqual((await b.get('email_reverify_status', { email: email2 })).body, { status: 'complete' })
      covered('stage_reverify', 'email_addition_status')
    })

    it('remove_email removes your address; account_cancel deletes the account and signs out', async () => {
      const email = fresh()
      const b = await account(email)
      const email2 = fresh()
      const seen = stack.mark()
      await b.post('stage_email', { email: email2, site: SITE })
      await b.post('complete_email_confirmation', { token: tokenOf(await stack.waitForMail(email2, seen)) })
      assert.deepEqual((await b.post('remove_email', { email: email2 })).body, { success: true })
      assert.deepEqual((await b.get('have_email', { email: email2 })).body, { email_known: false })
      assert.deepEqual((await b.post('account_cancel')).body, { success: true })
      assert.equal((await b.context()).authenticated, false)
      assert.deepEqual((await b.get('have_email', { email })).body, { email_known: false })
      covered('remove_email', 'account_cancel')
    })

    it('remove_email refuses an address that is not yours', async () => {
      const b = await account()
      const r = await b.post('remove_email', { email: 'nobody@example.test' })
      assert.equal(r.status, 400)
      assert.match(String(field(r, 'reason')), /doesn't have permission/)
    })

    it('every public call has a successful in-process test here', () => {
      const publicCalls = WSAPI_CALLS.filter((c) => !c.internal).map((c) => c.name)
      assert.deepEqual(publicCalls.filter((name) => !tested.has(name)).sort(), [])
    })
  })
})
