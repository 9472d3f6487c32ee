// SPDX-License-Identifier: MPL-2.0
// The verifier over HTTP with fresh assertions: parameters from form, JSON and query; Persona's error
// shapes; support-document caching (single flight, Cache-Control, negative caching); and a fuzz loop
// of random and mutated inputs that must only ever produce failures, never a 5xx or a hang.
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
} from '@persona/browserid'
import { maxAge } from '@persona/proxy/client'
import { type Harness, post, startHarness } from './harness.ts'

const FALLBACK = 'login.example'
const RP = 'https://rp.example'
let h: Harness
let fallback: { publicKey: PublicKey; secretKey: SecretKey }
let idp: { publicKey: PublicKey; secretKey: SecretKey }
let user: { publicKey: PublicKey; secretKey: SecretKey }

function backed(opts: {
  issuer: string
  signer: SecretKey
  email: string
  audience?: string
  certExp?: number
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
    signAssertion({ audience: opts.audience ?? RP, exp: now + 120_000 }, user.secretKey),
  )
}

before(async () => {
  ;[fallback, idp, user] = await Promise.all([
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
      'burst.example': { 'public-key': idp.publicKey.toJSON(), authentication: '/a', provisioning: '/p' },
      // Only ever named by assertions that must be refused before any fetch.
      'never.example': { 'public-key': idp.publicKey.toJSON(), authentication: '/a', provisioning: '/p' },
    },
    workers: 2,
  })
})
after(() => h.close())

describe('parameters and answers', () => {
  test('form, JSON and query string all work; the audience comes back as sent', async () => {
    const assertion = backed({ issuer: FALLBACK, signer: fallback.secretKey, email: 'alice@plain.example' })
    const form = await post(
      `${h.url}/verify`,
      new URLSearchParams({ assertion, audience: 'rp.example:443' }).toString(),
      'application/x-www-form-urlencoded',
    )
    assert.equal(form.status, 200)
    assert.equal(form.json.status, 'okay', JSON.stringify(form.json))
    assert.equal(form.json.email, 'alice@plain.example')
    assert.equal(form.json.issuer, FALLBACK)
    assert.equal(form.json.audience, 'rp.example:443')
    assert.ok(Number(form.json.expires) > Date.now())
    const json = await post(`${h.url}/`, JSON.stringify({ assertion, audience: RP }), 'application/json')
    assert.equal(json.json.status, 'okay')
    const query = await post(`${h.url}/verify?${new URLSearchParams({ assertion, audience: RP })}`, undefined)
    assert.equal(query.json.status, 'okay')
  })

  test('an address at our own domain is certified by our key, without asking the proxy', async () => {
    const r = await post(
      `${h.url}/verify`,
      JSON.stringify({
        assertion: backed({ issuer: FALLBACK, signer: fallback.secretKey, email: `me@${FALLBACK}` }),
        audience: RP,
      }),
      'application/json',
    )
    assert.equal(r.json.status, 'okay', JSON.stringify(r.json))
    assert.equal(r.json.email, `me@${FALLBACK}`)
  })

  test('a primary IdP certifies its own users; the fallback may not', async () => {
    const ok = await post(
      `${h.url}/verify`,
      JSON.stringify({
        assertion: backed({ issuer: 'idp.example', signer: idp.secretKey, email: 'bob@idp.example' }),
        audience: RP,
      }),
      'application/json',
    )
    assert.equal(ok.json.status, 'okay')
    assert.equal(ok.json.issuer, 'idp.example')
    const bad = await post(
      `${h.url}/verify`,
      JSON.stringify({
        assertion: backed({ issuer: FALLBACK, signer: fallback.secretKey, email: 'bob@idp.example' }),
        audience: RP,
      }),
      'application/json',
    )
    assert.equal(bad.status, 200)
    assert.equal(bad.json.status, 'failure')
    assert.match(String(bad.json.reason), /may not speak for emails from 'idp\.example'/)
  })

  test('expired certificate and wrong audience give failures with reasons', async () => {
    const expired = backed({
      issuer: FALLBACK,
      signer: fallback.secretKey,
      email: 'a@plain.example',
      certExp: Date.now() - 3600_000,
    })
    const r1 = await post(
      `${h.url}/verify`,
      JSON.stringify({ assertion: expired, audience: RP }),
      'application/json',
    )
    assert.deepEqual(r1.json, { status: 'failure', reason: 'certificate has expired' })
    const good = backed({ issuer: FALLBACK, signer: fallback.secretKey, email: 'a@plain.example' })
    const r2 = await post(
      `${h.url}/verify`,
      JSON.stringify({ assertion: good, audience: 'https://evil.example' }),
      'application/json',
    )
    assert.equal(r2.json.status, 'failure')
    assert.match(String(r2.json.reason), /audience mismatch/)
  })

  test('missing parameters: 400 need assertion and audience', async () => {
    for (const body of [{}, { assertion: 'x' }, { audience: RP }, { assertion: '', audience: RP }]) {
      const r = await post(`${h.url}/verify`, JSON.stringify(body), 'application/json')
      assert.equal(r.status, 400)
      assert.deepEqual(r.json, { status: 'failure', reason: 'need assertion and audience' })
    }
    const none = await post(`${h.url}/verify`, undefined)
    assert.equal(none.status, 400)
  })

  test('unsupported content types get 415 naming what we accept; bad JSON gets 400', async () => {
    for (const type of ['text/plain', 'application/xml', 'multipart/form-data; boundary=x']) {
      const r = await post(`${h.url}/verify`, 'assertion=a&audience=b', type)
      assert.equal(r.status, 415, type)
      assert.equal(r.json.status, 'failure')
      assert.match(String(r.json.reason), /application\/x-www-form-urlencoded or application\/json/)
    }
    const badJson = await post(`${h.url}/verify`, '{"assertion":', 'application/json')
    assert.equal(badJson.status, 400)
    assert.deepEqual(badJson.json, { status: 'failure', reason: 'request body is not valid JSON' })
    const wrongTypes = await post(
      `${h.url}/verify`,
      JSON.stringify({ assertion: 5, audience: RP }),
      'application/json',
    )
    assert.equal(wrongTypes.status, 400)
    assert.equal(wrongTypes.json.status, 'failure')
    const huge = await post(
      `${h.url}/verify`,
      JSON.stringify({ assertion: 'a'.repeat(100_000), audience: RP }),
      'application/json',
    )
    assert.equal(huge.status, 413)
    assert.equal(huge.json.status, 'failure')
    const get = await fetch(`${h.url}/verify`)
    assert.equal(get.status, 405)
  })
})

