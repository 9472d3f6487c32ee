// SPDX-License-Identifier: MPL-2.0
// cert_key (Persona's lib/wsapi/cert_key.js): certifies the browser's public key for one of the user's
// addresses; the certificate is the text body.
import { Type } from 'typebox'
import { Arg } from '../args.ts'
import { defineCall } from '../define.ts'
import { Text } from '../replies.ts'

export const CERT_KEY = defineCall({
  name: 'cert_key',
  method: 'POST',
  writesDb: false,
  auth: 'password',
  args: {
    email: Arg.email,
    pubkey: Arg.pubkey,
    ephemeral: Arg.boolean,
    forceIssuer: Type.Optional(Arg.hostname),
    allowUnverified: Type.Optional(Arg.boolean),
  },
  response: Text,
  contentType: 'text/plain',
})
