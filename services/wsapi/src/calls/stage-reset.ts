// SPDX-License-Identifier: MPL-2.0
// stage_reset (Persona's lib/wsapi/stage_reset.js): starts a password reset: mails a link to the address.
import { Arg, SITE_ARGS } from '../args.ts'
import { defineCall } from '../define.ts'
import { SuccessOrFailure } from '../replies.ts'

export const STAGE_RESET = defineCall({
  name: 'stage_reset',
  method: 'POST',
  writesDb: true,
  auth: false,
  sendsEmail: true,
  args: { email: Arg.email, ...SITE_ARGS },
  response: SuccessOrFailure,
})
