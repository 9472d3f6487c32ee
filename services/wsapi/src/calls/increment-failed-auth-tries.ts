// SPDX-License-Identifier: MPL-2.0
// increment_failed_auth_tries (Persona's lib/wsapi/increment_failed_auth_tries.js): internal: a wrong
// password (the reader checked it) for the address's account (or the address, when no account has it)
// and the browser's client address, unless one of them must wait first (sign-in backoff).
import { Type } from 'typebox'
import { Arg } from '../args.ts'
import { defineCall } from '../define.ts'
import { BackoffVerdict } from '../replies.ts'

export const INCREMENT_FAILED_AUTH_TRIES = defineCall({
  name: 'increment_failed_auth_tries',
  method: 'POST',
  writesDb: true,
  auth: false,
  internal: true,
  args: { userid: Type.Optional(Arg.userid), email: Arg.email },
  response: BackoffVerdict,
})
