// SPDX-License-Identifier: MPL-2.0
// stage_email (Persona's lib/wsapi/stage_email.js): adds an address to the signed-in account: mails a
// confirmation link.
import { Type } from 'typebox'
import { Arg, SITE_ARGS } from '../args.ts'
import { defineCall } from '../define.ts'
import { SuccessOrFailure } from '../replies.ts'

export const STAGE_EMAIL = defineCall({
  name: 'stage_email',
  method: 'POST',
  writesDb: true,
  auth: 'assertion',
  sendsEmail: true,
  args: { email: Arg.email, pass: Type.Optional(Arg.password), ...SITE_ARGS },
  response: SuccessOrFailure,
})
