// SPDX-License-Identifier: MPL-2.0
// forget_idp (Persona's lib/wsapi/forget_idp.js): internal: forgets a domain that no longer is (or has
// long stopped being) a primary IdP.
import { Arg } from '../args.ts'
import { defineCall } from '../define.ts'
import { Success } from '../replies.ts'

export const FORGET_IDP = defineCall({
  name: 'forget_idp',
  method: 'POST',
  writesDb: true,
  auth: false,
  internal: true,
  args: { domain: Arg.hostname },
  response: Success,
})
