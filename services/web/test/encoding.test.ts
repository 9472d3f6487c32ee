// SPDX-License-Identifier: MPL-2.0
// Unit tests of the browser's pure encoding helpers: base64url and the JWK-number <-> decimal
// conversions that produce BrowserID's {"algorithm":"RS","n","e"} keys.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  base64urlToBytes,
  base64urlToDecimal,
  base64urlToUtf8,
  bytesToBase64url,
  bytesToBigInt,
  decimalToBase64url,
  utf8ToBase64url,
} from '../src/lib/encoding.ts'

describe('base64url', () => {
  it('matches Node for random bytes, without padding', () => {
    for (let len = 0; len < 70; len++) {
      const bytes = new Uint8Array(len).map(() => Math.floor(Math.random() * 256))
      const ours = bytesToBase64url(bytes)
      assert.equal(ours, Buffer.from(bytes).toString('base64url'))
      assert.doesNotMatch(ours, /[=+/]/)
      assert.deepEqual([...base64urlToBytes(ours)], [...bytes])
    }
  })

  it('round-trips UTF-8 text', () => {
    const text = '{"aud":"https://exämple.org","exp":1}'
    assert.equal(base64urlToUtf8(utf8ToBase64url(text)), text)
  })

  it('rejects characters outside the alphabet', () => {
    assert.throws(() => base64urlToBytes('ab+/'), TypeError)
    assert.throws(() => base64urlToBytes('a b'), TypeError)
  })
})

describe('big integers', () => {
  it('reads the RSA exponent AQAB as 65537', () => {
    assert.equal(base64urlToDecimal('AQAB'), '65537')
  })

  it('treats an empty number as zero and keeps leading zero bytes harmless', () => {
    assert.equal(bytesToBigInt(new Uint8Array()), 0n)
    assert.equal(bytesToBigInt(new Uint8Array([0, 0, 1, 0])), 256n)
  })

  it('converts a 2048-bit modulus to decimal and back', () => {
    const bytes = new Uint8Array(256).map(() => Math.floor(Math.random() * 256))
    bytes[0] = 0xc1 // top bit set, as in a real modulus
    const b64 = bytesToBase64url(bytes)
    const dec = base64urlToDecimal(b64)
    assert.equal(dec, BigInt(`0x${Buffer.from(bytes).toString('hex')}`).toString(10))
    assert.equal(decimalToBase64url(dec), b64)
  })

  it('rejects a non-decimal string', () => {
    assert.throws(() => decimalToBase64url('12a'), TypeError)
    assert.throws(() => decimalToBase64url('-5'), TypeError)
  })
})
