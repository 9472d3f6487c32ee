// SPDX-License-Identifier: MPL-2.0
// list_emails (Persona's lib/wsapi/list_emails.js): the signed-in user's addresses (a plain array of
// strings, as Persona answered).
import { Type } from 'typebox'
import { defineCall } from '../define.ts'

export const LIST_EMAILS = defineCall({
  name: 'list_emails',
  method: 'GET',
  writesDb: false,
  auth: 'assertion',
  args: null,
  response: Type.Object({ success: Type.Literal(true), emails: Type.Array(Type.String()) }),
})
