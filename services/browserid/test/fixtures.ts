// SPDX-License-Identifier: MPL-2.0
// Test fixtures for the BrowserID library tests: a small world of domains with support documents served
// by an in-memory fetcher, key pairs made once per file, and helpers to mint certificates and bundles.

import {
  type Algorithm,
  bundleAssertion,
  generateKeyPair,
  type PublicKey,
  type SecretKey,
  signAssertion,
  signCertificate,
  type VerifyOptions,
} from '../src/index.ts'

export const NOW = 1_768_478_400_000
export const HOUR = 3_600_000
export const FALLBACK = 'login.persona.test'
export const AUDIENCE = 'https://rp.test'

export interface KeyPair {
  publicKey: PublicKey
  secretKey: SecretKey
}

const pairs = new Map<string, Promise<KeyPair>>()
/** A key pair per (name, algorithm), made once per test file. */
export function keyPair(name: string, alg: Algorithm = 'RS256'): Promise<KeyPair> {
  const id = `${name}/${alg}`
  let p = pairs.get(id)
  if (!p) {
    p = generateKeyPair(alg)
    pairs.set(id, p)
  }
  return p
}

export function supportDoc(key: PublicKey): Record<string, unknown> {
  return { 'public-key': key.toJSON(), authentication: '/sign_in', provisioning: '/provision' }
}

export interface BundleSpec {
  issuer?: string
  issuerKey: SecretKey
  user: KeyPair
  email?: string
  unverified?: boolean
  certIat?: number
  certExp?: number
  audience?: string
  exp?: number
  iat?: number
}

export function makeBundle(spec: BundleSpec): string {
  const cert = signCertificate(
    {
      issuer: spec.issuer ?? FALLBACK,
      publicKey: spec.user.publicKey,
      email: spec.email ?? 'alice@mail.test',
      iat: spec.certIat ?? NOW - HOUR,
      exp: spec.certExp ?? NOW + HOUR,
      ...(spec.unverified ? { unverified: true } : {}),
    },
    spec.issuerKey,
  )
  const assertion = signAssertion(
    {
      audience: spec.audience ?? AUDIENCE,
      exp: spec.exp ?? NOW + 120_000,
      ...(spec.iat ? { iat: spec.iat } : {}),
    },
    spec.user.secretKey,
  )
  return bundleAssertion([cert], assertion)
}

/** Verify options over a map of support documents; `throws` lists domains whose fetch fails. */
export function options(
  docs: Record<string, unknown>,
  extra: Partial<VerifyOptions> = {},
  throws: readonly string[] = [],
): VerifyOptions & { fetched: string[] } {
  const fetched: string[] = []
  return {
    now: NOW,
    fallbackIssuer: FALLBACK,
    fetchSupportDocument: async (domain: string) => {
      fetched.push(domain)
      if (throws.includes(domain)) throw new Error(`connect ECONNREFUSED for ${domain}`)
      return docs[domain] ?? null
    },
    ...extra,
    fetched,
  }
}

/** Re-encodes one segment of a compact JWS (0 header, 1 payload, 2 signature). */
export function replaceSegment(jws: string, index: number, value: string): string {
  const parts = jws.split('.')
  parts[index] = value
  return parts.join('.')
}

export function b64json(v: unknown): string {
  return Buffer.from(JSON.stringify(v)).toString('base64url')
}
