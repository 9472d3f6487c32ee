// SPDX-License-Identifier: MPL-2.0
// Unit tests of the browser's key and assertion building: WebCrypto RS256 keys serialized in
// BrowserID's decimal form, compact JWS signatures that Node's own RSA verifier accepts, and the
// `cert~assertion` bundle with the audience and a two-minute expiry.
import assert from 'node:assert/strict'
import { createPublicKey, createVerify } from 'node:crypto'
import { describe, it } from 'node:test'
import { base64urlToUtf8, decimalToBase64url } from '../src/lib/encoding.ts'
import {
  assertionPayload,
  certExpiry,
  decodeJwsPayload,
  makeBackedAssertion,
  signingInput,
  signJws,
} from '../src/lib/jws.ts'
import { generateKeyPair, jwkToBrowserId, serializePublicKey, signerFor } from '../src/lib/keys.ts'

function verifyRs256(jws: string, publicJwk: JsonWebKey): boolean {
  const [h, p, s] = jws.split('.')
  if (h === undefined || p === undefined || s === undefined) return false
  const key = createPublicKey({
    key: { kty: 'RSA', n: publicJwk.n ?? '', e: publicJwk.e ?? '' },
    format: 'jwk',
  })
  return createVerify('RSA-SHA256').update(`${h}.${p}`).verify(key, Buffer.from(s, 'base64url'))
}

describe('keys', () => {
  it('serializes a fresh 2048-bit key as {"algorithm":"RS", n, e} in decimal', async () => {
    const { publicJwk, privateJwk } = await generateKeyPair()
    assert.equal(privateJwk.kty, 'RSA')
    const pub = JSON.parse(serializePublicKey(publicJwk))
    assert.deepEqual(Object.keys(pub).sort(), ['algorithm', 'e', 'n'])
    assert.equal(pub.algorithm, 'RS')
    assert.equal(pub.e, '65537')
    assert.match(pub.n, /^[1-9][0-9]+$/)
    assert.equal(BigInt(pub.n).toString(2).length, 2048)
    assert.equal(decimalToBase64url(pub.n), publicJwk.n)
  })

  it('refuses a JWK without n/e', () => {
    assert.throws(() => jwkToBrowserId({ kty: 'EC' }), TypeError)
  })
})

describe('JWS', () => {
  it('builds header.payload in base64url JSON', () => {
    const input = signingInput({ alg: 'RS256' }, { a: 1 })
    const [h, p] = input.split('.')
    assert.equal(base64urlToUtf8(h ?? ''), '{"alg":"RS256"}')
    assert.equal(base64urlToUtf8(p ?? ''), '{"a":1}')
  })

  it('signs with WebCrypto so that an independent RS256 verifier accepts it, and not a tampered one', async () => {
    const { publicJwk, privateJwk } = await generateKeyPair()
    const jws = await signJws({ alg: 'RS256' }, { hello: 'world' }, await signerFor(privateJwk))
    assert.equal(verifyRs256(jws, publicJwk), true)
    const [h, , s] = jws.split('.')
    const tampered = `${h}.${Buffer.from('{"hello":"mars"}').toString('base64url')}.${s}`
    assert.equal(verifyRs256(tampered, publicJwk), false)
  })

  it('makes a backed assertion cert~assertion for the audience, expiring two minutes on', async () => {
    const { publicJwk, privateJwk } = await generateKeyPair()
    const now = 1_700_000_000_000
    const cert = await signJws(
      { alg: 'RS256' },
      { iss: 'idp.test', exp: now + 3_600_000 },
      await signerFor(privateJwk),
    )
    const bundle = await makeBackedAssertion(cert, 'http://127.0.0.1:4000', now, await signerFor(privateJwk))
    const parts = bundle.split('~')
    assert.equal(parts.length, 2)
    assert.equal(parts[0], cert)
    const assertion = parts[1] ?? ''
    assert.deepEqual(decodeJwsPayload(assertion), { exp: now + 120_000, aud: 'http://127.0.0.1:4000' })
    assert.equal(verifyRs256(assertion, publicJwk), true)
    assert.deepEqual(assertionPayload('https://a.example', 10, 5), { exp: 15, aud: 'https://a.example' })
  })

  it('reads a certificate expiry, and counts an unreadable one as expired', async () => {
    const { privateJwk } = await generateKeyPair()
    const cert = await signJws({ alg: 'RS256' }, { exp: 1234 }, await signerFor(privateJwk))
    assert.equal(certExpiry(cert), 1234)
    assert.equal(certExpiry('garbage'), 0)
    assert.equal(certExpiry('a.b.c'), 0)
  })
})
