// SPDX-License-Identifier: MPL-2.0
// complete_reset (Persona's lib/wsapi/complete_reset.js): completes a password reset from its mailed
// token, with the new password.
import { Type } from 'typebox'
import { Arg } from '../args.ts'
import { defineCall } from '../define.ts'
import { SuccessOrFailure } from '../replies.ts'

export const COMPLETE_RESET = defineCall({
  name: 'complete_reset',
  method: 'POST',
  writesDb: true,
  auth: false,
  args: { token: Arg.token, pass: Type.Optional(Arg.password) },
  response: SuccessOrFailure,
})
