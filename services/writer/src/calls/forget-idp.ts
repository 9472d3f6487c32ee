// SPDX-License-Identifier: MPL-2.0
// forget_idp (internal): forgets a domain that no longer is, or long stopped being, a primary IdP.
import { FORGET_IDP } from '@persona/wsapi'
import { implement } from '../context.ts'

export const forgetIdp = implement(FORGET_IDP)(async (ctx) => {
  await ctx.idps.forget(ctx.args.domain)
  return { success: true }
})
