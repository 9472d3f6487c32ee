// SPDX-License-Identifier: MPL-2.0
// BrowserID keys in their JSON form (browserid-crypto lib/algs/rs.js, ds.js): RS keys as decimal n, e
// (secret: d); DS keys as hex p, q, g, y (secret: x instead of y). Load, serialize, generate, and convert
// to node:crypto KeyObjects, which do all the signing and verifying.

import {
  createPrivateKey,
  createPublicKey,
  generateKeyPair as genKeyPair,
  type KeyObject,
  randomBytes,
} from 'node:crypto'
import {
  bitLength,
  factorRsaModulus,
  fromBase64Url,
  fromBytes,
  modInverse,
  modPow,
  parseDecimal,
  parseHex,
  toBase64Url,
} from './bigint.ts'
import { dsaPrivateKeyPkcs8, dsaPublicKeySpki } from './der.ts'
import { DSA_GROUPS } from './dsa-params.ts'
import { BrowserIdError } from './errors.ts'
import { isJsonObject } from './json.ts'
import { LruCache } from './lru-cache.ts'

export type RsAlgorithm = 'RS64' | 'RS128' | 'RS256'
export type DsAlgorithm = 'DS128' | 'DS256'
/** A JWS algorithm name as jwcrypto writes it: key family plus jwcrypto's "keysize" number. */
export type Algorithm = RsAlgorithm | DsAlgorithm
export const ALGORITHMS: readonly Algorithm[] = ['RS64', 'RS128', 'RS256', 'DS128', 'DS256']

export interface RsPublicKeyJSON {
  readonly algorithm: 'RS'
  readonly n: string
  readonly e: string
}
export interface DsPublicKeyJSON {
  readonly algorithm: 'DS'
  readonly p: string
  readonly q: string
  readonly g: string
  readonly y: string
}
export type PublicKeyJSON = RsPublicKeyJSON | DsPublicKeyJSON

export interface RsSecretKeyJSON {
  readonly algorithm: 'RS'
  readonly n: string
  readonly e: string
  readonly d: string
}
export interface DsSecretKeyJSON {
  readonly algorithm: 'DS'
  readonly p: string
  readonly q: string
  readonly g: string
  readonly x: string
}
export type SecretKeyJSON = RsSecretKeyJSON | DsSecretKeyJSON

// RSA modulus sizes per jwcrypto keysize (one bit of slack, as jwcrypto allows); all hash with SHA-256.
const RS_BITS: Readonly<Record<RsAlgorithm, number>> = { RS64: 512, RS128: 1024, RS256: 2048 }
// DSA groups: p and q sizes and the hash jwcrypto pairs with them.
const DS_SIZES: Readonly<Record<DsAlgorithm, { pBits: number; qBits: number; hash: 'sha1' | 'sha256' }>> = {
  DS128: { pBits: 1024, qBits: 160, hash: 'sha1' },
  DS256: { pBits: 2048, qBits: 256, hash: 'sha256' },
}

const MAX_DIGITS = 1300 // a 4096-bit number in decimal is 1234 digits; we accept at most 2048-bit keys

function rsAlgorithmFor(nBits: number): RsAlgorithm | null {
  for (const alg of ['RS64', 'RS128', 'RS256'] as const) {
    if (Math.abs(RS_BITS[alg] - nBits) <= 1) return alg
  }
  return null
}

function dsAlgorithmFor(p: bigint, q: bigint): DsAlgorithm | null {
  const pBits = bitLength(p)
  const qBits = bitLength(q)
  for (const alg of ['DS128', 'DS256'] as const) {
    if (DS_SIZES[alg].pBits === pBits && DS_SIZES[alg].qBits === qBits) return alg
  }
  return null
}

function badKey(message: string): BrowserIdError {
  return new BrowserIdError('ERR_BAD_KEY', message)
}

function asRecord(input: unknown, what: string): Record<string, unknown> {
  let value = input
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value)
    } catch {
      throw badKey(`${what} is not valid JSON`)
    }
  }
  if (!isJsonObject(value)) throw badKey(`${what} must be an object`)
  return value
}

/** A BrowserID public key; immutable, with its node:crypto KeyObject built once. */
export class PublicKey {
  readonly algorithm: Algorithm
  readonly hash: 'sha1' | 'sha256'
  /** Bytes of a well-formed signature (RSA: modulus length; DSA: r||s, each the width of q). */
  readonly signatureLength: number
  readonly dsa: boolean
  readonly #json: PublicKeyJSON
  readonly #keyObject: KeyObject

