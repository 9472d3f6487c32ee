// SPDX-License-Identifier: MPL-2.0
// Is a domain a primary IdP? (Persona's lib/primary.js checkSupport.) Asks the proxy for the domain's
// support document, follows `authority` delegation up to 6 hops without loops, and reports the
// authoritative domain with absolute sign-in and provisioning URLs, or secondary (and whether disabled).
import { type PublicKeyJSON, parseSupportDocumentResult } from '@persona/browserid'
import type { ProxyClient } from './proxy-client.ts'

const MAX_DELEGATIONS = 6

export type Discovery =
  | {
      readonly kind: 'primary'
      readonly authority: string
      readonly publicKey: PublicKeyJSON
      readonly auth: string
      readonly prov: string
    }
  | { readonly kind: 'secondary'; readonly disabled: boolean; readonly reason?: string }

export async function discover(proxy: ProxyClient, domain: string, requestId?: string): Promise<Discovery> {
  const seen = new Set<string>()
  let current = domain.toLowerCase()
  for (let hop = 0; hop <= MAX_DELEGATIONS; hop++) {
    if (seen.has(current)) return { kind: 'secondary', disabled: false, reason: 'delegation loop' }
    seen.add(current)
    const got = await proxy.supportDocument(current, requestId)
    if (got.kind !== 'document') return { kind: 'secondary', disabled: false, reason: got.reason }
    const parsed = parseSupportDocumentResult(got.document)
    if (!parsed.ok) return { kind: 'secondary', disabled: false, reason: parsed.reason }
    const doc = parsed.document
    if (doc.type === 'disabled') return { kind: 'secondary', disabled: true }
    if (doc.type === 'delegation') {
      current = doc.authority.toLowerCase()
      continue
    }
    return {
      kind: 'primary',
      authority: current,
      publicKey: doc.publicKey,
      // The IdP's pages live where its document came from: https://domain, or a dev shim's origin.
      auth: `${got.origin}${doc.authentication}`,
      prov: `${got.origin}${doc.provisioning}`,
    }
  }
  return { kind: 'secondary', disabled: false, reason: 'too many delegations' }
}
