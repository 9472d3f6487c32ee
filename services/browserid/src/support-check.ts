// SPDX-License-Identifier: MPL-2.0
// What an IdP operator needs to hear about a domain's BrowserID support (Persona's
// check_primary_support): follows the support document through its delegations and says, finding by
// finding, what works and what is wrong, with what to do about it. Pure: the fetch is injected (the CLI
// and the page go through the proxy).
import { isValidHostname } from './email.ts'
import { loadPublicKey } from './keys.ts'
import { parseSupportDocumentResult } from './support-document.ts'
import { MAX_AUTHORITY_DELEGATIONS } from './verify.ts'

export type Severity = 'ok' | 'info' | 'warning' | 'error'

export interface Finding {
  readonly severity: Severity
  /** Stable code for tools and translations, e.g. `no-document`. */
  readonly code: string
  readonly message: string
}

/** One fetch of `https://<domain>/.well-known/browserid`: the document, none, or why it failed. */
export type SupportFetch =
  | { readonly kind: 'found'; readonly document: unknown }
  | { readonly kind: 'none' }
  | { readonly kind: 'failed'; readonly reason: string }

export interface SupportCheck {
  readonly domain: string
  /** `primary`: the chain ends in a usable key; `secondary`: the fallback IdP serves the domain. */
  readonly verdict: 'primary' | 'secondary' | 'disabled' | 'broken'
  /** The domains visited, the asked one first. */
  readonly chain: readonly string[]
  /** Absolute URLs of the authority's pages, when it supports BrowserID. */
  readonly authentication?: string
  readonly provisioning?: string
  readonly findings: readonly Finding[]
}

const WEAK_RSA_BITS = 2048

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
  const say = (severity: Severity, code: string, message: string) =>
    findings.push({ severity, code, message })
  const d = domain.trim().toLowerCase()
  if (!isValidHostname(d)) {
    say('error', 'bad-domain', `'${domain}' is not a domain name.`)
    return { domain: d, verdict: 'broken', chain: [], findings }
  }
  const chain = [d]
  let current = d
  for (;;) {
    const got = await getDocument(current)
    if (got.kind === 'failed') {
      say(
        'error',
        'unreachable',
        `https://${current}/.well-known/browserid could not be used: ${got.reason}. Serve it over https with a valid certificate, status 200 and a JSON body.`,
      )
      return { domain: d, verdict: 'broken', chain, findings }
    }
    if (got.kind === 'none') {
      if (current === d) {
        say(
          'info',
          'no-document',
          `${d} publishes no /.well-known/browserid, so it is not a BrowserID identity provider: its users sign in with a Persona password (Persona is their fallback IdP).`,
        )
        return { domain: d, verdict: 'secondary', chain, findings }
      }
      say(
        'error',
        'delegate-missing',
        `${current}, to which ${chain.at(-2)} delegates, publishes no support document.`,
      )
      return { domain: d, verdict: 'broken', chain, findings }
    }
    const parsed = parseSupportDocumentResult(got.document)
    if (!parsed.ok) {
      say('error', 'bad-document', `The support document of ${current} is not valid: ${parsed.reason}.`)
      return { domain: d, verdict: 'broken', chain, findings }
    }
    const doc = parsed.document
    if (doc.type === 'disabled') {
      say(
        'info',
        'disabled',
        `${current} disables BrowserID ("disabled": true): nobody may sign in as its users, not even with a Persona password.`,
      )
      return { domain: d, verdict: 'disabled', chain, findings }
    }
    if (doc.type === 'delegation') {
      if (chain.includes(doc.authority)) {
        say('error', 'delegation-loop', `Delegation loops: ${[...chain, doc.authority].join(' → ')}.`)
        return { domain: d, verdict: 'broken', chain, findings }
      }
      chain.push(doc.authority)
      say('ok', 'delegates', `${current} delegates to ${doc.authority}.`)
      if (chain.length - 1 > MAX_AUTHORITY_DELEGATIONS) {
        say(
          'error',
          'too-many-delegations',
          `More than ${MAX_AUTHORITY_DELEGATIONS} delegations: verifiers stop following.`,
        )
        return { domain: d, verdict: 'broken', chain, findings }
      }
      current = doc.authority
      continue
    }
    say('ok', 'supported', `${current} supports BrowserID.`)
    const key = loadPublicKey(doc.publicKey)
    const json: Record<string, unknown> = { ...doc.publicKey }
    const bits = json.algorithm === 'RS' ? rsaBits(json) : undefined
    say('ok', 'key', `Its public key: ${key.algorithm}${bits === undefined ? '' : `, ${bits} bits`}.`)
    if (bits !== undefined && bits < WEAK_RSA_BITS) {
      say('warning', 'weak-key', `A ${bits}-bit RSA key is weak: use at least ${WEAK_RSA_BITS} bits.`)
    }
    const authentication = new URL(doc.authentication, `https://${current}`).href
    const provisioning = new URL(doc.provisioning, `https://${current}`).href
    say('ok', 'pages', `Sign-in page ${authentication}; provisioning page ${provisioning}.`)
    if (authentication === provisioning) {
      say(
        'warning',
        'same-pages',
        'The sign-in and provisioning pages are the same page; they are meant to be two.',
      )
    }
    return { domain: d, verdict: 'primary', chain, authentication, provisioning, findings }
  }
}
