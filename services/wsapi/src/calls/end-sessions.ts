// SPDX-License-Identifier: MPL-2.0
// end_sessions (ours, internal; Persona had no server-side logout): moves the signed-in account's session
// generation on, so every copy of every cookie signed in before stops working at its next call, and
// signs this browser out. The reader's logout calls it.
import { defineCall } from '../define.ts'
import { Success } from '../replies.ts'

export const END_SESSIONS = defineCall({
  name: 'end_sessions',
  method: 'POST',
  writesDb: true,
  auth: 'assertion',
  internal: true,
  args: null,
  response: Success,
})
