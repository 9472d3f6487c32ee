// SPDX-License-Identifier: MPL-2.0
// add_email_with_assertion, the writer's half: attaches the address the reader's verified assertion
// proves to the signed-in account, as a primary (services/reader/src/calls/add-email-with-assertion.ts).
import { ADD_EMAIL_WITH_ASSERTION } from '@persona/wsapi'
import { implement, signedIn } from '../context.ts'
import { verifiedEmail } from '../verified.ts'

export const addEmailWithAssertion = implement(ADD_EMAIL_WITH_ASSERTION)(async (ctx) => {
  await ctx.addresses.addPrimary(signedIn(ctx), verifiedEmail(ctx))
  return { success: true }
})
