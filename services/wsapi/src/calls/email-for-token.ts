// SPDX-License-Identifier: MPL-2.0
// email_for_token (Persona's lib/wsapi/email_for_token.js): the address a mailed token is for, and what
// the landing page must ask before completing it.
import { Type } from 'typebox'
import { Arg } from '../args.ts'
import { defineCall } from '../define.ts'
import { Failure } from '../replies.ts'

export const EMAIL_FOR_TOKEN = defineCall({
  name: 'email_for_token',
  method: 'GET',
  writesDb: false,
  auth: false,
  args: { token: Arg.token },
  response: Type.Union([
    Type.Object({
      success: Type.Literal(true),
      email: Type.String(),
      must_auth: Type.Boolean(),
      needs_password: Type.Boolean(),
    }),
    Failure,
  ]),
})