describe('support documents', () => {
  test('a burst for one domain makes one fetch, and the cached document is reused', async () => {
    const l = h.idps['burst.example']
    assert.ok(l)
    const before = l.hits
    const assertion = backed({ issuer: 'burst.example', signer: idp.secretKey, email: 'c@burst.example' })
    const results = await Promise.all(
      Array.from({ length: 25 }, () =>
        post(`${h.url}/verify`, JSON.stringify({ assertion, audience: RP }), 'application/json'),
      ),
    )
    for (const r of results) assert.equal(r.json.status, 'okay')
    assert.equal(l.hits - before, 1)
    await post(`${h.url}/verify`, JSON.stringify({ assertion, audience: RP }), 'application/json')
    assert.equal(l.hits - before, 1)
  })

  test('an expired or misdirected assertion is refused before any support document is fetched', async () => {
    const l = h.idps['never.example']
    assert.ok(l)
    const now = Date.now()
    const cert = signCertificate(
      {
        issuer: 'never.example',
        publicKey: user.publicKey,
        email: 'late@never.example',
        iat: now - 7200_000,
        exp: now - 3600_000,
      },
      idp.secretKey,
    )
    const expired = bundleAssertion(
      [cert],
      signAssertion({ audience: RP, exp: now + 60_000 }, user.secretKey),
    )
    const r1 = await post(
      `${h.url}/verify`,
      JSON.stringify({ assertion: expired, audience: RP }),
      'application/json',
    )
    assert.deepEqual(r1.json, { status: 'failure', reason: 'certificate has expired' })
    const elsewhere = backed({
      issuer: 'never.example',
      signer: idp.secretKey,
      email: 'x@never.example',
      audience: 'https://other.example',
    })
    const r2 = await post(
      `${h.url}/verify`,
      JSON.stringify({ assertion: elsewhere, audience: RP }),
      'application/json',
    )
    assert.match(String(r2.json.reason), /audience mismatch/)
    assert.equal(l.hits, 0)
  })

  test('"no document" is cached too (negative caching)', async () => {
    const l = h.idps['plain.example']
    assert.ok(l)
    const assertion = backed({ issuer: FALLBACK, signer: fallback.secretKey, email: 'd@plain.example' })
    await post(`${h.url}/verify`, JSON.stringify({ assertion, audience: RP }), 'application/json')
    const before = l.hits
    await Promise.all(
      Array.from({ length: 5 }, () =>
        post(`${h.url}/verify`, JSON.stringify({ assertion, audience: RP }), 'application/json'),
      ),
    )
    assert.equal(l.hits, before)
  })

  test('Cache-Control parsing', () => {
    assert.equal(maxAge('public, max-age=3600'), 3600)
    assert.equal(maxAge('no-store'), 0)
    assert.equal(maxAge(undefined), undefined)
    assert.equal(maxAge('private'), undefined)
  })
})

