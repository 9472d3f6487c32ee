// SPDX-License-Identifier: MPL-2.0
// transition_status (Persona's lib/wsapi/transition_status.js): polled while a primary-to-secondary
// transition waits for its mailed link.
import { Arg } from '../args.ts'
import { defineCall } from '../define.ts'
import { Status } from '../replies.ts'

export const TRANSITION_STATUS = defineCall({
  name: 'transition_status',
  method: 'GET',
  writesDb: false,
  auth: false,
  args: { email: Arg.email },
  response: Status('complete', 'pending', 'mustAuth'),
})
