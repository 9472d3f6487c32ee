// SPDX-License-Identifier: MPL-2.0
// stage_user (Persona's lib/wsapi/stage_user.js): starts a new account: mails a link that completes it
// (or, with allowUnverified, creates it unverified).
import { Type } from 'typebox'
import { Arg, SITE_ARGS } from '../args.ts'
import { defineCall } from '../define.ts'
import { Failure } from '../replies.ts'

export const STAGE_USER = defineCall({
  name: 'stage_user',
  method: 'POST',
  writesDb: true,
  auth: false,
  sendsEmail: true,
  args: { email: Arg.email, pass: Arg.password, allowUnverified: Type.Optional(Arg.boolean), ...SITE_ARGS },
  response: Type.Union([
    Type.Object({ success: Type.Literal(true), unverified: Type.Optional(Type.Literal(true)) }),
    Failure,
  ]),
})
