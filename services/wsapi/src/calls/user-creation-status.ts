// SPDX-License-Identifier: MPL-2.0
// user_creation_status (Persona's lib/wsapi/user_creation_status.js): polled by the dialog while a new
// account waits for its mailed link.
import { Arg } from '../args.ts'
import { defineCall } from '../define.ts'
import { Status } from '../replies.ts'

export const USER_CREATION_STATUS = defineCall({
  name: 'user_creation_status',
  method: 'GET',
  writesDb: false,
  auth: false,
  args: { email: Arg.email },
  response: Status('complete', 'pending', 'mustAuth'),
})
