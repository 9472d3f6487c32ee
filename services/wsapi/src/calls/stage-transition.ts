// SPDX-License-Identifier: MPL-2.0
// stage_transition (Persona's lib/wsapi/stage_transition.js): an address whose primary IdP went away gets
// a password: mails a link that completes it.
import { Arg, SITE_ARGS } from '../args.ts'
import { defineCall } from '../define.ts'
import { SuccessOrFailure } from '../replies.ts'

export const STAGE_TRANSITION = defineCall({
  name: 'stage_transition',
  method: 'POST',
  writesDb: true,
  auth: false,
  sendsEmail: true,
  args: { email: Arg.email, pass: Arg.password, ...SITE_ARGS },
  response: SuccessOrFailure,
})
