// SPDX-License-Identifier: MPL-2.0
// Compact JWS as jwcrypto writes it (browserid-crypto lib/jwcrypto.js): base64url(JSON header {"alg"}),
// base64url(JSON payload), base64url(signature). RSA signatures are PKCS#1 v1.5; DSA signatures are
// r||s, each left-padded to the width of q. Decoding never throws: it returns an error string.

import { sign as cryptoSign, verify as cryptoVerify } from 'node:crypto'
import { isJsonObject } from './json.ts'
import type { PublicKey, SecretKey } from './keys.ts'

/** A decoded compact JWS; plain data (structured-clone friendly). */
export interface DecodedJws {
  readonly alg: string
  readonly header: Readonly<Record<string, unknown>>
  readonly payload: Readonly<Record<string, unknown>>
  /** `header.payload`, exactly as received: the bytes the signature covers. */
  readonly signingInput: string
  /** The signature segment, still base64url. */
  readonly signature: string
}

/**
 * Decodes one base64url segment strictly: unpadded, URL alphabet only, canonical. Node's decoder skips
 * characters it doesn't know, so the bytes are re-encoded and compared (cheaper than a regex scan).
 */
function decodeB64Url(s: string): Buffer | null {
  if (s.length === 0 || s.length % 4 === 1) return null
  const b = Buffer.from(s, 'base64url')
  return b.toString('base64url') === s ? b : null
}

function decodeJsonObject(bytes: Buffer): Record<string, unknown> | null {
  let value: unknown
  try {
    value = JSON.parse(bytes.toString('utf8'))
  } catch {
    return null
  }
  return isJsonObject(value) ? value : null
}

/** Splits and decodes a compact JWS; a string is the reason it is malformed. */
export function decodeJws(jws: string): DecodedJws | string {
  const first = jws.indexOf('.')
  const second = first < 0 ? -1 : jws.indexOf('.', first + 1)
  if (first < 0 || second < 0 || jws.indexOf('.', second + 1) >= 0)
    return 'signed object must have three parts'
  const h = jws.slice(0, first)
  const p = jws.slice(first + 1, second)
  const s = jws.slice(second + 1)
  const hb = decodeB64Url(h)
  if (!hb) return 'header segment: malformed base64url'
  const pb = decodeB64Url(p)
  if (!pb) return 'payload segment: malformed base64url'
  if (!decodeB64Url(s)) return 'signature segment: malformed base64url'
  const header = decodeJsonObject(hb)
  if (!header) return 'header segment: invalid json'
  const payload = decodeJsonObject(pb)
  if (!payload) return 'payload segment: invalid json'
  const { alg } = header
  if (typeof alg !== 'string') return 'header segment: missing alg'
  return { alg, header, payload, signingInput: jws.slice(0, second), signature: s }
}

/** The bytes a JWS signature covers: base64url(header naming the key's algorithm).base64url(payload). */
function signingInput(payload: Readonly<Record<string, unknown>>, secretKey: SecretKey): string {
  const header = Buffer.from(JSON.stringify({ alg: secretKey.algorithm })).toString('base64url')
  return `${header}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`
}

function signOptions(secretKey: SecretKey) {
  return {
    key: secretKey.keyObject(),
    ...(secretKey.publicKey.dsa ? { dsaEncoding: 'ieee-p1363' as const } : {}),
  }
}

/** Signs a payload object with a secret key; the header names the key's algorithm. */
export function signJws(payload: Readonly<Record<string, unknown>>, secretKey: SecretKey): string {
  const input = signingInput(payload, secretKey)
  const sig = cryptoSign(secretKey.publicKey.hash, Buffer.from(input), signOptions(secretKey))
  return `${input}.${sig.toString('base64url')}`
}

/**
 * signJws with the signature computed on libuv's thread pool (node:crypto's callback form), so a signing
 * service uses every core while its event loop stays free. Same output as signJws.
 */
export function signJwsAsync(
  payload: Readonly<Record<string, unknown>>,
  secretKey: SecretKey,
): Promise<string> {
  const input = signingInput(payload, secretKey)
  return new Promise((resolve, reject) => {
    cryptoSign(secretKey.publicKey.hash, Buffer.from(input), signOptions(secretKey), (err, sig) => {
      if (err) reject(err)
      else resolve(`${input}.${sig.toString('base64url')}`)
    })
  })
}

/**
 * Checks a decoded JWS's signature with a public key. The header's alg must name the key's algorithm
 * (jwcrypto's rule) -- the caller checks that first to give a clearer reason.
 */
export function verifyJwsSignature(jws: DecodedJws, key: PublicKey): boolean {
  let sig = Buffer.from(jws.signature, 'base64url')
  const want = key.signatureLength
  if (sig.length > want) return false
  // jwcrypto drops leading zero digits of the signature number; pad back to the fixed width.
  if (sig.length < want) sig = Buffer.concat([Buffer.alloc(want - sig.length), sig])
  try {
    return cryptoVerify(
      key.hash,
      Buffer.from(jws.signingInput, 'latin1'),
      key.dsa ? { key: key.keyObject(), dsaEncoding: 'ieee-p1363' } : key.keyObject(),
      sig,
    )
  } catch {
    return false
  }
}
