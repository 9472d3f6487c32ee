// SPDX-License-Identifier: MPL-2.0
// complete_user_creation (Persona's lib/wsapi/complete_user_creation.js): completes a new account from its
// mailed token (same browser, or the staged password).
import { Type } from 'typebox'
import { Arg } from '../args.ts'
import { defineCall } from '../define.ts'
import { SuccessOrFailure } from '../replies.ts'

export const COMPLETE_USER_CREATION = defineCall({
  name: 'complete_user_creation',
  method: 'POST',
  writesDb: true,
  auth: false,
  args: { token: Arg.token, pass: Type.Optional(Arg.password) },
  response: SuccessOrFailure,
})
