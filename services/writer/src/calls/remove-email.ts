// SPDX-License-Identifier: MPL-2.0
// remove_email: removes one of the signed-in user's addresses.
import { PersonaError } from '@persona/kit'
import { REMOVE_EMAIL } from '@persona/wsapi'
import { implement, signedIn } from '../context.ts'

export const removeEmail = implement(REMOVE_EMAIL)(async (ctx) => {
  const { email } = ctx.args
  if (!(await ctx.addresses.remove(signedIn(ctx), email))) {
    throw new PersonaError(
      'ERR_BAD_REQUEST',
      `authenticated user doesn't have permission to remove specified email ${email}`,
    )
  }
  return { success: true }
})
