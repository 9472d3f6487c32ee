// SPDX-License-Identifier: MPL-2.0
// Compact JWS and BrowserID assertion building for the browser (re-implements what jwcrypto's
// assertion.sign did in Persona's dialog): header {"alg":"RS256"}, payload {exp, aud}, times in ms.
import { base64urlToUtf8, bytesToBase64url, utf8ToBase64url } from './encoding.ts'

/** Signs bytes and returns the raw signature; WebCrypto in the browser, injectable in tests. */
export type Signer = (data: Uint8Array<ArrayBuffer>) => Promise<Uint8Array>

/** The `header.payload` part of a compact JWS. */
export function signingInput(header: object, payload: object): string {
  return `${utf8ToBase64url(JSON.stringify(header))}.${utf8ToBase64url(JSON.stringify(payload))}`
}

/** A compact JWS `header.payload.signature`. */
export async function signJws(header: object, payload: object, sign: Signer): Promise<string> {
  const input = signingInput(header, payload)
  const sig = await sign(new TextEncoder().encode(input))
  return `${input}.${bytesToBase64url(sig)}`
}

/** The assertion payload BrowserID expects: audience origin and expiry in ms since epoch. */
export function assertionPayload(audience: string, nowMs: number, lifetimeMs = 2 * 60 * 1000) {
  return { exp: nowMs + lifetimeMs, aud: audience }
}

/** A backed assertion: the certificate and the assertion joined by `~` (Persona's bundle form). */
export async function makeBackedAssertion(
  cert: string,
  audience: string,
  nowMs: number,
  sign: Signer,
): Promise<string> {
  const assertion = await signJws({ alg: 'RS256' }, assertionPayload(audience, nowMs), sign)
  return `${cert}~${assertion}`
}

/** Decodes the payload of a compact JWS without verifying it (for reading a cert's own exp). */
export function decodeJwsPayload(jws: string): unknown {
  const parts = jws.split('.')
  const body = parts[1]
  if (parts.length !== 3 || body === undefined) throw new TypeError('not a compact JWS')
  return JSON.parse(base64urlToUtf8(body))
}

/** The certificate's `exp` (ms), or 0 when it cannot be read. */
export function certExpiry(cert: string): number {
  try {
    const payload = decodeJwsPayload(cert)
    if (
      typeof payload === 'object' &&
      payload !== null &&
      'exp' in payload &&
      typeof payload.exp === 'number'
    ) {
      return payload.exp
    }
  } catch {
    // an unreadable cert counts as expired, so the caller certifies again
  }
  return 0
}
