// SPDX-License-Identifier: MPL-2.0
// add_email_with_assertion (Persona's lib/wsapi/add_email_with_assertion.js): adds a primary address
// proven by an assertion (checked by the reader) to the signed-in account.
import { Arg } from '../args.ts'
import { defineCall } from '../define.ts'
import { SuccessOrFailure } from '../replies.ts'

export const ADD_EMAIL_WITH_ASSERTION = defineCall({
  name: 'add_email_with_assertion',
  method: 'POST',
  writesDb: true,
  auth: 'assertion',
  args: { assertion: Arg.assertion },
  response: SuccessOrFailure,
})
