// SPDX-License-Identifier: MPL-2.0
// authenticate_user (Persona's lib/wsapi/authenticate_user.js): sign-in with a password: checked on the
// reader, recorded on the writer in one call.
import { Type } from 'typebox'
import { Arg } from '../args.ts'
import { defineCall } from '../define.ts'
import { SignInReply } from '../replies.ts'

export const AUTHENTICATE_USER = defineCall({
  name: 'authenticate_user',
  method: 'POST',
  writesDb: false,
  auth: false,
  args: {
    email: Arg.email,
    pass: Arg.password,
    ephemeral: Arg.boolean,
    allowUnverified: Type.Optional(Arg.boolean),
  },
  response: SignInReply,
})
