// SPDX-License-Identifier: MPL-2.0
// logout (Persona's lib/wsapi/logout.js): ends the sign-in (the CSRF token and pending links stay).
import { defineCall } from '../define.ts'
import { Success } from '../replies.ts'

export const LOGOUT = defineCall({
  name: 'logout',
  method: 'POST',
  writesDb: false,
  auth: 'assertion',
  args: null,
  response: Success,
})
