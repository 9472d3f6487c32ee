// SPDX-License-Identifier: MPL-2.0
// ping (Persona's lib/wsapi/ping.js): liveness of the reader and its database: text `ok`, or 500 `fail`.
import { defineCall } from '../define.ts'
import { Text } from '../replies.ts'

export const PING = defineCall({
  name: 'ping',
  method: 'GET',
  writesDb: false,
  auth: false,
  args: null,
  response: Text,
  contentType: 'text/plain',
})
