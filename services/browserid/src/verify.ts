// SPDX-License-Identifier: MPL-2.0
// Verification of backed assertions, re-implementing Persona's lib/verifier/certassertion.js on top of
// jwcrypto's cert.verifyBundle rules, in phases the verifier service can split across threads:
// parseBundle (cheap), checkClaims (cheap, clock + audience), resolveIssuerKey (async: support documents),
// verifyChainSignatures (pure CPU). verifyAssertion runs them in order. Nothing here throws to the caller.

import { compareAudiences } from './audience.ts'
import { domainFromEmail, isValidHostname } from './email.ts'
import { type BrowserIdErrorCode, failure, isFailure, type VerifyFailure } from './errors.ts'
import { type DecodedJws, decodeJws, verifyJwsSignature } from './jws.ts'
import { loadPublicKey, PublicKey, type PublicKeyJSON } from './keys.ts'
import { parseSupportDocumentResult } from './support-document.ts'

/** Clock skew tolerated on `exp` and `iat` of certificates and assertions (1 minute). */
export const DEFAULT_SKEW_MS = 60_000
/** Delegations of authority followed from an email domain before giving up. */
export const MAX_AUTHORITY_DELEGATIONS = 6
/** Largest backed assertion accepted (a DS256 cert~assertion is about 3 KiB). */
export const MAX_BUNDLE_LENGTH = 32 * 1024
/** Persona allowed one certificate; chains up to this many are possible with `maxCertificates`. */
export const MAX_CERTIFICATES = 8

export interface VerifyOkay {
  readonly status: 'okay'
  /** The certified address (absent when only `unverified-email` was certified). */
  readonly email?: string
  /** Present instead of `email` when allowUnverified accepted an unverified address. */
  readonly 'unverified-email'?: string
  /** The audience as the relying site gave it (Persona echoed it unchanged). */
  readonly audience: string
  /** The assertion's expiry, ms since the epoch. */
  readonly expires: number
  /** The domain whose key signed the (first) certificate. */
  readonly issuer: string
}
export type VerifyResult = VerifyOkay | VerifyFailure

/** A parsed backed assertion: plain data, safe to structured-clone into a worker. */
export interface ParsedBundle {
  readonly certs: readonly DecodedJws[]
  readonly assertion: DecodedJws
  /** `iss` of the first certificate, lower-cased. */
  readonly issuer: string
  /** `principal.email` of the last certificate, if any. */
  readonly email?: string
  /** `principal['unverified-email']` of the last certificate, if any. */
  readonly unverifiedEmail?: string
  /** Lower-cased domain of the certified address. */
  readonly emailDomain: string
  /** The assertion's `aud` and `exp`. */
  readonly audience: string
  readonly expires: number
}

export interface ParseOptions {
  /** Most certificates allowed before the assertion; default 1 (Persona refused chains), at most 8. */
  readonly maxCertificates?: number
}

/** Fetches `https://<domain>/.well-known/browserid`: the body (JSON text or value), null if the domain has none; rejects if the fetch failed. */
export type SupportDocumentFetcher = (domain: string) => Promise<unknown>

export interface ResolveOptions {
  readonly fetchSupportDocument: SupportDocumentFetcher
  /** The fallback (secondary) IdP: it may certify addresses of domains without a support document. */
  readonly fallbackIssuer?: string
  /** The fallback's key(s); fetched from its own support document when absent. Several allow rotation. */
  readonly fallbackPublicKey?: PublicKeyJSON | PublicKey | readonly (PublicKeyJSON | PublicKey)[]
  /** Persona's experimental_forceIssuer: a certificate from this issuer is checked against the fallback's key, for any domain. */
  readonly forceIssuer?: string
  /** When given, forceIssuer is honoured only if listed (Persona's `forcible_issuers`). */
  readonly forcibleIssuers?: readonly string[]
  readonly maxDelegations?: number
}

export interface ClaimOptions {
  readonly skewMs?: number
  /** Persona's experimental_allowUnverified: accept certificates for `unverified-email`. */
  readonly allowUnverified?: boolean
}

export interface SignatureOptions extends ClaimOptions {
  /**
   * The certificates' signatures were already checked against these same issuer keys (a caller's cache of
   * verified certificates): only the assertion's signature is checked, with the key the last certificate
   * certifies. Every claim (validity windows, audience) is still checked.
   */
  readonly certificatesVerified?: boolean
}

