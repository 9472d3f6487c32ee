// SPDX-License-Identifier: MPL-2.0
// address_info (Persona's lib/wsapi/address_info.js): is an address primary or secondary now, who issues
// for it, and which state the dialog shows.
import { Type } from 'typebox'
import { Arg } from '../args.ts'
import { defineCall } from '../define.ts'

export const ADDRESS_INFO = defineCall({
  name: 'address_info',
  method: 'GET',
  writesDb: false,
  auth: false,
  args: { email: Arg.email, issuer: Type.Optional(Arg.hostname) },
  response: Type.Object({
    type: Type.Union([Type.Literal('primary'), Type.Literal('secondary')]),
    issuer: Type.String(),
    state: Type.Enum([
      'unknown',
      'known',
      'offline',
      'unverified',
      'transition_to_primary',
      'transition_to_secondary',
      'transition_no_password',
    ]),
    normalizedEmail: Type.Optional(Type.String()),
    auth: Type.Optional(Type.String()),
    prov: Type.Optional(Type.String()),
    disabled: Type.Optional(Type.Boolean()),
  }),
})