describe('fuzz', () => {
  test('random and mutated inputs only ever give failures (no 5xx, no hang)', async () => {
    const good = backed({ issuer: FALLBACK, signer: fallback.secretKey, email: 'f@plain.example' })
    const alphabet = 'eyJhbGciOiJ.~-_=+/ {}[]"\\:,0123456789\u0000\u00ff\ud83d'
    const randomString = (n: number) =>
      Array.from({ length: n }, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join('')
    const mutate = (s: string) => {
      const chars = [...s]
      const edits = 1 + Math.floor(Math.random() * 4)
      for (let i = 0; i < edits; i++) {
        const at = Math.floor(Math.random() * chars.length)
        const op = Math.random()
        if (op < 0.4) chars[at] = alphabet[Math.floor(Math.random() * alphabet.length)] ?? 'x'
        else if (op < 0.7) chars.splice(at, 1)
        else chars.splice(at, 0, randomString(1 + Math.floor(Math.random() * 8)))
      }
      return chars.join('')
    }
    const bodies: [string, string | undefined][] = []
    for (let i = 0; i < 300; i++) {
      const assertion = i % 3 === 0 ? randomString(Math.floor(Math.random() * 400)) : mutate(good)
      const audience = i % 7 === 0 ? randomString(20) : RP
      bodies.push([JSON.stringify({ assertion, audience }), 'application/json'])
      bodies.push([
        new URLSearchParams({ assertion, audience }).toString(),
        'application/x-www-form-urlencoded',
      ])
      if (i % 10 === 0) bodies.push([randomBytes(64).toString('latin1'), 'application/json'])
      if (i % 10 === 5)
        bodies.push([JSON.stringify({ assertion: [assertion], audience: { a: 1 } }), 'application/json'])
    }
    let okays = 0
    for (let i = 0; i < bodies.length; i += 20) {
      const batch = await Promise.all(bodies.slice(i, i + 20).map(([b, t]) => post(`${h.url}/verify`, b, t)))
      for (const r of batch) {
        assert.ok([200, 400, 413, 415].includes(r.status), `status ${r.status}: ${JSON.stringify(r.json)}`)
        if (r.json.status === 'okay') okays++
        else {
          assert.equal(r.json.status, 'failure')
          assert.equal(typeof r.json.reason, 'string')
        }
      }
    }
    // A mutation can land in ignored bytes (e.g. the signature's padding bits) and still verify; rare.
    assert.ok(okays < bodies.length / 20, `${okays} mutated inputs verified`)
    const still = await post(
      `${h.url}/verify`,
      JSON.stringify({ assertion: good, audience: RP }),
      'application/json',
    )
    assert.equal(still.json.status, 'okay')
  })
})

describe('experimental flags', () => {
  test('experimental_forceIssuer is refused unless the operator lists that issuer', async () => {
    const assertion = backed({ issuer: FALLBACK, signer: fallback.secretKey, email: 'g@idp.example' })
    const r = await post(
      `${h.url}/verify`,
      JSON.stringify({ assertion, audience: RP, experimental_forceIssuer: FALLBACK }),
      'application/json',
    )
    assert.equal(r.json.status, 'failure')
    assert.match(String(r.json.reason), /won't force issuer/)
  })

  test('experimental_allowUnverified accepts an unverified-email certificate only when asked', async () => {
    const now = Date.now()
    const cert = signCertificate(
      {
        issuer: FALLBACK,
        publicKey: user.publicKey,
        email: 'u@plain.example',
        iat: now,
        exp: now + 3600_000,
        unverified: true,
      },
      fallback.secretKey,
    )
    const assertion = bundleAssertion(
      [cert],
      signAssertion({ audience: RP, exp: now + 120_000 }, user.secretKey),
    )
    const refused = await post(
      `${h.url}/verify`,
      JSON.stringify({ assertion, audience: RP }),
      'application/json',
    )
    assert.equal(refused.json.status, 'failure')
    const allowed = await post(
      `${h.url}/verify`,
      JSON.stringify({ assertion, audience: RP, experimental_allowUnverified: true }),
      'application/json',
    )
    assert.equal(allowed.json.status, 'okay', JSON.stringify(allowed.json))
    assert.equal(allowed.json['unverified-email'], 'u@plain.example')
  })
})
