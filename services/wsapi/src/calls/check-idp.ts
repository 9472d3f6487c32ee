// SPDX-License-Identifier: MPL-2.0
// check_idp (ours; Persona shipped only the check_primary_support script): what is right and wrong
// with a domain's BrowserID support document, for the page where IdP operators check their domain
// (/check_idp) and anyone scripting it. Findings are data, a stable code and the values it names; the
// page words them in the reader's language. Reaches other domains through the proxy: the reader gives
// it a budget per address of its own.
import { Type } from 'typebox'
import { Arg } from '../args.ts'
import { defineCall } from '../define.ts'

const Finding = Type.Object({
  severity: Type.Enum(['ok', 'info', 'warning', 'error']),
  code: Type.String(),
  args: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()])),
})

export const CHECK_IDP = defineCall({
  name: 'check_idp',
  method: 'GET',
  writesDb: false,
  auth: false,
  args: { domain: Arg.hostname },
  response: Type.Object({
    domain: Type.String(),
    verdict: Type.Enum(['primary', 'secondary', 'disabled', 'broken']),
    chain: Type.Array(Type.String()),
    authentication: Type.Optional(Type.String()),
    provisioning: Type.Optional(Type.String()),
    findings: Type.Array(Finding),
  }),
})
