// SPDX-License-Identifier: MPL-2.0
// Keys: generation for every algorithm, BrowserID JSON round trips (public and jwcrypto-form secret
// keys), algorithm naming from key sizes, and BrowserIdError codes for bad input.

import assert from 'node:assert/strict'
import { verify } from 'node:crypto'
import { describe, test } from 'node:test'
import {
  ALGORITHMS,
  BrowserIdError,
  DSA_GROUPS,
  decodeJws,
  generateKeyPair,
  loadPublicKey,
  loadSecretKey,
  signJws,
  verifyJwsSignature,
} from '../src/index.ts'

function throwsCode(fn: () => unknown, code: string): void {
  assert.throws(fn, (e: unknown) => e instanceof BrowserIdError && e.code === code)
}

describe('generated keys', () => {
  for (const alg of ALGORITHMS) {
    test(`${alg}: generate, serialize, load, sign and verify`, async () => {
      const { publicKey, secretKey } = await generateKeyPair(alg)
      assert.equal(publicKey.algorithm, alg)
      assert.equal(secretKey.algorithm, alg)
      const pubJson = publicKey.toJSON()
      assert.equal(pubJson.algorithm, alg.slice(0, 2))
      assert.equal(publicKey.serialize(), JSON.stringify(pubJson))
      const reloaded = loadPublicKey(publicKey.serialize())
      assert.ok(reloaded.equals(publicKey))
      assert.equal(reloaded.algorithm, alg)

      const secJson = secretKey.toJSON()
      if (secJson.algorithm === 'RS') {
        // jwcrypto's form: decimal n, e, d and nothing else.
        assert.deepEqual(Object.keys(secJson).sort(), ['algorithm', 'd', 'e', 'n'])
        assert.match(secJson.d, /^[0-9]+$/)
      } else {
        assert.deepEqual(Object.keys(secJson).sort(), ['algorithm', 'g', 'p', 'q', 'x'])
        const group = alg === 'DS256' ? DSA_GROUPS.DS256 : DSA_GROUPS.DS128
        assert.equal(secJson.p, group.p)
        assert.equal(secJson.q, group.q)
        assert.equal(secJson.g, group.g)
      }
      const reloadedSecret = loadSecretKey(secretKey.serialize())
      assert.equal(reloadedSecret.algorithm, alg)
      assert.ok(reloadedSecret.publicKey.equals(publicKey))

      // A signature by the reloaded secret key verifies with the original public key, and its
      // KeyObject is usable directly by node:crypto.
      const jws = signJws({ hello: 'world' }, reloadedSecret)
      const decoded = decodeJws(jws)
      assert.ok(typeof decoded !== 'string')
      assert.equal(decoded.alg, alg)
      assert.ok(verifyJwsSignature(decoded, publicKey))
      const sig = Buffer.from(decoded.signature, 'base64url')
      assert.equal(sig.length, publicKey.signatureLength)
      const key = publicKey.dsa
        ? { key: publicKey.keyObject(), dsaEncoding: 'ieee-p1363' as const }
        : publicKey.keyObject()
      assert.ok(verify(publicKey.hash, Buffer.from(decoded.signingInput), key, sig))
      const other = await generateKeyPair(alg)
      assert.ok(!verifyJwsSignature(decoded, other.publicKey))
    })
  }

  test('hash per algorithm follows jwcrypto (DS128 uses SHA-1, the rest SHA-256)', async () => {
    assert.equal((await generateKeyPair('DS128')).publicKey.hash, 'sha1')
    assert.equal((await generateKeyPair('DS256')).publicKey.hash, 'sha256')
    assert.equal((await generateKeyPair('RS64')).publicKey.hash, 'sha256')
  })

  test('DS public keys serialize in hex without leading zeros; RS in decimal', async () => {
    const ds = (await generateKeyPair('DS128')).publicKey.toJSON()
    assert.ok(ds.algorithm === 'DS')
    assert.match(ds.y, /^[1-9a-f][0-9a-f]*$/)
    const rs = (await generateKeyPair('RS64')).publicKey.toJSON()
    assert.ok(rs.algorithm === 'RS')
    assert.equal(rs.e, '65537')
    assert.match(rs.n, /^[1-9][0-9]+$/)
  })
})

