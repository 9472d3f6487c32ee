// SPDX-License-Identifier: MPL-2.0
// The cache of verified certificates: bounded, entries gone when their certificate expires or the issuer
// key changes; over HTTP, a returning certificate is a hit and the assertion riding on it is still
// checked in full (signature, expiry, audience).
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import {
  bundleAssertion,
  generateKeyPair,
  isFailure,
  type ParsedBundle,
  type PublicKey,
  parseBundle,
  type SecretKey,
  signAssertion,
  signCertificate,
} from '@persona/browserid'
import { CertificateCache } from '../src/cert-cache.ts'
import { type Harness, post, startHarness } from './harness.ts'

const FALLBACK = 'login.example'
const RP = 'https://rp.example'
const HOUR = 3600_000
let issuer: { publicKey: PublicKey; secretKey: SecretKey }
let user: { publicKey: PublicKey; secretKey: SecretKey }
let stranger: { publicKey: PublicKey; secretKey: SecretKey }

before(async () => {
  ;[issuer, user, stranger] = await Promise.all([
    generateKeyPair('RS256'),
    generateKeyPair('DS128'),
    generateKeyPair('DS128'),
  ])
})

function certificate(email: string, iat: number, exp: number): string {
  return signCertificate({ issuer: FALLBACK, publicKey: user.publicKey, email, iat, exp }, issuer.secretKey)
}

function assertion(cert: string, opts: { exp: number; audience?: string; signer?: SecretKey }): string {
  const signer = opts.signer ?? user.secretKey
  return bundleAssertion([cert], signAssertion({ audience: opts.audience ?? RP, exp: opts.exp }, signer))
}

function parsed(bundle: string): ParsedBundle {
  const p = parseBundle(bundle)
  assert.ok(!isFailure(p))
  return p
}

describe('CertificateCache', () => {
  const T = 1_768_478_400_000
  const keys = CertificateCache.keysId([{ algorithm: 'RS', n: '1', e: '65537' }])

  test('holds at most its bound, least recently used out first', () => {
    const cache = new CertificateCache(3)
    const chains = Array.from({ length: 5 }, (_, i) =>
      parsed(assertion(certificate(`u${i}@mail.example`, T, T + HOUR), { exp: T + 60_000 })),
    )
    const ids = chains.map((c) => CertificateCache.keyOf(c))
    chains.forEach((c, i) => {
      cache.remember(ids[i] ?? '', keys, c, T)
    })
    assert.equal(cache.size, 3)
    assert.equal(cache.verified(ids[0] ?? '', keys, T), false)
    assert.equal(cache.verified(ids[1] ?? '', keys, T), false)
    for (const id of ids.slice(2)) assert.equal(cache.verified(id, keys, T), true)
    assert.deepEqual({ hits: cache.hits, misses: cache.misses }, { hits: 3, misses: 2 })
  })

  test('an entry ends when its certificate expires, and a changed issuer key is a miss', () => {
    const cache = new CertificateCache(10)
    const chain = parsed(assertion(certificate('a@mail.example', T, T + HOUR), { exp: T + 60_000 }))
    const id = CertificateCache.keyOf(chain)
    cache.remember(id, keys, chain, T)
    assert.equal(cache.verified(id, keys, T + HOUR - 1), true)
    const rotated = CertificateCache.keysId([{ algorithm: 'RS', n: '2', e: '65537' }])
    assert.equal(cache.verified(id, rotated, T + HOUR - 1), false)
    assert.equal(cache.verified(id, keys, T + HOUR), false)
    assert.equal(cache.size, 0, 'the expired entry was evicted')
    // A certificate already expired (accepted within the clock skew) is never cached.
    cache.remember(id, keys, chain, T + HOUR + 1)
    assert.equal(cache.size, 0)
  })

  test('the key is the certificate: another certificate for the same key and address is another entry', () => {
    const a = parsed(assertion(certificate('a@mail.example', T, T + HOUR), { exp: T + 60_000 }))
    const b = parsed(assertion(certificate('a@mail.example', T + 1, T + HOUR), { exp: T + 60_000 }))
    const a2 = parsed(assertion(certificate('a@mail.example', T, T + HOUR), { exp: T + 90_000 }))
    assert.notEqual(CertificateCache.keyOf(a), CertificateCache.keyOf(b))
    // RSA PKCS#1 v1.5 signing is deterministic: the same certificate with a new assertion, same key.
    assert.equal(CertificateCache.keyOf(a), CertificateCache.keyOf(a2))
  })

  test('size 0 turns it off', () => {
    const cache = new CertificateCache(0)
    const chain = parsed(assertion(certificate('a@mail.example', T, T + HOUR), { exp: T + 60_000 }))
    cache.remember(CertificateCache.keyOf(chain), keys, chain, T)
    assert.equal(cache.verified(CertificateCache.keyOf(chain), keys, T), false)
    assert.throws(() => new CertificateCache(-1), TypeError)
  })
})

