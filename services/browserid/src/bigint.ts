// SPDX-License-Identifier: MPL-2.0
// BigInt helpers for BrowserID's key form: decimal (RS) and hex (DS) integers, their byte encodings,
// and the few number-theory steps key handling needs (modular power, RSA factor recovery).

const HEX_RE = /^[0-9a-fA-F]+$/
const DEC_RE = /^[0-9]+$/

/** Parses a non-empty hex string; null if it is not one. */
export function parseHex(s: unknown, maxDigits = 2048): bigint | null {
  if (typeof s !== 'string' || s.length === 0 || s.length > maxDigits || !HEX_RE.test(s)) return null
  return BigInt(`0x${s}`)
}

/** Parses a non-empty decimal string; null if it is not one. */
export function parseDecimal(s: unknown, maxDigits = 2048): bigint | null {
  if (typeof s !== 'string' || s.length === 0 || s.length > maxDigits || !DEC_RE.test(s)) return null
  return BigInt(s)
}

export function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length
}

/** Unsigned big-endian bytes, at least `minLength` long (left-padded with zeros). */
export function toBytes(n: bigint, minLength = 0): Buffer {
  let hex = n.toString(16)
  if (hex.length % 2 === 1) hex = `0${hex}`
  const b = Buffer.from(hex, 'hex')
  if (b.length >= minLength) return b
  return Buffer.concat([Buffer.alloc(minLength - b.length), b])
}

export function fromBytes(b: Uint8Array): bigint {
  return b.length === 0 ? 0n : BigInt(`0x${Buffer.from(b).toString('hex')}`)
}

export function toBase64Url(n: bigint): string {
  return toBytes(n).toString('base64url')
}

export function fromBase64Url(s: string): bigint {
  return fromBytes(Buffer.from(s, 'base64url'))
}

export function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n
  let b = base % mod
  let e = exp
  while (e > 0n) {
    if (e & 1n) result = (result * b) % mod
    e >>= 1n
    b = (b * b) % mod
  }
  return result
}

export function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [((a % m) + m) % m, m]
  let [oldS, s] = [1n, 0n]
  while (r !== 0n) {
    const q = oldR / r
    ;[oldR, r] = [r, oldR - q * r]
    ;[oldS, s] = [s, oldS - q * s]
  }
  if (oldR !== 1n) throw new RangeError('not invertible')
  return ((oldS % m) + m) % m
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a
  let y = b < 0n ? -b : b
  while (y !== 0n) [x, y] = [y, x % y]
  return x
}

/**
 * Recovers the primes of an RSA modulus from (n, e, d): jwcrypto stores secret keys as n, e, d only,
 * while node:crypto needs the CRT form. The standard randomized method, run with fixed small bases so it
 * stays deterministic; null when (n, e, d) is not a consistent key.
 */
export function factorRsaModulus(n: bigint, e: bigint, d: bigint): { p: bigint; q: bigint } | null {
  const k = d * e - 1n
  if (k <= 0n || k % 2n !== 0n) return null
  let t = k
  let s = 0
  while (t % 2n === 0n) {
    t /= 2n
    s++
  }
  for (const g of [2n, 3n, 5n, 7n, 11n, 13n, 17n, 19n, 23n, 29n, 31n, 37n, 41n, 43n, 47n, 53n]) {
    let x = modPow(g, t, n)
    if (x === 1n || x === n - 1n) continue
    for (let i = 1; i <= s; i++) {
      const y = (x * x) % n
      if (y === 1n) {
        const p = gcd(x - 1n, n)
        if (p > 1n && p < n) return { p, q: n / p }
        break
      }
      if (y === n - 1n) break
      x = y
    }
  }
  return null
}
