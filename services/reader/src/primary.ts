// SPDX-License-Identifier: MPL-2.0
// Is a domain a primary IdP? (Persona's lib/primary.js checkSupport.) The protocol library's
// resolveAuthority follows the domain's support documents through `authority` delegation (fetched
// through the proxy); this maps its answer to the dialog's: the authoritative domain with absolute
// sign-in and provisioning URLs, or secondary (and whether disabled). A domain that is ours, or that
// delegates its authority to us, is secondary: our own password flow serves it.
import { FetchedSupportDocument, isFailure, type PublicKeyJSON, resolveAuthority } from '@persona/browserid'
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
  /** Our own (fallback IdP) domain and the support document we serve for it. */
  readonly own: { readonly domain: string; readonly supportDocument: object }
}

export async function discover(
  proxy: Pick<SupportDocumentClient, 'supportDocument'>,
  domain: string,
  opts: DiscoverOptions,
): Promise<Discovery> {
  const own = opts.own.domain.toLowerCase()
  const start = domain.toLowerCase()
  if (start === own) return { kind: 'secondary', disabled: false, reason: 'our own domain' }
  const auth = await resolveAuthority(start, async (d) => {
    // Our own document is known: a delegation to us is resolved without asking anyone.
    if (d === own) return opts.own.supportDocument
    const got = await proxy.supportDocument(d, opts.requestId)
    if (got.kind === 'none') return null
    if (got.kind === 'error') throw new Error(got.reason)
    return new FetchedSupportDocument(got.document, got.origin)
  })
  if (isFailure(auth)) return { kind: 'secondary', disabled: false, reason: auth.reason }
  if (auth.kind === 'none') return { kind: 'secondary', disabled: false, reason: 'no support document' }
  if (auth.kind === 'disabled') return { kind: 'secondary', disabled: true }
  if (auth.authority === own) return { kind: 'secondary', disabled: false, reason: 'delegated to us' }
  return {
    kind: 'primary',
    authority: auth.authority,
    publicKey: auth.publicKey,
    // The IdP's pages live where its document came from: https://domain, or a dev shim's origin.
    auth: `${auth.origin}${auth.authentication}`,
    prov: `${auth.origin}${auth.provisioning}`,
  }
}
