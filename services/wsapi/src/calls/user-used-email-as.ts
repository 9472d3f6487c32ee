// SPDX-License-Identifier: MPL-2.0
// user_used_email_as (Persona's lib/wsapi/user_used_email_as.js): internal: records how the signed-in user
// last used an address (primary or secondary).
import { Arg } from '../args.ts'
import { defineCall } from '../define.ts'
import { Success } from '../replies.ts'

export const USER_USED_EMAIL_AS = defineCall({
  name: 'user_used_email_as',
  method: 'POST',
  writesDb: true,
  auth: 'assertion',
  internal: true,
  args: { email: Arg.email, used_as: Arg.email_type },
  response: Success,
})
