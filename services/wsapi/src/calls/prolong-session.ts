// SPDX-License-Identifier: MPL-2.0
// prolong_session (Persona's lib/wsapi/prolong_session.js): renews the sign-in for the full duration
// ("remember me"); answers text `OK`.
import { defineCall } from '../define.ts'
import { Text } from '../replies.ts'

export const PROLONG_SESSION = defineCall({
  name: 'prolong_session',
  method: 'POST',
  writesDb: false,
  auth: 'assertion',
  args: null,
  response: Text,
  contentType: 'text/plain',
})
