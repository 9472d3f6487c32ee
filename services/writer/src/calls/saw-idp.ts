// SPDX-License-Identifier: MPL-2.0
// saw_idp (internal): a domain was just seen serving a support document.
import { SAW_IDP } from '@persona/wsapi'
import { implement } from '../context.ts'

export const sawIdp = implement(SAW_IDP)(async (ctx) => {
  await ctx.idps.saw(ctx.args.domain)
  return { success: true }
})
