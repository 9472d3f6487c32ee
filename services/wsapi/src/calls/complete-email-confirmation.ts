// SPDX-License-Identifier: MPL-2.0
// complete_email_confirmation (Persona's lib/wsapi/complete_email_confirmation.js): completes an added or
// re-verified address from its mailed token.
import { Type } from 'typebox'
import { Arg } from '../args.ts'
import { defineCall } from '../define.ts'
import { SuccessOrFailure } from '../replies.ts'

export const COMPLETE_EMAIL_CONFIRMATION = defineCall({
  name: 'complete_email_confirmation',
  method: 'POST',
  writesDb: true,
  auth: false,
  args: { token: Arg.token, pass: Type.Optional(Arg.password) },
  response: SuccessOrFailure,
})
