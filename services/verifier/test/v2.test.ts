// SPDX-License-Identifier: MPL-2.0
// POST /v2 (the API of Mozilla's later verifier) over HTTP, beside /verify: the same answers for the
// same assertions (okay, expired, wrong audience, bad signature, issuer not authorised), JSON only,
// trustedIssuers letting a named issuer certify any address, idpClaims and userClaims from the
// certificate and assertion, Mozilla's error reasons, and a fuzz loop that only ever yields failures.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import {
  bundleAssertion,
  generateKeyPair,
  type PublicKey,
  type SecretKey,
  signAssertion,
  signCertificate,
  signJws,
} from '@persona/browserid'
import { extraClaims, readV2Params } from '../src/v2.ts'
import { type Harness, post, startHarness } from './harness.ts'

const FALLBACK = 'login.example'
const RP = 'https://rp.example'
let h: Harness
let fallback: { publicKey: PublicKey; secretKey: SecretKey }
let idp: { publicKey: PublicKey; secretKey: SecretKey }
let other: { publicKey: PublicKey; secretKey: SecretKey }
let user: { publicKey: PublicKey; secretKey: SecretKey }

function backed(opts: {
  issuer: string
  signer: SecretKey
  email: string
  audience?: string
  certExp?: number
  assertionExp?: number
}) {
  const now = Date.now()
  const cert = signCertificate(
    {
      issuer: opts.issuer,
      publicKey: user.publicKey,
      email: opts.email,
      iat: now,
      exp: opts.certExp ?? now + 3600_000,
    },
    opts.signer,
  )
  return bundleAssertion(
    [cert],
    signAssertion({ audience: opts.audience ?? RP, exp: opts.assertionExp ?? now + 120_000 }, user.secretKey),
  )
}

async function v2(body: unknown, type = 'application/json') {
  return post(`${h.url}/v2`, typeof body === 'string' ? body : JSON.stringify(body), type)
}

before(async () => {
  ;[fallback, idp, other, user] = await Promise.all([
    generateKeyPair('RS256'),
    generateKeyPair('RS256'),
    generateKeyPair('RS256'),
    generateKeyPair('DS128'),
  ])
  h = await startHarness({
    fallbackDomain: FALLBACK,
    fallbackPublicKey: fallback.publicKey.toJSON(),
    documents: {
      'idp.example': { 'public-key': idp.publicKey.toJSON(), authentication: '/auth', provisioning: '/prov' },
      'plain.example': null,
    },
    workers: 1,
  })
})
after(() => h.close())

describe('POST /v2 answers as /verify does', () => {
  const cases: { name: string; make: () => string; audience?: string; okay: boolean; reason?: RegExp }[] = [
    {
      name: 'an address of a domain without BrowserID, certified by the fallback',
      make: () => backed({ issuer: FALLBACK, signer: fallback.secretKey, email: 'a@plain.example' }),
      okay: true,
    },
    {
      name: 'a primary’s own user',
      make: () => backed({ issuer: 'idp.example', signer: idp.secretKey, email: 'b@idp.example' }),
      okay: true,
    },
    {
      name: 'an expired assertion',
      make: () =>
        backed({
          issuer: FALLBACK,
          signer: fallback.secretKey,
          email: 'a@plain.example',
          assertionExp: Date.now() - 600_000,
        }),
      okay: false,
      reason: /expired/,
    },
    {
      name: 'another audience',
      make: () => backed({ issuer: FALLBACK, signer: fallback.secretKey, email: 'a@plain.example' }),
      audience: 'https://evil.example',
      okay: false,
      reason: /audience/,
    },
    {
      name: 'a certificate signed with the wrong key',
      make: () => backed({ issuer: FALLBACK, signer: other.secretKey, email: 'a@plain.example' }),
      okay: false,
    },
    {
      name: 'an issuer that may not speak for the domain',
      make: () => backed({ issuer: FALLBACK, signer: fallback.secretKey, email: 'c@idp.example' }),
      okay: false,
      reason: /issuer/,
    },
  ]
  for (const c of cases) {
    test(c.name, async () => {
      const assertion = c.make()
      const audience = c.audience ?? RP
      const [one, two] = await Promise.all([
        post(`${h.url}/verify`, JSON.stringify({ assertion, audience }), 'application/json'),
        v2({ assertion, audience }),
      ])
      assert.equal(two.status, 200)
      assert.equal(two.json.status, c.okay ? 'okay' : 'failure', JSON.stringify(two.json))
      assert.deepEqual(
        { ...two.json, idpClaims: undefined, userClaims: undefined },
        { ...one.json, idpClaims: undefined, userClaims: undefined },
        'the same answer as /verify',
      )
      if (c.reason) assert.match(String(two.json.reason), c.reason)
    })
  }
})