export interface VerifyOptions extends ParseOptions, ResolveOptions, ClaimOptions {
  /** The verification time, ms since the epoch. */
  readonly now: number
}

export interface IssuerKey {
  readonly status: 'resolved'
  readonly issuer: string
  readonly publicKeys: readonly PublicKeyJSON[]
}

function isTime(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v)
}

function describe(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e)
  return m.length > 200 ? `${m.slice(0, 200)}…` : m
}

/**
 * Splits and decodes a backed assertion and checks its shape (no crypto, no clock).
 * @example parseBundle('eyJ…~eyJ…') // ParsedBundle, or { status: 'failure', reason, code }
 */
export function parseBundle(bundle: unknown, opts: ParseOptions = {}): ParsedBundle | VerifyFailure {
  if (typeof bundle !== 'string' || bundle.length === 0)
    return failure('ERR_MALFORMED_BUNDLE', 'malformed backed assertion')
  if (bundle.length > MAX_BUNDLE_LENGTH)
    return failure('ERR_MALFORMED_BUNDLE', 'backed assertion is too large')
  const maxCerts = Math.min(Math.max(1, Math.trunc(opts.maxCertificates ?? 1)), MAX_CERTIFICATES)
  const parts = bundle.split('~')
  if (parts.length < 2) return failure('ERR_MALFORMED_BUNDLE', 'no certificates provided')
  if (parts.length - 1 > maxCerts) {
    return maxCerts === 1
      ? failure('ERR_CHAIN_TOO_LONG', 'certificate chaining is not yet allowed')
      : failure('ERR_CHAIN_TOO_LONG', `too many certificates (at most ${maxCerts})`)
  }
  const certs: DecodedJws[] = []
  for (let i = 0; i < parts.length - 1; i++) {
    const d = decodeJws(parts[i] ?? '')
    if (typeof d === 'string') return failure('ERR_MALFORMED_CERTIFICATE', `malformed certificate: ${d}`)
    const p = d.payload
    if (!isValidHostname(p.iss)) return failure('ERR_MALFORMED_CERTIFICATE', 'malformed certificate: bad iss')
    if (!isTime(p.exp)) return failure('ERR_MALFORMED_CERTIFICATE', 'malformed certificate: missing exp')
    if (p.iat !== undefined && !isTime(p.iat))
      return failure('ERR_MALFORMED_CERTIFICATE', 'malformed certificate: bad iat')
    const pk = p['public-key']
    if (typeof pk !== 'object' || pk === null || Array.isArray(pk)) {
      return failure('ERR_MALFORMED_CERTIFICATE', 'malformed certificate: missing public-key')
    }
    certs.push(d)
  }
  const assertion = decodeJws(parts[parts.length - 1] ?? '')
  if (typeof assertion === 'string')
    return failure('ERR_MALFORMED_ASSERTION', `malformed assertion: ${assertion}`)
  const { aud, exp, iat } = assertion.payload
  if (typeof aud !== 'string') return failure('ERR_MALFORMED_ASSERTION', 'malformed assertion: missing aud')
  if (!isTime(exp)) return failure('ERR_MALFORMED_ASSERTION', 'malformed assertion: missing exp')
  if (iat !== undefined && !isTime(iat))
    return failure('ERR_MALFORMED_ASSERTION', 'malformed assertion: bad iat')

  const first = certs[0]
  const last = certs[certs.length - 1]
  if (!first || !last) return failure('ERR_MALFORMED_BUNDLE', 'no certificates provided')
  const principal = last.payload.principal
  if (typeof principal !== 'object' || principal === null || Array.isArray(principal)) {
    return failure('ERR_MALFORMED_CERTIFICATE', 'missing email')
  }
  const email: unknown = Object.getOwnPropertyDescriptor(principal, 'email')?.value
  const unverified: unknown = Object.getOwnPropertyDescriptor(principal, 'unverified-email')?.value
  if (email !== undefined && typeof email !== 'string') return failure('ERR_INVALID_EMAIL', 'invalid email')
  if (unverified !== undefined && typeof unverified !== 'string')
    return failure('ERR_INVALID_EMAIL', 'invalid email')
  const address = email ?? unverified
  if (address === undefined) return failure('ERR_INVALID_EMAIL', 'missing email')
  const emailDomain = domainFromEmail(address)
  if (emailDomain === null) return failure('ERR_INVALID_EMAIL', 'invalid email')
  const issuer = String(first.payload.iss).toLowerCase()
  return {
    certs,
    assertion,
    issuer,
    ...(email === undefined ? {} : { email }),
    ...(unverified === undefined ? {} : { unverifiedEmail: unverified }),
    emailDomain,
    audience: aud,
    expires: exp,
  }
}

