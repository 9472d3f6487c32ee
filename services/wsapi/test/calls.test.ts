// SPDX-License-Identifier: MPL-2.0
// The call table and argument validation: Persona's 38 calls with their methods and flags (and our
// additions: end_sessions, internal; check_idp), and the argument types' accept/refuse rules with
// Persona's reasons.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  FORWARDED_CALLS,
  READER_CALLS,
  validateArgs,
  WRITER_CALLS,
  WSAPI_BY_NAME,
  WSAPI_CALLS,
  type WsapiCall,
} from '../src/index.ts'

function wsapiCall(name: string): WsapiCall {
  const c = WSAPI_BY_NAME.get(name)
  if (c === undefined) throw new Error(`no such call ${name}`)
  return c
}

describe('wsapi call table', () => {
  it("declares Persona's 38 calls, our internal end_sessions and our check_idp, once each", () => {
    assert.equal(WSAPI_CALLS.length, 40)
    assert.equal(new Set(WSAPI_CALLS.map((c) => c.name)).size, 40)
    assert.equal(READER_CALLS.length + WRITER_CALLS.length, 40)
    assert.deepEqual(
      WSAPI_CALLS.filter((c) => c.internal).map((c) => c.name),
      [
        'create_account_with_assertion',
        'user_used_email_as',
        'saw_idp',
        'forget_idp',
        'increment_failed_auth_tries',
        'reset_failed_auth_tries',
        'end_sessions',
      ],
    )
    assert.deepEqual(
      [wsapiCall('check_idp').method, wsapiCall('check_idp').auth, wsapiCall('check_idp').writesDb],
      ['GET', false, false],
    )
  })
  it('has Persona flags for representative calls', () => {
    assert.deepEqual(
      [wsapiCall('cert_key').auth, wsapiCall('cert_key').writesDb, wsapiCall('cert_key').method],
      ['password', false, 'POST'],
    )
    assert.equal(wsapiCall('saw_idp').internal, true)
    // Internal calls that write are POSTs (Persona's were GETs).
    for (const c of WSAPI_CALLS.filter((x) => x.internal)) assert.equal(c.method, 'POST', c.name)
    assert.equal(wsapiCall('stage_user').sendsEmail, true)
    assert.equal(wsapiCall('list_emails').auth, 'assertion')
    assert.ok(FORWARDED_CALLS.every((c) => c.writesDb && !c.internal))
    assert.equal(FORWARDED_CALLS.length, 14)
    assert.throws(() => wsapiCall('complete_reverify'))
  })
  it('every declared args schema refuses additional properties', () => {
    for (const c of WSAPI_CALLS)
      if (c.argsSchema !== null)
        assert.equal(Reflect.get(c.argsSchema, 'additionalProperties'), false, c.name)
  })
  it('each call is declared in a file named after it', async () => {
    for (const c of WSAPI_CALLS) {
      const mod: unknown = await import(`../src/calls/${c.name.replaceAll('_', '-')}.ts`)
      assert.equal(Reflect.get(Object(mod), c.name.toUpperCase()), c, c.name)
    }
  })
})

describe('validateArgs', () => {
  const stage = wsapiCall('stage_user')
  const good = { email: 'a@example.com', pass: 'password1', site: 'https://rp.example.com:8443' }
  it('accepts good input and sets csrf aside', () => {
    const r = validateArgs(stage, { ...good, csrf: 'x' })
    assert.deepEqual(r, { ok: true, args: good, csrf: 'x' })
  })
  it('names the missing parameter', () => {
    assert.deepEqual(validateArgs(stage, { pass: 'password1', site: good.site }), {
      ok: false,
      reason: "missing required parameter: 'email'",
    })
  })
  it('refuses extra parameters', () => {
    const r = validateArgs(stage, { ...good, foo: 1, bar: 2 })
    assert.deepEqual(r, { ok: false, reason: 'extra parameters are not allowed: foo, bar' })
  })
  const bad: [string, Record<string, unknown>, string][] = [
    ['email', { email: 'nodot@localhost' }, 'email: '],
    ['short password', { pass: 'short' }, 'pass: '],
    ['long password', { pass: 'x'.repeat(81) }, 'pass: '],
    ['origin with path', { site: 'https://rp.example.com/' }, 'site: '],
    ['origin scheme', { site: 'ftp://rp.example.com' }, 'site: '],
    ['colour', { backgroundColor: '#12345' }, 'backgroundColor: '],
    ['http image', { siteLogo: 'http://x.example/logo.png' }, 'siteLogo: images must be served over https.'],
    ['string boolean', { allowUnverified: 'true' }, 'allowUnverified: boolean required'],
    ['null is type-checked', { email: null }, 'email: '],
  ]
  for (const [what, patch, prefix] of bad) {
    it(`refuses ${what}`, () => {
      const r = validateArgs(stage, { ...good, ...patch })
      assert.equal(r.ok, false)
      assert.ok(!r.ok && r.reason.startsWith(prefix), !r.ok ? r.reason : '')
    })
  }
  it('checks tokens, pubkeys and query user ids', () => {
    const tok = 'a'.repeat(48)
    assert.equal(validateArgs(wsapiCall('email_for_token'), { token: tok }).ok, true)
    assert.equal(validateArgs(wsapiCall('email_for_token'), { token: `${tok}!` }).ok, false)
    assert.equal(validateArgs(wsapiCall('email_for_token'), { token: 'a'.repeat(47) }).ok, false)
    const ck = wsapiCall('cert_key')
    const pk = JSON.stringify({ algorithm: 'RS', n: '1'.repeat(60), e: '65537' })
    assert.equal(validateArgs(ck, { email: 'a@b.co', pubkey: pk, ephemeral: false }).ok, true)
    const r = validateArgs(ck, { email: 'a@b.co', pubkey: `{${'x'.repeat(60)}`, ephemeral: false })
    assert.deepEqual(r, { ok: false, reason: 'pubkey: public key is not valid JSON' })
    const inc = wsapiCall('increment_failed_auth_tries')
    assert.deepEqual(validateArgs(inc, { userid: '42', email: 'a@b.co' }, true), {
      ok: true,
      args: { userid: 42, email: 'a@b.co' },
      csrf: undefined,
    })
    assert.equal(validateArgs(inc, { userid: '4x', email: 'a@b.co' }, true).ok, false)
    assert.equal(validateArgs(inc, { userid: 42, email: 'a@b.co' }).ok, true)
  })
  it('calls declaring no args accept anything; an empty declaration refuses any', () => {
    assert.equal(validateArgs(wsapiCall('interaction_data'), { data: [1] }).ok, true)
    assert.equal(validateArgs(wsapiCall('remove_email'), { email: 'a@b.co', a: 1 }).ok, false)
  })
})
