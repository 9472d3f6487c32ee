// SPDX-License-Identifier: MPL-2.0
// Argument checking for one wsapi call (Persona's lib/validate.js): `csrf` is set aside, every declared
// argument is checked by its type, and anything undeclared is refused rather than dropped. Reasons
// follow Persona's wording so clients can show them.
import type { TSchema } from 'typebox'
import { Value } from 'typebox/value'
import { argTypeOf, type WsapiCall } from './calls.ts'
import { ARG_TYPES } from './types.ts'

export type Params = Record<string, unknown>

export type Validated =
  | { readonly ok: true; readonly args: Params; readonly csrf: string | undefined }
  | { readonly ok: false; readonly reason: string }

/**
 * Checks `raw` (the query for GET, the body for POST) against the call's declared arguments.
 * @param fromQuery whether values came from a query string (text), so typed ones are converted first
 */
export function validateArgs(call: WsapiCall, raw: unknown, fromQuery = false): Validated {
  const input: Params = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? { ...raw } : {}
  const csrfValue = input.csrf
  delete input.csrf
  const csrf = typeof csrfValue === 'string' ? csrfValue : undefined
  // Calls that declare nothing accept anything (as Persona's did); their handlers read only what they know.
  if (call.args === null) return { ok: true, args: input, csrf }

  const props: Record<string, TSchema> = call.args.properties
  const required = new Set<string>(call.args.required ?? [])
  const out: Params = {}
  for (const [name, schema] of Object.entries(props)) {
    if (!Object.hasOwn(input, name)) {
      if (required.has(name)) return { ok: false, reason: `missing required parameter: '${name}'` }
      continue
    }
    const typeName = argTypeOf(schema)
    const type = typeName === undefined ? undefined : ARG_TYPES[typeName]
    let value = input[name]
    delete input[name]
    if (fromQuery && typeof value === 'string' && type?.fromQuery !== undefined) value = type.fromQuery(value)
    if (!Value.Check(schema, value)) {
      const desc: unknown = (schema as { description?: unknown }).description
      const why = typeof desc === 'string' ? desc : 'invalid value'
      return { ok: false, reason: `${name}: ${why}` }
    }
    const refined = type?.refine?.(value)
    if (refined !== undefined) return { ok: false, reason: `${name}: ${refined}` }
    out[name] = value
  }
  const extra = Object.keys(input)
  if (extra.length > 0) return { ok: false, reason: `extra parameters are not allowed: ${extra.join(', ')}` }
  return { ok: true, args: out, csrf }
}
