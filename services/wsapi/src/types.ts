// SPDX-License-Identifier: MPL-2.0
// The argument types of the wsapi (re-implements the rules of Persona's lib/validate.js): each is a
// TypeBox schema plus, where JSON Schema cannot say it, a refinement. The `description` doubles as the
// reason given to the caller when a value fails (`email: not a valid email address`).
import { type TSchema, Type } from 'typebox'

/** What one wsapi argument type is: its schema and an extra check JSON Schema cannot express. */
export interface ArgType {
  readonly name: string
  readonly schema: TSchema
  /** Returns a reason when the (schema-valid) value is still unacceptable. */
  readonly refine?: (value: unknown) => string | undefined
  /** GET query strings carry text only: turns the text into the typed value (e.g. userid). */
  readonly fromQuery?: (text: string) => unknown
}

const IPV4 =
  '(?:(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])'
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?'
const HOSTNAME_RE = `^(?:${IPV4}|(?:${LABEL}\\.)*${LABEL})$`
// A domain for an email: labels, at least one dot, a non-numeric last label; or a bracketed IPv4.
const EMAIL_RE = `^[A-Za-z0-9!#$%&'*+/=?^_\`{|}~-]+(?:\\.[A-Za-z0-9!#$%&'*+/=?^_\`{|}~-]+)*@(?:(?:${LABEL}\\.)+[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]|\\[${IPV4}\\])$`
const ORIGIN_RE = `^(?:https?|app)://(?:${LABEL}\\.)*${LABEL}(?::[0-9]{1,5})?$`

const email: ArgType = {
  name: 'email',
  schema: Type.String({ pattern: EMAIL_RE, maxLength: 254, description: 'not a valid email address' }),
}
const password: ArgType = {
  name: 'password',
  schema: Type.String({ minLength: 8, maxLength: 80, description: 'password must be 8 to 80 characters' }),
}
const token: ArgType = {
  name: 'token',
  schema: Type.String({ pattern: '^[A-Za-z0-9]{48}$', description: 'not a valid token' }),
}
const assertion: ArgType = {
  name: 'assertion',
  schema: Type.String({ minLength: 50, maxLength: 10240, description: 'not a valid assertion' }),
}
const pubkey: ArgType = {
  name: 'pubkey',
  schema: Type.String({ minLength: 50, maxLength: 10240, description: 'not a valid public key' }),
  refine: (v) => {
    try {
      const parsed: unknown = JSON.parse(String(v))
      return typeof parsed === 'object' && parsed !== null ? undefined : 'public key must be a JSON object'
    } catch {
      return 'public key is not valid JSON'
    }
  },
}
const boolean: ArgType = {
  name: 'boolean',
  schema: Type.Boolean({ description: 'boolean required' }),
}
const hostname: ArgType = {
  name: 'hostname',
  schema: Type.String({ pattern: HOSTNAME_RE, maxLength: 253, description: 'not a valid hostname' }),
}
const origin: ArgType = {
  name: 'origin',
  schema: Type.String({ pattern: ORIGIN_RE, maxLength: 270, description: 'not a valid origin' }),
  refine: (v) => {
    const host = String(v)
      .replace(/^[a-z]+:\/\//i, '')
      .replace(/:[0-9]+$/, '')
    if (host.length > 254) return 'not a valid origin'
    const port = /:([0-9]+)$/.exec(String(v))?.[1]
    return port !== undefined && Number(port) > 65535 ? 'not a valid origin' : undefined
  },
}
const color: ArgType = {
  name: 'color',
  schema: Type.String({
    pattern: '^#?(?:[0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})$',
    description: 'not a valid colour',
  }),
}
const image: ArgType = {
  name: 'image',
  schema: Type.String({ maxLength: 2048, description: 'not a valid image' }),
  refine: (v) => {
    try {
      return new URL(String(v)).protocol === 'https:' ? undefined : 'images must be served over https.'
    } catch {
      return 'images must be served over https.'
    }
  },
}
const userid: ArgType = {
  name: 'userid',
  schema: Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1, description: 'not a valid user id' }),
  fromQuery: (t) => (/^[0-9]{1,15}$/.test(t) ? Number(t) : t),
}
const emailType: ArgType = {
  name: 'email_type',
  schema: Type.Union([Type.Literal('primary'), Type.Literal('secondary')], {
    description: "must be 'primary' or 'secondary'",
  }),
}

export const ARG_TYPES = {
  email,
  password,
  token,
  assertion,
  pubkey,
  boolean,
  hostname,
  origin,
  color,
  image,
  userid,
  email_type: emailType,
} as const
export type ArgTypeName = keyof typeof ARG_TYPES

/** One declared argument of a call: its type and whether it may be left out. */
export interface ArgSpec {
  readonly type: ArgTypeName
  readonly required: boolean
}

/** Shorthands for the call table: `req('email')`, `opt('boolean')`. */
export function req(type: ArgTypeName): ArgSpec {
  return { type, required: true }
}
export function opt(type: ArgTypeName): ArgSpec {
  return { type, required: false }
}

/** Whether `value` is a syntactically valid email address (the same rule as the `email` type). */
export function isEmailAddress(value: string): boolean {
  return value.length <= 254 && new RegExp(EMAIL_RE).test(value)
}
