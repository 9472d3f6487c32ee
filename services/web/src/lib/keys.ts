// SPDX-License-Identifier: MPL-2.0
// User key pairs made with WebCrypto: RSASSA-PKCS1-v1_5, 2048 bits, SHA-256 (BrowserID "RS256"),
// published in BrowserID's JSON form {"algorithm":"RS","n":<decimal>,"e":<decimal>}.
import { base64urlToDecimal } from './encoding.ts'
import type { Signer } from './jws.ts'

export const RS256_PARAMS: RsaHashedKeyGenParams = {
  name: 'RSASSA-PKCS1-v1_5',
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: 'SHA-256',
}

export interface BrowserIdPublicKey {
  readonly algorithm: 'RS'
  readonly n: string
  readonly e: string
}

/** A key pair as kept in localStorage: both halves as JWK. */
export interface StoredKeyPair {
  readonly publicJwk: JsonWebKey
  readonly privateJwk: JsonWebKey
}

/** BrowserID's public key form from a JWK's base64url `n` and `e`. */
export function jwkToBrowserId(jwk: JsonWebKey): BrowserIdPublicKey {
  if (typeof jwk.n !== 'string' || typeof jwk.e !== 'string') throw new TypeError('not an RSA public JWK')
  return { algorithm: 'RS', n: base64urlToDecimal(jwk.n), e: base64urlToDecimal(jwk.e) }
}

/** The serialized key as cert_key and genKeyPair hand it on (a JSON string). */
export function serializePublicKey(jwk: JsonWebKey): string {
  return JSON.stringify(jwkToBrowserId(jwk))
}

export async function generateKeyPair(subtle: SubtleCrypto = crypto.subtle): Promise<StoredKeyPair> {
  const pair = await subtle.generateKey(RS256_PARAMS, true, ['sign', 'verify'])
  const [publicJwk, privateJwk] = await Promise.all([
    subtle.exportKey('jwk', pair.publicKey),
    subtle.exportKey('jwk', pair.privateKey),
  ])
  return { publicJwk, privateJwk }
}

/** A Signer over a stored private key. */
export async function signerFor(
  privateJwk: JsonWebKey,
  subtle: SubtleCrypto = crypto.subtle,
): Promise<Signer> {
  const key = await subtle.importKey('jwk', privateJwk, { name: RS256_PARAMS.name, hash: 'SHA-256' }, false, [
    'sign',
  ])
  return async (data) => new Uint8Array(await subtle.sign(RS256_PARAMS.name, key, data))
}
