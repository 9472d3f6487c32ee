// SPDX-License-Identifier: MPL-2.0
// What an IdP operator needs to hear about a domain's BrowserID support (Persona's
// check_primary_support): follows the support document through its delegations and reports, finding
// by finding, what works and what is wrong. Pure: the fetch is injected (the CLI and the page go
// through the proxy), and findings are data (a stable code and the values it names): the words, in
// every language, are the l10n package's `idp-check-<code>` messages.
import { isValidHostname } from './email.ts'
import { loadPublicKey } from './keys.ts'
import { parseSupportDocumentResult } from './support-document.ts'
import { MAX_AUTHORITY_DELEGATIONS } from './verify.ts'

export type Severity = 'ok' | 'info' | 'warning' | 'error'

/** Every finding checkSupport reports, by its stable code. */
export const FINDING_CODES = [
  'bad-domain',
  'unreachable',
  'no-document',
  'delegate-missing',
  'bad-document',
  'disabled',
  'delegation-loop',
  'delegates',
  'too-many-delegations',
  'supported',
  'key',
  'weak-key',
  'pages',
  'same-pages',
] as const
export type FindingCode = (typeof FINDING_CODES)[number]

/** The values a finding's message names: domains, the delegation chain, key size, page URLs. */
export type FindingArgs = Readonly<Record<string, string | number>>

export interface Finding {
  readonly severity: Severity
  readonly code: FindingCode
  /**
   * The values the finding's message names. `detail`, where present, is the fetcher's or the parser's
   * own technical text (English), for whoever needs the exact cause.
   */
  readonly args: FindingArgs
}

/**
 * One fetch of `https://<domain>/.well-known/browserid`: the document, none, or why it could not be
 * used (the shape of @persona/proxy's SupportLookup, so its client is passed as is).
 */
export type SupportFetch =
  | { readonly kind: 'document'; readonly document: unknown }
  | { readonly kind: 'none' }
  | { readonly kind: 'error'; readonly reason: string }

export type Verdict = 'primary' | 'secondary' | 'disabled' | 'broken'

export interface SupportCheck {
  readonly domain: string
  /** `primary`: the chain ends in a usable key; `secondary`: the fallback IdP serves the domain. */
  readonly verdict: Verdict
  /** The domains visited, the asked one first. */
  readonly chain: readonly string[]
  /** Absolute URLs of the authority's pages, when it supports BrowserID. */
  readonly authentication?: string
  readonly provisioning?: string
  readonly findings: readonly Finding[]
}

/** RSA keys shorter than this are reported as weak. */
export const WEAK_RSA_BITS = 2048

function rsaBits(pk: Record<string, unknown>): number | undefined {
  const n = pk.n
  if (typeof n !== 'string' || !/^[0-9]+$/.test(n)) return undefined
  return BigInt(n).toString(2).length
}

/**
 * Checks `domain`'s BrowserID support through `getDocument`, following `authority` delegations as the
 * verifier does (at most MAX_AUTHORITY_DELEGATIONS hops, no loops).
 */
export async function checkSupport(
  domain: string,
  getDocument: (domain: string) => Promise<SupportFetch>,
): Promise<SupportCheck> {
  const findings: Finding[] = []
  const say = (severity: Severity, code: FindingCode, args: FindingArgs = {}) =>
    findings.push({ severity, code, args })
  const d = domain.trim().toLowerCase()
  if (!isValidHostname(d)) {
    say('error', 'bad-domain', { domain: domain.trim() })
    return { domain: d, verdict: 'broken', chain: [], findings }
  }
  const chain = [d]
  let current = d
  for (;;) {
    const got = await getDocument(current)
    if (got.kind === 'error') {
      const url = `https://${current}/.well-known/browserid`
      say('error', 'unreachable', { domain: current, url, detail: got.reason })
      return { domain: d, verdict: 'broken', chain, findings }
    }
    if (got.kind === 'none') {
      if (current === d) {
        say('info', 'no-document', { domain: d })
        return { domain: d, verdict: 'secondary', chain, findings }
      }
      say('error', 'delegate-missing', { domain: current, from: chain.at(-2) ?? d })
      return { domain: d, verdict: 'broken', chain, findings }
    }
    const parsed = parseSupportDocumentResult(got.document)
    if (!parsed.ok) {
      say('error', 'bad-document', { domain: current, problem: parsed.problem, detail: parsed.reason })
      return { domain: d, verdict: 'broken', chain, findings }
    }
    const doc = parsed.document
    if (doc.type === 'disabled') {
      say('info', 'disabled', { domain: current })
      return { domain: d, verdict: 'disabled', chain, findings }
    }
    if (doc.type === 'delegation') {
      if (chain.includes(doc.authority)) {
        say('error', 'delegation-loop', { chain: [...chain, doc.authority].join(' → ') })
        return { domain: d, verdict: 'broken', chain, findings }
      }
      chain.push(doc.authority)
      say('ok', 'delegates', { domain: current, authority: doc.authority })
      if (chain.length - 1 > MAX_AUTHORITY_DELEGATIONS) {
        say('error', 'too-many-delegations', { max: MAX_AUTHORITY_DELEGATIONS })
        return { domain: d, verdict: 'broken', chain, findings }
      }
      current = doc.authority
      continue
    }
    say('ok', 'supported', { domain: current })
    const key = loadPublicKey(doc.publicKey)
    const json: Record<string, unknown> = { ...doc.publicKey }
    const bits = json.algorithm === 'RS' ? rsaBits(json) : undefined
    // 0: a key whose size is not told this way (DSA's is in its group).
    say('ok', 'key', { algorithm: key.algorithm, bits: bits ?? 0 })
    if (bits !== undefined && bits < WEAK_RSA_BITS) {
      say('warning', 'weak-key', { bits, min: WEAK_RSA_BITS })
    }
    const authentication = new URL(doc.authentication, `https://${current}`).href
    const provisioning = new URL(doc.provisioning, `https://${current}`).href
    say('ok', 'pages', { authentication, provisioning })
    if (authentication === provisioning) say('warning', 'same-pages')
    return { domain: d, verdict: 'primary', chain, authentication, provisioning, findings }
  }
}
