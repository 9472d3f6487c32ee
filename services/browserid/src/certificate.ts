// SPDX-License-Identifier: MPL-2.0
// Signing BrowserID objects as jwcrypto does (browserid-crypto lib/cert.js, lib/assertion.js): identity
// certificates (`public-key`, `principal`, `iat`, `exp`, `iss`; times in milliseconds), assertions
// (`exp`, `aud`, optional `iat`), and backed-assertion bundles `cert~...~assertion`.

import { isValidEmail, isValidHostname } from './email.ts'
import { BrowserIdError } from './errors.ts'
import { signJws, signJwsAsync } from './jws.ts'
import { loadPublicKey, type PublicKey, type PublicKeyJSON, type SecretKey } from './keys.ts'

export interface CertificateParams {
  /** The certifying domain (`iss`). */
  readonly issuer: string
  /** The user's key being certified (object, JSON string or PublicKey). */
  readonly publicKey: PublicKey | PublicKeyJSON | string
  readonly email: string
  /** Issued-at, ms since the epoch. */
  readonly iat: number
  /** Expiry, ms since the epoch. */
  readonly exp: number
  /** Certify the address as `unverified-email` (Persona's allowUnverified flow). */
  readonly unverified?: boolean
}

export interface AssertionParams {
  /** The relying site's origin, e.g. `https://rp.example`. */
  readonly audience: string
  /** Expiry, ms since the epoch. */
  readonly exp: number
  readonly iat?: number
}

function checkTime(name: string, v: unknown): void {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw new BrowserIdError('ERR_BAD_ARGUMENT', `${name} must be a non-negative integer of milliseconds`)
  }
}

/** Checks the parameters and builds a certificate's payload as jwcrypto writes it. */
function certificatePayload(params: CertificateParams): Record<string, unknown> {
  if (!isValidHostname(params.issuer))
    throw new BrowserIdError('ERR_BAD_ARGUMENT', 'issuer must be a hostname')
  if (!isValidEmail(params.email)) throw new BrowserIdError('ERR_BAD_ARGUMENT', 'invalid email')
  checkTime('iat', params.iat)
  checkTime('exp', params.exp)
  const principal = params.unverified ? { 'unverified-email': params.email } : { email: params.email }
  return {
    'public-key': loadPublicKey(params.publicKey).toJSON(),
    principal,
    iat: params.iat,
    exp: params.exp,
    iss: params.issuer,
  }
}

/**
 * Signs an identity certificate binding `email` to `publicKey`.
 * @throws {BrowserIdError} ERR_BAD_ARGUMENT, ERR_BAD_KEY
 * @example signCertificate({ issuer: 'login.example', publicKey, email: 'a@b.example', iat, exp }, secretKey)
 */
export function signCertificate(params: CertificateParams, secretKey: SecretKey): string {
  return signJws(certificatePayload(params), secretKey)
}

/**
 * signCertificate with the RSA/DSA arithmetic on libuv's thread pool: a certifier signing many at once
 * uses every core. Checks its arguments synchronously, like signCertificate.
 * @throws {BrowserIdError} ERR_BAD_ARGUMENT, ERR_BAD_KEY
 */
export function signCertificateAsync(params: CertificateParams, secretKey: SecretKey): Promise<string> {
  return signJwsAsync(certificatePayload(params), secretKey)
}

/**
 * Signs an assertion for a relying site with the user's secret key.
 * @throws {BrowserIdError} ERR_BAD_ARGUMENT
 */
export function signAssertion(params: AssertionParams, secretKey: SecretKey): string {
  if (typeof params.audience !== 'string' || params.audience.length === 0) {
    throw new BrowserIdError('ERR_BAD_ARGUMENT', 'audience must be a non-empty string')
  }
  checkTime('exp', params.exp)
  if (params.iat !== undefined) checkTime('iat', params.iat)
  const payload =
    params.iat === undefined
      ? { exp: params.exp, aud: params.audience }
      : { iat: params.iat, exp: params.exp, aud: params.audience }
  return signJws(payload, secretKey)
}

/**
 * Joins certificates and an assertion into a backed assertion.
 * @throws {BrowserIdError} ERR_BAD_ARGUMENT when there is no certificate
 */
export function bundleAssertion(certs: readonly string[], assertion: string): string {
  if (certs.length === 0)
    throw new BrowserIdError('ERR_BAD_ARGUMENT', 'certificates must be a non-empty array')
  return [...certs, assertion].join('~')
}

/** Splits a backed assertion into its certificates and the assertion (the last part). */
export function unbundle(bundle: string): { certs: string[]; assertion: string } {
  const parts = bundle.split('~')
  const assertion = parts.pop() ?? ''
  return { certs: parts, assertion }
}
