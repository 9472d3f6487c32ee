// SPDX-License-Identifier: MPL-2.0
// account_cancel (Persona's lib/wsapi/account_cancel.js): deletes the signed-in user's account and signs
// the browser out.
import { defineCall } from '../define.ts'
import { Success } from '../replies.ts'

export const ACCOUNT_CANCEL = defineCall({
  name: 'account_cancel',
  method: 'POST',
  writesDb: true,
  auth: 'assertion',
  args: null,
  response: Success,
})
