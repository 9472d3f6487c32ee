// SPDX-License-Identifier: MPL-2.0
// remove_email (Persona's lib/wsapi/remove_email.js): removes one of the signed-in user's addresses.
import { Arg } from '../args.ts'
import { defineCall } from '../define.ts'
import { Success } from '../replies.ts'

export const REMOVE_EMAIL = defineCall({
  name: 'remove_email',
  method: 'POST',
  writesDb: true,
  auth: 'assertion',
  args: { email: Arg.email },
  response: Success,
})
