// SPDX-License-Identifier: MPL-2.0
// password_reset_status (Persona's lib/wsapi/password_reset_status.js): polled while a password reset
// waits for its mailed link.
import { Arg } from '../args.ts'
import { defineCall } from '../define.ts'
import { Status } from '../replies.ts'

export const PASSWORD_RESET_STATUS = defineCall({
  name: 'password_reset_status',
  method: 'GET',
  writesDb: false,
  auth: false,
  args: { email: Arg.email },
  response: Status('complete', 'pending', 'mustAuth'),
})
