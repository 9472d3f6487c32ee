// SPDX-License-Identifier: MPL-2.0
// The /.well-known/browserid support document, re-implementing Persona's lib/well-known-parser.js: a
// document either disables BrowserID for its domain (`disabled`, any truthy value, as Persona read it),
// delegates to another domain (`authority`), or declares support (`public-key`, `authentication`,
// `provisioning`). Checked in that order, as Persona did.

import { isValidHostname } from './email.ts'
import { BrowserIdError, type BrowserIdErrorCode } from './errors.ts'
import { isJsonObject } from './json.ts'
import { loadPublicKey, type PublicKeyJSON } from './keys.ts'

export interface SupportedDocument {
  readonly type: 'supported'
  readonly publicKey: PublicKeyJSON
  /** Path of the sign-in page on the domain, e.g. `/sign_in`. */
  readonly authentication: string
  /** Path of the provisioning page on the domain, e.g. `/provision`. */
  readonly provisioning: string
}
export interface DelegationDocument {
  readonly type: 'delegation'
  readonly authority: string
}
export interface DisabledDocument {
  readonly type: 'disabled'
}
/** A parsed, validated support document (plain data). */
export type SupportDocument = SupportedDocument | DelegationDocument | DisabledDocument

/** What is wrong with a support document, as a stable code (the IdP checker words each one). */
export type SupportDocumentProblem =
  | 'too-large'
  | 'not-json'
  | 'not-object'
  | 'bad-authority'
  | 'missing-authentication'
  | 'missing-provisioning'
  | 'bad-authentication-path'
  | 'bad-provisioning-path'
  | 'missing-public-key'
  | 'bad-public-key'

export type SupportDocumentResult =
  | { readonly ok: true; readonly document: SupportDocument }
  | {
      readonly ok: false
      readonly code: BrowserIdErrorCode
      readonly problem: SupportDocumentProblem
      readonly reason: string
    }

/** Largest document we parse; real ones are a few KiB. */
export const MAX_SUPPORT_DOCUMENT_LENGTH = 64 * 1024

const PATH_RE = /^\/[^\s\\]*$/

function bad(problem: SupportDocumentProblem, reason: string): SupportDocumentResult {
  return { ok: false, code: 'ERR_BAD_SUPPORT_DOCUMENT', problem, reason }
}

function isParsed(v: object): v is SupportDocument {
  const t = Object.getOwnPropertyDescriptor(v, 'type')?.value
  const pk: unknown = Object.getOwnPropertyDescriptor(v, 'publicKey')?.value
  // A parsed document has `type` and, if supported, a `publicKey` -- never fields of the wire form.
  return (
    (t === 'supported' || t === 'delegation' || t === 'disabled') &&
    !('public-key' in v) &&
    (t !== 'supported' || typeof pk === 'object')
  )
}

/**
 * Parses untrusted support-document input (JSON text, the parsed JSON value, or an already parsed
 * SupportDocument, which is re-validated) into a result that never throws.
 */
export function parseSupportDocumentResult(input: unknown): SupportDocumentResult {
  let doc: unknown = input
  if (typeof doc === 'string') {
    if (doc.length > MAX_SUPPORT_DOCUMENT_LENGTH) return bad('too-large', 'support document is too large')
    try {
      doc = JSON.parse(doc)
    } catch {
      return bad('not-json', 'declaration of support is malformed (invalid json)')
    }
  }
  if (!isJsonObject(doc)) return bad('not-object', 'support document must contain a json object')
  if (isParsed(doc)) return reparse(doc)
  const fields = doc
  if (fields.disabled) return { ok: true, document: { type: 'disabled' } }
  if (fields.authority !== undefined && fields.authority !== null && fields.authority !== '') {
    if (!isValidHostname(fields.authority)) return bad('bad-authority', 'malformed authority')
    return { ok: true, document: { type: 'delegation', authority: fields.authority.toLowerCase() } }
  }
  const authentication = fields.authentication
  const provisioning = fields.provisioning
  if (typeof authentication !== 'string')
    return bad('missing-authentication', "support document missing required 'authentication'")
  if (typeof provisioning !== 'string')
    return bad('missing-provisioning', "support document missing required 'provisioning'")
  if (!PATH_RE.test(authentication))
    return bad('bad-authentication-path', "support document has a malformed 'authentication' path")
  if (!PATH_RE.test(provisioning))
    return bad('bad-provisioning-path', "support document has a malformed 'provisioning' path")
  if (!fields['public-key'])
    return bad('missing-public-key', "support document missing required 'public-key'")
  try {
    const publicKey = loadPublicKey(fields['public-key']).toJSON()
    return { ok: true, document: { type: 'supported', publicKey, authentication, provisioning } }
  } catch (e) {
    return bad(
      'bad-public-key',
      `mal-formed public key in support doc: ${e instanceof Error ? e.message : String(e)}`,
    )
  }
}

function reparse(doc: SupportDocument): SupportDocumentResult {
  if (doc.type === 'disabled') return { ok: true, document: { type: 'disabled' } }
  if (doc.type === 'delegation') return parseSupportDocumentResult({ authority: doc.authority })
  return parseSupportDocumentResult({
    'public-key': doc.publicKey,
    authentication: doc.authentication,
    provisioning: doc.provisioning,
  })
}

/**
 * Parses a support document from trusted input (our own configuration).
 * @throws {BrowserIdError} ERR_BAD_SUPPORT_DOCUMENT
 * @example parseSupportDocument('{"authority":"idp.example"}') // { type: 'delegation', authority: 'idp.example' }
 */
export function parseSupportDocument(input: unknown): SupportDocument {
  const r = parseSupportDocumentResult(input)
  if (!r.ok) throw new BrowserIdError(r.code, r.reason)
  return r.document
}
