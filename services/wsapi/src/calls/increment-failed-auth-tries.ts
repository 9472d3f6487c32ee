// SPDX-License-Identifier: MPL-2.0
// increment_failed_auth_tries (Persona's lib/wsapi/increment_failed_auth_tries.js): internal: records a
// failed sign-in (the reader checked the password) for the account, if known.
import { Type } from 'typebox'
import { Arg } from '../args.ts'
import { defineCall } from '../define.ts'

export const INCREMENT_FAILED_AUTH_TRIES = defineCall({
  name: 'increment_failed_auth_tries',
  method: 'POST',
  writesDb: true,
  auth: false,
  internal: true,
  args: { userid: Type.Optional(Arg.userid) },
  response: Type.Object({
    success: Type.Literal(true),
    /** False when the account was already locked: the caller says so instead of "wrong password". */
    admitted: Type.Boolean(),
  }),
})
