// SPDX-License-Identifier: MPL-2.0
// email_addition_status (Persona's lib/wsapi/email_addition_status.js): polled while an added address
// waits for its mailed link.
import { Arg } from '../args.ts'
import { defineCall } from '../define.ts'
import { Status } from '../replies.ts'

export const EMAIL_ADDITION_STATUS = defineCall({
  name: 'email_addition_status',
  method: 'GET',
  writesDb: false,
  auth: 'assertion',
  args: { email: Arg.email },
  response: Status('complete', 'pending', 'failed'),
})
