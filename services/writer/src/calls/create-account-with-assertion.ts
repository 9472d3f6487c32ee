// SPDX-License-Identifier: MPL-2.0
// create_account_with_assertion (internal): an account for the address the reader's verified assertion
// proves, without a password, with that one primary address.
import { CREATE_ACCOUNT_WITH_ASSERTION } from '@persona/wsapi'
import { implement } from '../context.ts'
import { verifiedEmail } from '../verified.ts'

export const createAccountWithAssertion = implement(CREATE_ACCOUNT_WITH_ASSERTION)(async (ctx) => {
  const r = await ctx.accounts.createWithPrimaryEmail(verifiedEmail(ctx))
  return { success: true, userid: r.userId, generation: r.generation }
})
