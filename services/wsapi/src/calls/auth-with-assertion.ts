// SPDX-License-Identifier: MPL-2.0
// auth_with_assertion (Persona's lib/wsapi/auth_with_assertion.js): sign-in with an assertion from a
// primary IdP (creating the account when new).
import { Arg } from '../args.ts'
import { defineCall } from '../define.ts'
import { SignInReply } from '../replies.ts'

export const AUTH_WITH_ASSERTION = defineCall({
  name: 'auth_with_assertion',
  method: 'POST',
  writesDb: false,
  auth: false,
  args: { assertion: Arg.assertion, ephemeral: Arg.boolean },
  response: SignInReply,
})