/**
 * The checks that need only the clock and the audience: validity windows of every certificate and of the
 * assertion (with `skewMs` of slack), the audience, and the unverified-email rule. Null when all pass.
 */
export function checkClaims(
  parsed: ParsedBundle,
  audience: unknown,
  now: number,
  opts: ClaimOptions = {},
): VerifyFailure | null {
  if (!isTime(now)) return failure('ERR_BAD_ARGUMENT', 'verification time is not a number')
  const skew = opts.skewMs ?? DEFAULT_SKEW_MS
  for (const cert of parsed.certs) {
    const { exp, iat } = cert.payload
    if (!isTime(exp) || exp < now - skew) return failure('ERR_CERTIFICATE_EXPIRED', 'certificate has expired')
    if (isTime(iat) && iat > now + skew) {
      return failure('ERR_CERTIFICATE_NOT_YET_VALID', 'certificate issued later than verification date')
    }
  }
  const { iat } = parsed.assertion.payload
  if (parsed.expires < now - skew) return failure('ERR_ASSERTION_EXPIRED', 'assertion has expired')
  if (isTime(iat) && iat > now + skew) {
    return failure('ERR_ASSERTION_NOT_YET_VALID', 'assertion issued later than verification date')
  }
  if (typeof audience !== 'string' || audience.length === 0)
    return failure('ERR_BAD_AUDIENCE', 'audience missing')
  const mismatch = compareAudiences(parsed.audience, audience)
  if (mismatch !== null) return failure('ERR_AUDIENCE_MISMATCH', `audience mismatch: ${mismatch}`)
  if (parsed.unverifiedEmail !== undefined && !opts.allowUnverified) {
    return failure('ERR_UNVERIFIED_EMAIL', 'unverified email')
  }
  return null
}

/** Tries each candidate key for a signed object: alg must match the key (jwcrypto), then the signature. */
function checkSignedBy(jws: DecodedJws, keys: readonly PublicKey[], what: string): VerifyFailure | null {
  let algMatched = false
  for (const key of keys) {
    if (jws.alg !== key.algorithm) continue
    algMatched = true
    if (verifyJwsSignature(jws, key)) return null
  }
  if (!algMatched) return failure('ERR_ALGORITHM_MISMATCH', `algorithms do not match in ${what}`)
  return failure('ERR_BAD_SIGNATURE', `bad signature in ${what}`)
}

function loadKeyOrFailure(json: unknown, code: BrowserIdErrorCode, what: string): PublicKey | VerifyFailure {
  try {
    return loadPublicKey(json)
  } catch (e) {
    return failure(code, `${what}: ${describe(e)}`)
  }
}

/**
 * Verifies every signature in the chain -- the first certificate against the issuer's key(s), each
 * further certificate against the key in the one before, the assertion against the last certificate's
 * key -- after the claim checks. Synchronous, pure CPU; inputs are plain data (worker friendly).
 */
export function verifyChainSignatures(
  parsed: ParsedBundle,
  issuerPublicKeyJSON: PublicKeyJSON | readonly PublicKeyJSON[],
  audience: string,
  now: number,
  opts: SignatureOptions = {},
): VerifyResult {
  try {
    const claims = checkClaims(parsed, audience, now, opts)
    if (claims) return claims
    const known = opts.certificatesVerified === true
    const candidates = Array.isArray(issuerPublicKeyJSON) ? issuerPublicKeyJSON : [issuerPublicKeyJSON]
    let signers: PublicKey[] = []
    for (const json of known ? [] : candidates) {
      const k = loadKeyOrFailure(json, 'ERR_BAD_KEY', "issuer's public key is malformed")
      if (isFailure(k)) return k
      signers.push(k)
    }
    if (!known && signers.length === 0) return failure('ERR_BAD_KEY', 'no public keys found for root issuer')
    for (const cert of parsed.certs) {
      const bad = known ? null : checkSignedBy(cert, signers, 'chain')
      if (bad) return bad
      const k = loadKeyOrFailure(
        cert.payload['public-key'],
        'ERR_MALFORMED_CERTIFICATE',
        'certified public key is malformed',
      )
      if (isFailure(k)) return k
      signers = [k]
    }
    const bad = checkSignedBy(parsed.assertion, signers, 'assertion')
    if (bad) return bad
    const base = { status: 'okay', audience, expires: parsed.expires, issuer: parsed.issuer } as const
    if (parsed.email !== undefined) return { ...base, email: parsed.email }
    if (parsed.unverifiedEmail !== undefined && opts.allowUnverified) {
      return { ...base, 'unverified-email': parsed.unverifiedEmail }
    }
    return failure('ERR_INVALID_EMAIL', 'missing email')
  } catch (e) {
    return failure('ERR_INTERNAL', `internal error: ${describe(e)}`)
  }
}

