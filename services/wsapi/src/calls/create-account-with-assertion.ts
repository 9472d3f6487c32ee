// SPDX-License-Identifier: MPL-2.0
// create_account_with_assertion (Persona's lib/wsapi/create_account_with_assertion.js): internal: a new
// account for an address a verified assertion proves (the reader verified it).
import { Type } from 'typebox'
import { Arg } from '../args.ts'
import { defineCall } from '../define.ts'

export const CREATE_ACCOUNT_WITH_ASSERTION = defineCall({
  name: 'create_account_with_assertion',
  method: 'POST',
  writesDb: true,
  auth: false,
  internal: true,
  args: { assertion: Arg.assertion },
  response: Type.Object({
    success: Type.Literal(true),
    userid: Type.Integer(),
    /** The account's session generation: the sign-in the reader makes carries it. */
    generation: Type.Integer({ minimum: 0 }),
  }),
})
