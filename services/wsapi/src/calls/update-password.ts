// SPDX-License-Identifier: MPL-2.0
// update_password (Persona's lib/wsapi/update_password.js): changes the password (ending the account's
// other sessions).
import { Arg } from '../args.ts'
import { defineCall } from '../define.ts'
import { SuccessOrFailure } from '../replies.ts'

export const UPDATE_PASSWORD = defineCall({
  name: 'update_password',
  method: 'POST',
  writesDb: true,
  auth: 'assertion',
  args: { oldpass: Arg.password, newpass: Arg.password },
  response: SuccessOrFailure,
})
