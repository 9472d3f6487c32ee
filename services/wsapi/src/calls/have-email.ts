// SPDX-License-Identifier: MPL-2.0
// have_email (Persona's lib/wsapi/have_email.js): whether an address belongs to an account.
import { Type } from 'typebox'
import { Arg } from '../args.ts'
import { defineCall } from '../define.ts'

export const HAVE_EMAIL = defineCall({
  name: 'have_email',
  method: 'GET',
  writesDb: false,
  auth: false,
  args: { email: Arg.email },
  response: Type.Object({ email_known: Type.Boolean() }),
})
