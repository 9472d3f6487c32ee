// SPDX-License-Identifier: MPL-2.0
// Error codes of the BrowserID library: thrown (as BrowserIdError) for our own trusted inputs, returned
// (as a failure value) on the verification path, which never throws. Codes are stable and never reused;
// reasons follow the wording of Persona's lib/verifier/certassertion.js and jwcrypto where one existed.

export const BROWSERID_ERROR_CODES = [
  'ERR_MALFORMED_BUNDLE',
  'ERR_MALFORMED_CERTIFICATE',
  'ERR_MALFORMED_ASSERTION',
  'ERR_CHAIN_TOO_LONG',
  'ERR_BAD_KEY',
  'ERR_UNSUPPORTED_ALGORITHM',
  'ERR_ALGORITHM_MISMATCH',
  'ERR_BAD_SIGNATURE',
  'ERR_CERTIFICATE_EXPIRED',
  'ERR_CERTIFICATE_NOT_YET_VALID',
  'ERR_ASSERTION_EXPIRED',
  'ERR_ASSERTION_NOT_YET_VALID',
  'ERR_AUDIENCE_MISMATCH',
  'ERR_BAD_AUDIENCE',
  'ERR_INVALID_EMAIL',
  'ERR_UNVERIFIED_EMAIL',
  'ERR_ISSUER_NOT_AUTHORIZED',
  'ERR_DOMAIN_DISABLED',
  'ERR_NO_SUPPORT_DOCUMENT',
  'ERR_BAD_SUPPORT_DOCUMENT',
  'ERR_SUPPORT_DOCUMENT_FETCH',
  'ERR_DELEGATION_LOOP',
  'ERR_DELEGATION_TOO_DEEP',
  'ERR_FORCE_ISSUER_REFUSED',
  'ERR_BAD_ARGUMENT',
  'ERR_INTERNAL',
] as const
export type BrowserIdErrorCode = (typeof BROWSERID_ERROR_CODES)[number]

/** Thrown by the key, signing and support-document functions for bad trusted input. */
export class BrowserIdError extends Error {
  readonly code: BrowserIdErrorCode
  constructor(code: BrowserIdErrorCode, message: string) {
    super(message)
    this.name = 'BrowserIdError'
    this.code = code
  }
}

/** The verification path's failure value, shaped as Persona's verifier answered. */
export interface VerifyFailure {
  readonly status: 'failure'
  readonly reason: string
  readonly code: BrowserIdErrorCode
}

export function failure(code: BrowserIdErrorCode, reason: string): VerifyFailure {
  return { status: 'failure', reason, code }
}

export function isFailure(v: unknown): v is VerifyFailure {
  return typeof v === 'object' && v !== null && 'status' in v && v.status === 'failure'
}
