// SPDX-License-Identifier: MPL-2.0
// complete_transition (Persona's lib/wsapi/complete_transition.js): completes a transition from its mailed
// token.
import { Type } from 'typebox'
import { Arg } from '../args.ts'
import { defineCall } from '../define.ts'
import { SuccessOrFailure } from '../replies.ts'

export const COMPLETE_TRANSITION = defineCall({
  name: 'complete_transition',
  method: 'POST',
  writesDb: true,
  auth: false,
  args: { token: Arg.token, pass: Type.Optional(Arg.password) },
  response: SuccessOrFailure,
})
