// SPDX-License-Identifier: MPL-2.0
// session_context (Persona's lib/wsapi/session_context.js): the session as the dialog sees it: CSRF token,
// sign-in state, server time, key age.
import { Type } from 'typebox'
import { defineCall } from '../define.ts'

export const SESSION_CONTEXT = defineCall({
  name: 'session_context',
  method: 'GET',
  writesDb: false,
  auth: false,
  args: null,
  response: Type.Object({
    csrf_token: Type.String(),
    server_time: Type.Integer(),
    authenticated: Type.Boolean(),
    auth_level: Type.Optional(Type.Union([Type.Literal('password'), Type.Literal('assertion')])),
    has_password: Type.Boolean(),
    domain_key_creation_time: Type.Integer(),
    random_seed: Type.String(),
    data_sample_rate: Type.Number(),
    cookies: Type.Boolean(),
    userid: Type.Optional(Type.Integer()),
  }),
})
