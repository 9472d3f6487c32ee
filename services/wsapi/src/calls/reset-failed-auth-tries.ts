// SPDX-License-Identifier: MPL-2.0
// reset_failed_auth_tries (Persona's lib/wsapi/reset_failed_auth_tries.js): internal: a right password (the
// reader checked it), admitted unless the account or the client address must wait (sign-in backoff).
import { Type } from 'typebox'
import { Arg } from '../args.ts'
import { defineCall } from '../define.ts'
import { Refused } from '../replies.ts'

export const RESET_FAILED_AUTH_TRIES = defineCall({
  name: 'reset_failed_auth_tries',
  method: 'POST',
  writesDb: true,
  auth: false,
  internal: true,
  args: {
    userid: Arg.userid,
    email: Arg.email,
    /** The password hashed again at the current work factor (`to`) when the stored hash (`from`) used another. */
    rehash: Type.Optional(
      Type.Object(
        { from: Arg.bcrypt_hash, to: Arg.bcrypt_hash },
        { additionalProperties: false, description: 'not a valid rehash' },
      ),
    ),
  },
  response: Type.Union([
    Type.Object({
      success: Type.Literal(true),
      admitted: Type.Literal(true),
      /** The account's session generation: the sign-in the reader makes carries it. */
      generation: Type.Integer({ minimum: 0 }),
    }),
    Refused,
  ]),
})
