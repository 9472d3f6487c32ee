// SPDX-License-Identifier: MPL-2.0
// Is a domain a primary IdP? (Persona's lib/primary.js checkSupport.) Asks the proxy for the domain's
// support document, follows `authority` delegation up to 6 hops without loops, and reports the
// authoritative domain with absolute sign-in and provisioning URLs, or secondary (and whether disabled).
import { MAX_AUTHORITY_DELEGATIONS, type PublicKeyJSON, parseSupportDocumentResult } from '@persona/browserid'
import type { SupportDocumentClient } from '@persona/proxy/client'

export type Discovery =
  | {
      readonly kind: 'primary'
      readonly authority: string
      readonly publicKey: PublicKeyJSON
      readonly auth: string
      readonly prov: string
    }
  | { readonly kind: 'secondary'; readonly disabled: boolean; readonly reason?: string }

export interface DiscoverOptions {
  readonly requestId?: string
  /**
   * Our own (fallback IdP) domain. A domain that is ours, or that delegates its authority to us, is
   * served by our own password flow: our certificates verify for it through the delegation, and the
   * dialog needs no provisioning page of ours to run in a frame.
   */
  readonly ownDomain: string
}

export async function discover(
  proxy: Pick<SupportDocumentClient, 'supportDocument'>,
  domain: string,
  opts: DiscoverOptions,
): Promise<Discovery> {
  const { requestId } = opts
  const own = opts.ownDomain.toLowerCase()
  const seen = new Set<string>()
  let current = domain.toLowerCase()
  if (current === own) return { kind: 'secondary', disabled: false, reason: 'our own domain' }
  for (let hop = 0; hop <= MAX_AUTHORITY_DELEGATIONS; hop++) {
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
      if (current === own) return { kind: 'secondary', disabled: false, reason: 'delegated to us' }
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