  constructor(json: PublicKeyJSON, algorithm: Algorithm, keyObject: KeyObject, signatureLength: number) {
    this.#json = json
    this.algorithm = algorithm
    this.dsa = json.algorithm === 'DS'
    this.hash = json.algorithm === 'DS' && algorithm === 'DS128' ? 'sha1' : 'sha256'
    this.#keyObject = keyObject
    this.signatureLength = signatureLength
  }

  /** The BrowserID JSON object (what goes in a certificate's `public-key` or a support document). */
  toJSON(): PublicKeyJSON {
    return this.#json.algorithm === 'RS'
      ? { algorithm: 'RS', n: this.#json.n, e: this.#json.e }
      : { algorithm: 'DS', y: this.#json.y, p: this.#json.p, q: this.#json.q, g: this.#json.g }
  }

  serialize(): string {
    return JSON.stringify(this.toJSON())
  }

  keyObject(): KeyObject {
    return this.#keyObject
  }

  equals(other: PublicKey): boolean {
    return canonicalKeyId(this.#json) === canonicalKeyId(other.#json)
  }
}

/** A BrowserID secret key. `toJSON()` is jwcrypto's form, so keep it out of logs. */
export class SecretKey {
  readonly algorithm: Algorithm
  readonly publicKey: PublicKey
  readonly #json: SecretKeyJSON
  readonly #keyObject: KeyObject

  constructor(json: SecretKeyJSON, algorithm: Algorithm, keyObject: KeyObject, publicKey: PublicKey) {
    this.#json = json
    this.algorithm = algorithm
    this.#keyObject = keyObject
    this.publicKey = publicKey
  }

  toJSON(): SecretKeyJSON {
    return this.#json.algorithm === 'RS'
      ? { algorithm: 'RS', n: this.#json.n, e: this.#json.e, d: this.#json.d }
      : { algorithm: 'DS', x: this.#json.x, p: this.#json.p, q: this.#json.q, g: this.#json.g }
  }

  serialize(): string {
    return JSON.stringify(this.toJSON())
  }

  keyObject(): KeyObject {
    return this.#keyObject
  }
}

/** A string that identifies a public key exactly (the cache key for its KeyObject). */
function canonicalKeyId(json: PublicKeyJSON): string {
  return json.algorithm === 'RS' ? `RS|${json.n}|${json.e}` : `DS|${json.p}|${json.q}|${json.g}|${json.y}`
}

function buildRsPublic(n: bigint, e: bigint, json: RsPublicKeyJSON): PublicKey {
  const alg = rsAlgorithmFor(bitLength(n))
  if (!alg)
    throw new BrowserIdError('ERR_UNSUPPORTED_ALGORITHM', `unsupported RSA key size: ${bitLength(n)} bits`)
  if (e < 3n || e % 2n === 0n || e >= n) throw badKey('bad RSA public exponent')
  // A huge exponent makes every verification with the key slow (a cheap DoS from any IdP we fetch);
  // real keys use 65537, and no standard tool makes one over 32 bits.
  if (bitLength(e) > 32) throw badKey('RSA public exponent is too large')
  let keyObject: KeyObject
  try {
    keyObject = createPublicKey({ key: { kty: 'RSA', n: toBase64Url(n), e: toBase64Url(e) }, format: 'jwk' })
  } catch {
    throw badKey('RSA public key rejected by node:crypto')
  }
  return new PublicKey(json, alg, keyObject, Math.ceil(bitLength(n) / 8))
}

function dsGroup(fields: Record<string, unknown>): { p: bigint; q: bigint; g: bigint; alg: DsAlgorithm } {
  const p = parseHex(fields.p, MAX_DIGITS)
  const q = parseHex(fields.q, MAX_DIGITS)
  const g = parseHex(fields.g, MAX_DIGITS)
  if (p === null || q === null || g === null) throw badKey('DS key needs hex p, q and g')
  const alg = dsAlgorithmFor(p, q)
  if (!alg) {
    throw new BrowserIdError(
      'ERR_UNSUPPORTED_ALGORITHM',
      `unsupported DSA group size: ${bitLength(p)}/${bitLength(q)} bits`,
    )
  }
  if (g <= 1n || g >= p) throw badKey('bad DSA generator')
  return { p, q, g, alg }
}

function buildDsPublic(fields: Record<string, unknown>): PublicKey {
  const { p, q, g, alg } = dsGroup(fields)
  const y = parseHex(fields.y, MAX_DIGITS)
  if (y === null) throw badKey('DS public key needs hex y')
  if (y <= 1n || y >= p) throw badKey('bad DSA public value')
  const json: DsPublicKeyJSON = {
    algorithm: 'DS',
    p: p.toString(16),
    q: q.toString(16),
    g: g.toString(16),
    y: y.toString(16),
  }
  let keyObject: KeyObject
  try {
    keyObject = createPublicKey({ key: dsaPublicKeySpki(p, q, g, y), format: 'der', type: 'spki' })
  } catch {
    throw badKey('DSA public key rejected by node:crypto')
  }
  return new PublicKey(json, alg, keyObject, 2 * Math.ceil(bitLength(q) / 8))
}

function loadPublicKeyUncached(fields: Record<string, unknown>): PublicKey {
  if (fields.algorithm === 'RS') {
    const n = parseDecimal(fields.n, MAX_DIGITS)
    const e = parseDecimal(fields.e, MAX_DIGITS)
    if (n === null || e === null) throw badKey('RS key needs decimal n and e')
    return buildRsPublic(n, e, { algorithm: 'RS', n: n.toString(10), e: e.toString(10) })
  }
  if (fields.algorithm === 'DS') return buildDsPublic(fields)
  throw new BrowserIdError('ERR_UNSUPPORTED_ALGORITHM', `no such algorithm: ${String(fields.algorithm)}`)
}

// Converted keys, found by their exact JSON fields: the verifier sees the same issuer and user keys over
// and over, and building a KeyObject costs far more than a signature check. The map is keyed by the one
// field that tells keys apart (n, or y) and a hit is confirmed on every field; concatenating all fields
// into one key string would cost a copy of the whole key per lookup.
interface CacheEntry {
  readonly parts: readonly string[]
  readonly key: PublicKey
}
const PUBLIC_KEY_CACHE = new LruCache<string, CacheEntry>(2048)
const BY_OBJECT = new WeakMap<object, CacheEntry>()

/** The exact fields of an untrusted key object (family first, distinguishing value last), or null. */
function keyParts(fields: Record<string, unknown>): string[] | null {
  const { algorithm: a } = fields
  if (a === 'RS') {
    const { n, e } = fields
    return typeof n === 'string' && typeof e === 'string' ? ['RS', e, n] : null
  }
  if (a === 'DS') {
    const { p, q, g, y } = fields
    return typeof p === 'string' && typeof q === 'string' && typeof g === 'string' && typeof y === 'string'
      ? ['DS', p, q, g, y]
      : null
  }
  return null
}

function sameParts(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false
  for (let i = a.length - 1; i >= 0; i--) if (a[i] !== b[i]) return false
  return true
}

/**
 * Loads a public key from its BrowserID JSON (object or string). Cached by exact content.
 * @throws {BrowserIdError} ERR_BAD_KEY or ERR_UNSUPPORTED_ALGORITHM
 * @example loadPublicKey({ algorithm: 'RS', n: '…', e: '65537' }).algorithm // 'RS256'
 */
export function loadPublicKey(input: unknown): PublicKey {
  if (input instanceof PublicKey) return input
  const fields = asRecord(input, 'public key')
  const parts = keyParts(fields)
  if (parts === null) return loadPublicKeyUncached(fields)
  // The same key object (a configured or resolved issuer key) comes back again and again.
  const known = BY_OBJECT.get(fields)
  if (known && sameParts(known.parts, parts)) return known.key
  const lookup = parts[parts.length - 1] ?? ''
  let entry = PUBLIC_KEY_CACHE.get(lookup)
  if (!entry || !sameParts(entry.parts, parts)) {
    entry = { parts, key: loadPublicKeyUncached(fields) }
    PUBLIC_KEY_CACHE.set(lookup, entry)
  }
  BY_OBJECT.set(fields, entry)
  return entry.key
}

/**
 * Loads a secret key from jwcrypto's JSON form (RS: n, e, d; DS: p, q, g, x).
 * @throws {BrowserIdError} ERR_BAD_KEY or ERR_UNSUPPORTED_ALGORITHM
 */
export function loadSecretKey(input: unknown): SecretKey {
  if (input instanceof SecretKey) return input
  const fields = asRecord(input, 'secret key')
  if (fields.algorithm === 'RS') {
    const n = parseDecimal(fields.n, MAX_DIGITS)
    const e = parseDecimal(fields.e, MAX_DIGITS)
    const d = parseDecimal(fields.d, MAX_DIGITS)
    if (n === null || e === null || d === null) throw badKey('RS secret key needs decimal n, e and d')
    const publicKey = buildRsPublic(n, e, { algorithm: 'RS', n: n.toString(10), e: e.toString(10) })
    const factors = factorRsaModulus(n, e, d)
    if (!factors) throw badKey('RS secret key: d does not match n and e')
    const { p, q } = factors
    let keyObject: KeyObject
    try {
      keyObject = createPrivateKey({
        key: {
          kty: 'RSA',
          n: toBase64Url(n),
          e: toBase64Url(e),
          d: toBase64Url(d),
          p: toBase64Url(p),
          q: toBase64Url(q),
          dp: toBase64Url(d % (p - 1n)),
          dq: toBase64Url(d % (q - 1n)),
          qi: toBase64Url(modInverse(q, p)),
        },
        format: 'jwk',
      })
    } catch {
      throw badKey('RSA secret key rejected by node:crypto')
    }
    const json: RsSecretKeyJSON = { algorithm: 'RS', n: n.toString(10), e: e.toString(10), d: d.toString(10) }
    return new SecretKey(json, publicKey.algorithm, keyObject, publicKey)
  }
  if (fields.algorithm === 'DS') {
    const { p, q, g, alg } = dsGroup(fields)
    const x = parseHex(fields.x, MAX_DIGITS)
    if (x === null || x <= 0n || x >= q) throw badKey('DS secret key needs hex x in (0, q)')
    return dsSecretKey(p, q, g, x, alg)
  }
  throw new BrowserIdError('ERR_UNSUPPORTED_ALGORITHM', `no such algorithm: ${String(fields.algorithm)}`)
}

function dsSecretKey(p: bigint, q: bigint, g: bigint, x: bigint, alg: DsAlgorithm): SecretKey {
  const y = modPow(g, x, p)
  const publicKey = buildDsPublic({
    p: p.toString(16),
    q: q.toString(16),
    g: g.toString(16),
    y: y.toString(16),
  })
  let keyObject: KeyObject
  try {
    keyObject = createPrivateKey({ key: dsaPrivateKeyPkcs8(p, q, g, x), format: 'der', type: 'pkcs8' })
  } catch {
    throw badKey('DSA secret key rejected by node:crypto')
  }
  const json: DsSecretKeyJSON = {
    algorithm: 'DS',
    p: p.toString(16),
    q: q.toString(16),
    g: g.toString(16),
    x: x.toString(16),
  }
  return new SecretKey(json, alg, keyObject, publicKey)
}

function generateRsa(bits: number): Promise<KeyObject> {
  return new Promise((resolve, reject) => {
    genKeyPair('rsa', { modulusLength: bits, publicExponent: 0x10001 }, (err, _pub, priv) => {
      if (err) reject(err)
      else resolve(priv)
    })
  })
}

function jwkField(jwk: object, name: string): bigint {
  const v: unknown = Object.getOwnPropertyDescriptor(jwk, name)?.value
  if (typeof v !== 'string') throw new BrowserIdError('ERR_BAD_KEY', `generated key lacks ${name}`)
  return fromBase64Url(v)
}

/**
 * Generates a key pair. RS keys come from OpenSSL; DS keys use jwcrypto's fixed group for their size,
 * with x drawn as FIPS 186-3 B.1.1 does (64 extra random bits, reduced mod q-1, plus one).
 * @throws {BrowserIdError} ERR_UNSUPPORTED_ALGORITHM
 */
export async function generateKeyPair(
  alg: Algorithm,
): Promise<{ publicKey: PublicKey; secretKey: SecretKey }> {
  if (alg === 'RS64' || alg === 'RS128' || alg === 'RS256') {
    const priv = await generateRsa(RS_BITS[alg])
    const jwk = priv.export({ format: 'jwk' })
    const n = jwkField(jwk, 'n')
    const e = jwkField(jwk, 'e')
    const d = jwkField(jwk, 'd')
    const publicKey = buildRsPublic(n, e, { algorithm: 'RS', n: n.toString(10), e: e.toString(10) })
    const json: RsSecretKeyJSON = { algorithm: 'RS', n: n.toString(10), e: e.toString(10), d: d.toString(10) }
    return { publicKey, secretKey: new SecretKey(json, alg, priv, publicKey) }
  }
  if (alg === 'DS128' || alg === 'DS256') {
    const group = DSA_GROUPS[alg]
    const p = BigInt(`0x${group.p}`)
    const q = BigInt(`0x${group.q}`)
    const g = BigInt(`0x${group.g}`)
    const c = fromBytes(randomBytes(Math.ceil((bitLength(q) + 64) / 8)))
    const x = (c % (q - 1n)) + 1n
    const secretKey = dsSecretKey(p, q, g, x, alg)
    return { publicKey: secretKey.publicKey, secretKey }
  }
  throw new BrowserIdError('ERR_UNSUPPORTED_ALGORITHM', `no such algorithm: ${String(alg)}`)
}

export function isAlgorithm(s: unknown): s is Algorithm {
  return ALGORITHMS.some((a) => a === s)
}
