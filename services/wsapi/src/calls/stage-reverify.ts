// SPDX-License-Identifier: MPL-2.0
// stage_reverify (Persona's lib/wsapi/stage_reverify.js): mails a link that re-verifies one of the signed-
// in user's unverified addresses.
import { Arg, SITE_ARGS } from '../args.ts'
import { defineCall } from '../define.ts'
import { SuccessOrFailure } from '../replies.ts'

export const STAGE_REVERIFY = defineCall({
  name: 'stage_reverify',
  method: 'POST',
  writesDb: true,
  auth: 'assertion',
  sendsEmail: true,
  args: { email: Arg.email, ...SITE_ARGS },
  response: SuccessOrFailure,
})