export type Authority =
  | { readonly kind: 'none' }
  | { readonly kind: 'disabled'; readonly chain: readonly string[] }
  | {
      readonly kind: 'supported'
      readonly authority: string
      readonly publicKey: PublicKeyJSON
      /** Paths of the authority's sign-in and provisioning pages, on `origin`. */
      readonly authentication: string
      readonly provisioning: string
      /** Where the authority's document came from: `https://<authority>` unless the fetcher said otherwise. */
      readonly origin: string
      readonly chain: readonly string[]
    }

/**
 * What a fetcher may return instead of the bare document: the document and the origin it came from (a
 * development shim serves a domain's document from another origin; its pages live there too).
 */
export class FetchedSupportDocument {
  readonly document: unknown
  readonly origin: string
  constructor(document: unknown, origin: string) {
    this.document = document
    this.origin = origin
  }
}

/**
 * Follows a domain's support documents through `authority` delegations (Persona's deepFetchWellKnown):
 * at most `maxDelegations` hops, loops refused. `fetchDocument` answers the document (or a
 * FetchedSupportDocument naming its origin), null when the domain has none, and throws when it failed.
 */
export async function resolveAuthority(
  domain: string,
  fetchDocument: SupportDocumentFetcher,
  maxDelegations = MAX_AUTHORITY_DELEGATIONS,
): Promise<Authority | VerifyFailure> {
  const chain = [domain]
  let current = domain
  for (;;) {
    let raw: unknown
    let origin = `https://${current}`
    try {
      raw = await fetchDocument(current)
      if (raw instanceof FetchedSupportDocument) {
        origin = raw.origin
        raw = raw.document
      }
    } catch (e) {
      return failure(
        'ERR_SUPPORT_DOCUMENT_FETCH',
        `can't fetch support document for '${current}': ${describe(e)}`,
      )
    }
    if (raw === null || raw === undefined) {
      if (current === domain) return { kind: 'none' }
      return failure(
        'ERR_NO_SUPPORT_DOCUMENT',
        `delegated authority '${current}' has no support document (${chain.join(' > ')})`,
      )
    }
    const parsed = parseSupportDocumentResult(raw)
    if (!parsed.ok) return failure(parsed.code, `bad support document for '${current}': ${parsed.reason}`)
    const doc = parsed.document
    if (doc.type === 'disabled') return { kind: 'disabled', chain }
    if (doc.type === 'supported') {
      const { publicKey, authentication, provisioning } = doc
      return { kind: 'supported', authority: current, publicKey, authentication, provisioning, origin, chain }
    }
    const next = doc.authority
    if (chain.includes(next)) {
      return failure(
        'ERR_DELEGATION_LOOP',
        `circular reference in delegating authority: ${[...chain, next].join(' > ')}`,
      )
    }
    chain.push(next)
    if (chain.length - 1 > maxDelegations) {
      return failure(
        'ERR_DELEGATION_TOO_DEEP',
        `too many hops while delegating authority: ${chain.join(' > ')}`,
      )
    }
    current = next
  }
}

