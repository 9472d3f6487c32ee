// SPDX-License-Identifier: MPL-2.0
// add_email_with_assertion, the reader's half: the assertion is verified here (the auth_with_assertion
// rules); the writer attaches the address it proves (services/writer/src/calls/add-email-with-assertion.ts).
import { ADD_EMAIL_WITH_ASSERTION } from '@persona/wsapi'
import { implement } from '../context.ts'

export const addEmailWithAssertion = implement(ADD_EMAIL_WITH_ASSERTION)(async (ctx) => {
  const checked = await ctx.assertions.check(ctx.args.assertion, ctx.request.id)
  if (!checked.ok) return { success: false, reason: checked.reason }
  return ctx.writer.call(ADD_EMAIL_WITH_ASSERTION, ctx.args, {
    verified: { email: checked.email, issuer: checked.issuer },
  })
})
