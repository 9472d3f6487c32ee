// SPDX-License-Identifier: MPL-2.0
// account_cancel: deletes the signed-in user's account (addresses and pending links go with it) and, unlike
// Persona (which left it to the next session_context), signs this browser out at once.
import { ACCOUNT_CANCEL, signOut } from '@persona/wsapi'
import { implement, signedIn } from '../context.ts'

export const accountCancel = implement(ACCOUNT_CANCEL)(async (ctx) => {
  await ctx.accounts.cancelAccount(signedIn(ctx))
  signOut(ctx.session)
  return { success: true }
})
