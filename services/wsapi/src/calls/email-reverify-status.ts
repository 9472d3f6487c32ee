// SPDX-License-Identifier: MPL-2.0
// email_reverify_status (Persona's lib/wsapi/email_reverify_status.js): polled while a re-verification
// waits for its mailed link.
import { Arg } from '../args.ts'
import { defineCall } from '../define.ts'
import { Status } from '../replies.ts'

export const EMAIL_REVERIFY_STATUS = defineCall({
  name: 'email_reverify_status',
  method: 'GET',
  writesDb: false,
  auth: 'assertion',
  args: { email: Arg.email },
  response: Status('complete', 'pending'),
})