describe('over HTTP', () => {
  let h: Harness
  let clock = Date.now()
  const cache = new CertificateCache(100)
  before(async () => {
    h = await startHarness({
      fallbackDomain: FALLBACK,
      fallbackPublicKey: issuer.publicKey.toJSON(),
      documents: { 'mail.example': null },
      now: () => clock,
      certificates: cache,
    })
  })
  after(() => h.close())
  const verify = async (bundle: string, audience = RP) =>
    (await post(`${h.url}/verify`, JSON.stringify({ assertion: bundle, audience }), 'application/json')).json

  test('a returning certificate is a hit; the assertion on it is still checked in full', async () => {
    const start = clock
    const cert = certificate('alice@mail.example', start, start + HOUR)
    assert.equal((await verify(assertion(cert, { exp: start + 60_000 }))).status, 'okay')
    assert.deepEqual([cache.hits, cache.size], [0, 1])
    const again = await verify(assertion(cert, { exp: start + 90_000 }))
    assert.equal(again.status, 'okay', JSON.stringify(again))
    assert.equal(again.email, 'alice@mail.example')
    assert.equal(cache.hits, 1)

    // Someone holding only the certificate (not the user's key) gets nothing from the cache.
    const forged = await verify(assertion(cert, { exp: start + 60_000, signer: stranger.secretKey }))
    assert.deepEqual(forged, { status: 'failure', reason: 'bad signature in assertion' })
    assert.equal(cache.hits, 2, 'the forged assertion was checked on the cache-hit path')

    const wrongAudience = await verify(assertion(cert, { exp: start + 60_000 }), 'https://evil.example')
    assert.equal(wrongAudience.status, 'failure')
    assert.match(String(wrongAudience.reason), /audience mismatch/)
    const stale = await verify(assertion(cert, { exp: start - 10 * 60_000 }))
    assert.deepEqual(stale, { status: 'failure', reason: 'assertion has expired' })

    // Past the certificate's end (and the skew), nothing from the cache makes it valid again.
    clock = start + HOUR + 5 * 60_000
    const late = await verify(assertion(cert, { exp: clock + 60_000 }))
    assert.deepEqual(late, { status: 'failure', reason: 'certificate has expired' })
    clock = start
  })

  test('a certificate that fails is never cached', async () => {
    const before = cache.size
    const other = await generateKeyPair('RS256')
    const bad = signCertificate(
      {
        issuer: FALLBACK,
        publicKey: user.publicKey,
        email: 'eve@mail.example',
        iat: clock,
        exp: clock + HOUR,
      },
      other.secretKey,
    )
    for (let i = 0; i < 2; i++) {
      const r = await verify(assertion(bad, { exp: clock + 60_000 }))
      assert.deepEqual(r, { status: 'failure', reason: 'bad signature in chain' })
    }
    assert.equal(cache.size, before)
  })
})
