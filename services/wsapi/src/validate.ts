// SPDX-License-Identifier: MPL-2.0
// Argument checking for one wsapi call (Persona's lib/validate.js): `csrf` is set aside, every declared
// argument is checked by its type, and anything undeclared is refused rather than dropped. Reasons
// follow Persona's wording so clients can show them.
import type { TSchema } from 'typebox'
import { Value } from 'typebox/value'
import { argTypeOf, queryConversionOf, refinementOf } from './args.ts'
import type { ArgsOf, WsapiCall } from './define.ts'

export type Validated<C extends WsapiCall> =
  | { readonly ok: true; readonly args: ArgsOf<C>; readonly csrf: string | undefined }
  | { readonly ok: false; readonly reason: string }

/**
 * Checks `raw` (the query for GET, the body for POST) against the call's declared arguments.
 * @param fromQuery whether values came from a query string (text), so typed ones are converted first
 */
export function validateArgs<C extends WsapiCall>(call: C, raw: unknown, fromQuery = false): Validated<C> {
  const input: Record<string, unknown> =
    typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? { ...raw } : {}
  const csrfValue = input.csrf
  delete input.csrf
  const csrf = typeof csrfValue === 'string' ? csrfValue : undefined
  const schema = call.argsSchema
  // Calls that declare nothing accept anything (as Persona's did); their handlers read only what they know.
  if (schema === null) return { ok: true, args: typed<C>(input), csrf }

  const props: Record<string, TSchema> = schema.properties
  const required = new Set<string>(schema.required ?? [])
  const out: Record<string, unknown> = {}
  for (const [name, prop] of Object.entries(props)) {
    if (!Object.hasOwn(input, name)) {
      if (required.has(name)) return { ok: false, reason: `missing required parameter: '${name}'` }
      continue
    }
    const type = argTypeOf(prop)
    let value = input[name]
    delete input[name]
    const convert = type === undefined ? undefined : queryConversionOf(type)
    if (fromQuery && typeof value === 'string' && convert !== undefined) value = convert(value)
    if (!Value.Check(prop, value)) {
      const desc: unknown = Reflect.get(prop, 'description')
      return { ok: false, reason: `${name}: ${typeof desc === 'string' ? desc : 'invalid value'}` }
    }
    const refined = type === undefined ? undefined : refinementOf(type)?.(value)
    if (refined !== undefined) return { ok: false, reason: `${name}: ${refined}` }
    out[name] = value
  }
  const extra = Object.keys(input)
  if (extra.length > 0) return { ok: false, reason: `extra parameters are not allowed: ${extra.join(', ')}` }
  return { ok: true, args: typed<C>(out), csrf }
}

// Every property was checked against its schema above; the generic `ArgsOf<C>` cannot be proven from
// that loop, so the checked object is typed here, once.
function typed<C extends WsapiCall>(checked: Record<string, unknown>): ArgsOf<C> {
  return checked as ArgsOf<C>
}