async function fallbackKeys(opts: ResolveOptions): Promise<readonly PublicKeyJSON[] | VerifyFailure> {
  const given = opts.fallbackPublicKey
  if (given !== undefined) {
    const list = Array.isArray(given) ? given : [given]
    const out: PublicKeyJSON[] = []
    for (const k of list) {
      const key = loadKeyOrFailure(k, 'ERR_BAD_KEY', "fallback issuer's public key is malformed")
      if (isFailure(key)) return key
      // Hand on the caller's own object when it is plain JSON: the key cache knows it by identity.
      out.push(k instanceof PublicKey ? key.toJSON() : k)
    }
    return out
  }
  const fb = opts.fallbackIssuer
  if (fb === undefined) return failure('ERR_ISSUER_NOT_AUTHORIZED', 'no fallback issuer is configured')
  const r = await resolveAuthority(fb, opts.fetchSupportDocument, opts.maxDelegations)
  if (isFailure(r)) return r
  if (r.kind !== 'supported')
    return failure('ERR_NO_SUPPORT_DOCUMENT', `can't get public key for fallback issuer '${fb}'`)
  return [r.publicKey]
}

function notAuthorized(issuer: string, domain: string): VerifyFailure {
  return failure('ERR_ISSUER_NOT_AUTHORIZED', `issuer '${issuer}' may not speak for emails from '${domain}'`)
}

/**
 * Decides which key(s) must have signed the first certificate, applying the issuer-authority rules:
 * a domain with a support document is certified only by its (possibly delegated) authority; the fallback
 * IdP only certifies domains with no document or a `disabled` one; `forceIssuer` maps that issuer to the
 * fallback's key for any domain.
 */
export async function resolveIssuerKey(
  parsed: ParsedBundle,
  opts: ResolveOptions,
): Promise<IssuerKey | VerifyFailure> {
  try {
    const { issuer, emailDomain } = parsed
    const fallback = opts.fallbackIssuer?.toLowerCase()
    if (opts.forceIssuer !== undefined && issuer === opts.forceIssuer.toLowerCase()) {
      if (opts.forcibleIssuers && !opts.forcibleIssuers.some((f) => f.toLowerCase() === issuer)) {
        return failure('ERR_FORCE_ISSUER_REFUSED', `this verifier won't force issuer for ${opts.forceIssuer}`)
      }
      const keys = await fallbackKeys(opts)
      return isFailure(keys) ? keys : { status: 'resolved', issuer, publicKeys: keys }
    }
    const auth = await resolveAuthority(emailDomain, opts.fetchSupportDocument, opts.maxDelegations)
    if (isFailure(auth)) return auth
    if (auth.kind === 'supported') {
      if (issuer !== auth.authority) return notAuthorized(issuer, emailDomain)
      return { status: 'resolved', issuer, publicKeys: [auth.publicKey] }
    }
    // No support document, or BrowserID disabled: only the fallback IdP may certify the domain.
    if (fallback !== undefined && issuer === fallback) {
      const keys = await fallbackKeys(opts)
      return isFailure(keys) ? keys : { status: 'resolved', issuer, publicKeys: keys }
    }
    if (auth.kind === 'disabled' && issuer === emailDomain) {
      return failure('ERR_DOMAIN_DISABLED', `'${emailDomain}' has disabled BrowserID support`)
    }
    if (auth.kind === 'none' && issuer === emailDomain) {
      return failure(
        'ERR_NO_SUPPORT_DOCUMENT',
        `'${emailDomain}' is not a BrowserID primary (no support document)`,
      )
    }
    return notAuthorized(issuer, emailDomain)
  } catch (e) {
    return failure('ERR_INTERNAL', `internal error: ${describe(e)}`)
  }
}

/**
 * Verifies a backed assertion for an audience at time `opts.now`: parse, claims, issuer authority, then
 * every signature. Never throws; bad input gives `{ status: 'failure', reason, code }`.
 * @example await verifyAssertion(bundle, 'https://rp.example', { now: clockMs, fetchSupportDocument, fallbackIssuer: 'login.example' })
 */
export async function verifyAssertion(
  bundle: unknown,
  audience: unknown,
  opts: VerifyOptions,
): Promise<VerifyResult> {
  try {
    const parsed = parseBundle(bundle, opts)
    if (isFailure(parsed)) return parsed
    const early = checkClaims(parsed, audience, opts.now, opts)
    if (early) return early
    if (typeof audience !== 'string') return failure('ERR_BAD_AUDIENCE', 'audience missing')
    const key = await resolveIssuerKey(parsed, opts)
    if (isFailure(key)) return key
    return verifyChainSignatures(parsed, key.publicKeys, audience, opts.now, opts)
  } catch (e) {
    return failure('ERR_INTERNAL', `internal error: ${describe(e)}`)
  }
}
