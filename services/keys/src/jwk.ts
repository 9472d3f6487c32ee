// SPDX-License-Identifier: MPL-2.0
// JWK import and export of the certifier's keys, and the JWKS of the keys we publish, with node-jose
// (kept to this one file). Only RSA keys: JWK has no form for BrowserID's DSA keys, and BrowserID's own
// signatures (its algorithm names, DSA, its JWS quirks) stay on node:crypto in @persona/browserid.
import { loadPublicKey, loadSecretKey, type PublicKey, type SecretKey } from '@persona/browserid'
import jose from 'node-jose'
import { type PublicRing, trustedKeys } from './ring.ts'

export interface Jwk {
  readonly kty: 'RSA'
  readonly kid: string
  readonly use: 'sig'
  readonly alg: 'RS256'
  readonly n: string
  readonly e: string
  readonly d?: string
  readonly [member: string]: unknown
}

const b64uToDecimal = (s: string): string =>
  BigInt(`0x${Buffer.from(s, 'base64url').toString('hex') || '0'}`).toString(10)

function rsaOnly(key: PublicKey | SecretKey): void {
  if (!key.algorithm.startsWith('RS')) throw new Error(`a ${key.algorithm} key has no JWK form (RSA only)`)
}

/** The key as a JWK with its RFC 7638 thumbprint as `kid`; the private part only when asked. */
export async function toJwk(key: PublicKey | SecretKey, opts: { private?: boolean } = {}): Promise<Jwk> {
  rsaOnly(key)
  const priv = opts.private === true && 'publicKey' in key
  const exported = key.keyObject().export({ format: 'jwk' })
  const k = await jose.JWK.asKey(exported)
  // node-jose resolves a Buffer (its typings say string).
  const tp: unknown = await k.thumbprint('SHA-256')
  const kid = Buffer.isBuffer(tp) ? tp.toString('base64url') : String(tp)
  const full = await jose.JWK.asKey({ ...k.toJSON(priv), kid, use: 'sig', alg: 'RS256' })
  return full.toJSON(priv) as Jwk
}

/** A BrowserID key from a JWK (RSA): a secret key when it has `d`, else a public one. */
export async function fromJwk(jwk: unknown): Promise<PublicKey | SecretKey> {
  const k = await jose.JWK.asKey(jwk as object)
  if (k.kty !== 'RSA') throw new Error(`unsupported JWK key type ${k.kty} (RSA only)`)
  const j = k.toJSON(true) as { n: string; e: string; d?: string }
  const n = b64uToDecimal(j.n)
  const e = b64uToDecimal(j.e)
  if (j.d === undefined) return loadPublicKey({ algorithm: 'RS', n, e })
  return loadSecretKey({ algorithm: 'RS', n, e, d: b64uToDecimal(j.d) })
}

/** The JWKS of a ring: current first, then the staged next key, then the previous one. */
export async function jwksOf(ring: PublicRing): Promise<{ keys: Jwk[] }> {
  const store = jose.JWK.createKeyStore()
  for (const k of trustedKeys(ring)) await store.add(await toJwk(k))
  const out = store.toJSON() as { keys: Jwk[] }
  // node-jose keeps insertion order; say it plainly for readers of the document.
  return { keys: out.keys }
}
