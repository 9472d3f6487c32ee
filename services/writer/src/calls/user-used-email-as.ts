// SPDX-License-Identifier: MPL-2.0
// user_used_email_as (internal): records how the signed-in user last used an address.
import { PersonaError } from '@persona/kit'
import { USER_USED_EMAIL_AS } from '@persona/wsapi'
import { implement, signedIn } from '../context.ts'

export const userUsedEmailAs = implement(USER_USED_EMAIL_AS)(async (ctx) => {
  const { email, used_as } = ctx.args
  if (!(await ctx.addresses.setLastUsedAs(signedIn(ctx), email, used_as))) {
    throw new PersonaError('ERR_BAD_REQUEST', 'email does not belong to authenticated user')
  }
  return { success: true }
})
