// SPDX-License-Identifier: MPL-2.0
// have_email: whether an address belongs to an account.
import { HAVE_EMAIL } from '@persona/wsapi'
import { implement } from '../context.ts'

export const haveEmail = implement(HAVE_EMAIL)(async (ctx) => ({
  email_known: (await ctx.replica.address(ctx.args.email)) !== undefined,
}))
