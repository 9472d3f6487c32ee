// SPDX-License-Identifier: MPL-2.0
// used_address_as_primary (Persona's lib/wsapi/used_address_as_primary.js): records that an address of the
// signed-in user was just used with its primary IdP.
import { Arg } from '../args.ts'
import { defineCall } from '../define.ts'
import { Success } from '../replies.ts'

export const USED_ADDRESS_AS_PRIMARY = defineCall({
  name: 'used_address_as_primary',
  method: 'POST',
  writesDb: true,
  auth: 'assertion',
  args: { email: Arg.email },
  response: Success,
})