describe('loading keys', () => {
  test('the same JSON gives the cached key; object and string forms agree', async () => {
    const { publicKey } = await generateKeyPair('DS128')
    const a = loadPublicKey(publicKey.toJSON())
    const b = loadPublicKey(publicKey.serialize())
    assert.equal(a, b)
    assert.equal(loadPublicKey(a), a)
  })

  test('a key object changed after loading is not served from the identity cache', async () => {
    const one = (await generateKeyPair('RS64')).publicKey.toJSON()
    const two = (await generateKeyPair('RS64')).publicKey.toJSON()
    const obj = { ...one }
    const first = loadPublicKey(obj)
    Object.assign(obj, { n: two.algorithm === 'RS' ? two.n : '' })
    const second = loadPublicKey(obj)
    assert.ok(!first.equals(second))
    assert.ok(second.equals(loadPublicKey(two)))
  })

  test('an RSA key with a huge public exponent is refused (every verify with it would be slow)', async () => {
    const { publicKey } = await generateKeyPair('RS256')
    const json = publicKey.toJSON()
    assert.ok(json.algorithm === 'RS')
    const hugeE = (2n ** 40n + 1n).toString()
    throwsCode(() => loadPublicKey({ ...json, e: hugeE }), 'ERR_BAD_KEY')
    assert.equal(loadPublicKey({ ...json, e: '65537' }).algorithm, 'RS256')
  })

  test('bad public keys throw BrowserIdError with a code', () => {
    throwsCode(() => loadPublicKey('not json'), 'ERR_BAD_KEY')
    throwsCode(() => loadPublicKey(42), 'ERR_BAD_KEY')
    throwsCode(() => loadPublicKey(null), 'ERR_BAD_KEY')
    throwsCode(() => loadPublicKey([]), 'ERR_BAD_KEY')
    throwsCode(() => loadPublicKey({ algorithm: 'EC', x: '1' }), 'ERR_UNSUPPORTED_ALGORITHM')
    throwsCode(() => loadPublicKey({ algorithm: 'RS', n: 'abc', e: '65537' }), 'ERR_BAD_KEY')
    throwsCode(() => loadPublicKey({ algorithm: 'RS', n: 12345, e: '65537' }), 'ERR_BAD_KEY')
    // A 40-bit modulus is no supported size.
    throwsCode(
      () => loadPublicKey({ algorithm: 'RS', n: '1099511627791', e: '65537' }),
      'ERR_UNSUPPORTED_ALGORITHM',
    )
    throwsCode(() => loadPublicKey({ algorithm: 'DS', ...DSA_GROUPS.DS128, y: 'zz' }), 'ERR_BAD_KEY')
    throwsCode(() => loadPublicKey({ algorithm: 'DS', ...DSA_GROUPS.DS128, y: '1' }), 'ERR_BAD_KEY')
    throwsCode(
      () =>
        loadPublicKey({
          algorithm: 'DS',
          p: DSA_GROUPS.DS128.p,
          q: DSA_GROUPS.DS256.q,
          g: DSA_GROUPS.DS128.g,
          y: '5',
        }),
      'ERR_UNSUPPORTED_ALGORITHM',
    )
  })

  test('bad secret keys throw BrowserIdError with a code', async () => {
    const rs = (await generateKeyPair('RS64')).secretKey.toJSON()
    assert.ok(rs.algorithm === 'RS')
    throwsCode(() => loadSecretKey({ ...rs, d: '12345' }), 'ERR_BAD_KEY')
    throwsCode(() => loadSecretKey({ algorithm: 'RS', n: rs.n, e: rs.e }), 'ERR_BAD_KEY')
    throwsCode(() => loadSecretKey({ algorithm: 'DS', ...DSA_GROUPS.DS128, x: '0' }), 'ERR_BAD_KEY')
    throwsCode(
      () => loadSecretKey({ algorithm: 'DS', ...DSA_GROUPS.DS128, x: DSA_GROUPS.DS128.q }),
      'ERR_BAD_KEY',
    )
    throwsCode(() => loadSecretKey('{'), 'ERR_BAD_KEY')
  })

  test('keys from the interop vectors load with the algorithms jwcrypto names', () => {
    // The DS128 user key of the vectors uses jwcrypto's fixed 1024/160 group.
    const k = loadPublicKey({ algorithm: 'DS', ...DSA_GROUPS.DS128, y: '2' })
    assert.equal(k.algorithm, 'DS128')
    assert.equal(k.signatureLength, 40)
    const k2 = loadPublicKey({ algorithm: 'DS', ...DSA_GROUPS.DS256, y: '2' })
    assert.equal(k2.algorithm, 'DS256')
    assert.equal(k2.signatureLength, 64)
  })
})
