// SPDX-License-Identifier: MPL-2.0
// discovery: a domain's support document as Firefox's native BrowserID wanted it: the primary's own
// key and absolute pages, or ours.
import { DISCOVERY } from '@persona/wsapi'
import { implement } from '../context.ts'
import { discover } from '../primary.ts'

export const discovery = implement(DISCOVERY)(async (ctx) => {
  const d = ctx.cfg.DISABLE_PRIMARY_SUPPORT
    ? ({ kind: 'secondary', disabled: false } as const)
    : await discover(ctx.proxy, ctx.args.domain, { requestId: ctx.request.id, own: ctx.own })
  if (d.kind === 'primary') return { 'public-key': d.publicKey, authentication: d.auth, provisioning: d.prov }
  return {
    'public-key': ctx.own.publicKey,
    authentication: `${ctx.own.origin}/auth#NATIVE`,
    provisioning: `${ctx.own.origin}/provision`,
  }
})
