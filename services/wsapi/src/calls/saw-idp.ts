// SPDX-License-Identifier: MPL-2.0
// saw_idp (Persona's lib/wsapi/saw_idp.js): internal: a domain was just seen serving a support document
// (address_info's `offline` state).
import { Arg } from '../args.ts'
import { defineCall } from '../define.ts'
import { Success } from '../replies.ts'

export const SAW_IDP = defineCall({
  name: 'saw_idp',
  method: 'POST',
  writesDb: true,
  auth: false,
  internal: true,
  args: { domain: Arg.hostname },
  response: Success,
})
