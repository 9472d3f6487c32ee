// SPDX-License-Identifier: MPL-2.0
// list_emails: the signed-in user's addresses.
import { PersonaError } from '@persona/kit'
import { LIST_EMAILS } from '@persona/wsapi'
import { implement } from '../context.ts'
import { authOf } from '../session.ts'

export const listEmails = implement(LIST_EMAILS)(async (ctx) => {
  const auth = authOf(ctx.session, ctx.now)
  if (auth === undefined) throw new PersonaError('ERR_UNAUTHORIZED', 'requires authentication')
  const rows = await ctx.replica.addressesOf(auth.userid)
  return { success: true, emails: rows.map((r) => r.address) }
})