describe('trustedIssuers', () => {
  // An issuer certifying an address outside its own domain: refused unless the site trusts it.
  const foreign = () => backed({ issuer: 'idp.example', signer: idp.secretKey, email: 'd@plain.example' })

  test('a trusted issuer may certify any address, with its own key', async () => {
    const r = await v2({ assertion: foreign(), audience: RP, trustedIssuers: ['idp.example'] })
    assert.equal(r.json.status, 'okay', JSON.stringify(r.json))
    assert.equal(r.json.email, 'd@plain.example')
    assert.equal(r.json.issuer, 'idp.example')
  })

  test('without it (or on /verify) the same assertion is refused', async () => {
    const r = await v2({ assertion: foreign(), audience: RP })
    assert.equal(r.json.status, 'failure')
    const one = await post(
      `${h.url}/verify`,
      JSON.stringify({ assertion: foreign(), audience: RP }),
      'application/json',
    )
    assert.equal(one.json.status, 'failure')
  })

  test('trust does not excuse a bad signature', async () => {
    const forged = backed({ issuer: 'idp.example', signer: other.secretKey, email: 'd@plain.example' })
    const r = await v2({ assertion: forged, audience: RP, trustedIssuers: ['idp.example'] })
    assert.equal(r.json.status, 'failure')
  })

  test('a trusted issuer without a key of its own is a failure, not a 5xx', async () => {
    const a = backed({ issuer: 'plain.example', signer: other.secretKey, email: 'e@idp.example' })
    const r = await v2({ assertion: a, audience: RP, trustedIssuers: ['plain.example'] })
    assert.equal(r.status, 200)
    assert.equal(r.json.status, 'failure')
    assert.match(String(r.json.reason), /plain\.example/)
  })

  test('malformed lists get Mozilla’s 400s', async () => {
    const a = foreign()
    const notArray = await v2({ assertion: a, audience: RP, trustedIssuers: 'idp.example' })
    assert.deepEqual([notArray.status, notArray.json.reason], [400, 'trusted issuers must be an array'])
    const notStrings = await v2({ assertion: a, audience: RP, trustedIssuers: [1] })
    assert.deepEqual(
      [notStrings.status, notStrings.json.reason],
      [400, 'trusted issuers must be an array of strings'],
    )
  })
})

describe('claims', () => {
  test('extra certificate and assertion claims come back as idpClaims and userClaims', async () => {
    const now = Date.now()
    const cert = signJws(
      {
        'public-key': user.publicKey.toJSON(),
        principal: { email: 'f@idp.example', 'fxa-generation': 7 },
        iat: now,
        exp: now + 3600_000,
        iss: 'idp.example',
        'fxa-verifiedEmail': 'f@idp.example',
      },
      idp.secretKey,
    )
    const assertion = bundleAssertion(
      [cert],
      signJws({ aud: RP, exp: now + 120_000, 'fxa-keysChanged': false }, user.secretKey),
    )
    const r = await v2({ assertion, audience: RP })
    assert.equal(r.json.status, 'okay', JSON.stringify(r.json))
    assert.deepEqual(r.json.idpClaims, { 'fxa-verifiedEmail': 'f@idp.example', 'fxa-generation': 7 })
    assert.deepEqual(r.json.userClaims, { 'fxa-keysChanged': false })
  })

  test('a certificate with only protocol claims has no idpClaims', async () => {
    const r = await v2({
      assertion: backed({ issuer: FALLBACK, signer: fallback.secretKey, email: 'a@plain.example' }),
      audience: RP,
    })
    assert.equal(r.json.status, 'okay')
    assert.equal('idpClaims' in r.json, false)
    assert.deepEqual(extraClaims({ iss: 'x', principal: { email: 'a@b' }, exp: 1 }), undefined)
  })
})

describe('requests', () => {
  test('JSON only: a form body is a 415 naming what it wants', async () => {
    const r = await post(`${h.url}/v2`, 'assertion=x&audience=y', 'application/x-www-form-urlencoded')
    assert.equal(r.status, 415)
    assert.match(String(r.json.reason), /expected application\/json/)
  })

  test('missing parameters, bad JSON and GET', async () => {
    const noAssertion = await v2({ audience: RP })
    assert.deepEqual([noAssertion.status, noAssertion.json.reason], [400, 'missing assertion parameter'])
    const noAudience = await v2({ assertion: 'x' })
    assert.deepEqual([noAudience.status, noAudience.json.reason], [400, 'missing audience parameter'])
    const bad = await v2('{"assertion":', 'application/json')
    assert.equal(bad.status, 400)
    assert.equal(bad.json.status, 'failure')
    const get = await fetch(`${h.url}/v2`)
    assert.equal(get.status, 405)
  })

  test('parameter checks', () => {
    assert.deepEqual(readV2Params({ assertion: 'a', audience: 'b', trustedIssuers: ['IdP.Example'] }), {
      ok: true,
      assertion: 'a',
      audience: 'b',
      trusted: ['idp.example'],
    })
    assert.equal(readV2Params({ assertion: 'a'.repeat(70_000), audience: 'b' }).ok, false)
    assert.equal(
      readV2Params({ assertion: 'a', audience: 'b', trustedIssuers: Array(101).fill('x') }).ok,
      false,
    )
    assert.equal(readV2Params({ assertion: 5, audience: 'b' }).ok, false)
  })

  test('random and mutated input only ever fails, never a 5xx', async () => {
    const good = backed({ issuer: FALLBACK, signer: fallback.secretKey, email: 'a@plain.example' })
    for (let i = 0; i < 60; i++) {
      const chars = good.split('')
      const at = i % chars.length
      chars[at] = chars[at] === 'A' ? 'B' : 'A'
      const bodies: unknown[] = [
        { assertion: chars.join(''), audience: RP, trustedIssuers: [FALLBACK] },
        { assertion: randomBytes(40).toString('base64url'), audience: RP },
        { assertion: good, audience: RP, trustedIssuers: [randomBytes(4).toString('hex')] },
      ]
      for (const body of bodies) {
        const r = await v2(body)
        assert.ok(r.status < 500, `${r.status} ${JSON.stringify(r.json)}`)
        if (r.json.status === 'okay') assert.equal(body, bodies[2])
      }
    }
  })
})
