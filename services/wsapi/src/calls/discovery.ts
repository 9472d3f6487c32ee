// SPDX-License-Identifier: MPL-2.0
// discovery (Persona's lib/wsapi/discovery.js): a domain's support document as Firefox's native BrowserID
// wanted it: its own, or ours.
import { Type } from 'typebox'
import { Arg } from '../args.ts'
import { defineCall } from '../define.ts'

export const DISCOVERY = defineCall({
  name: 'discovery',
  method: 'GET',
  writesDb: false,
  auth: false,
  args: { domain: Arg.hostname },
  response: Type.Object({
    'public-key': Type.Object({}, { additionalProperties: true }),
    authentication: Type.String(),
    provisioning: Type.String(),
  }),
})
