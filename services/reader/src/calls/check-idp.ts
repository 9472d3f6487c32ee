// SPDX-License-Identifier: MPL-2.0
// check_idp: the protocol library's checkSupport on a domain, its documents fetched through the proxy
// by the checker's own client (a few seconds of cache, so an operator sees a fix at once). Our own
// domain's document is the one we serve, as discovery treats it: a domain delegating to us checks out
// without the proxy fetching us.
import { checkSupport, type SupportFetch } from '@persona/browserid'
import { CHECK_IDP } from '@persona/wsapi'
import { implement } from '../context.ts'

export const checkIdp = implement(CHECK_IDP)(async (ctx) => {
  const own = ctx.own.domain.toLowerCase()
  const lookup = async (domain: string): Promise<SupportFetch> =>
    domain === own
      ? { kind: 'document', document: ctx.own.supportDocument }
      : ctx.idpCheck.supportDocument(domain, ctx.request.id)
  const r = await checkSupport(ctx.args.domain, lookup)
  return { ...r, chain: [...r.chain], findings: [...r.findings] }
})
