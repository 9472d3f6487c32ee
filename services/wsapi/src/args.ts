// SPDX-License-Identifier: MPL-2.0
// The argument types of the wsapi (re-implements the rules of Persona's lib/validate.js): each is a
// TypeBox schema marked with its type name, plus, where JSON Schema cannot say it, a refinement. The
// `description` doubles as the reason given to the caller when a value fails (`email: not a valid email
// address`). Email and hostname rules are the protocol library's, the one home of those rules.
import {
  EMAIL_PATTERN,
  HOSTNAME_PATTERN,
  MAX_EMAIL_LENGTH,
  MAX_HOSTNAME_LENGTH,
} from '@persona/browserid/email'
import { type TSchema, Type } from 'typebox'

/** Marks which wsapi type a property has, so the validator can refine and name it. */
export const ARG_TYPE_KEY = 'x-wsapi-type'

const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?'
const ORIGIN_RE = `^(?:https?|app)://(?:${LABEL}\\.)*${LABEL}(?::[0-9]{1,5})?$`

/** The staged-token format (store tokens.ts makes them): 48 characters of [A-Za-z0-9]. */
export const TOKEN_PATTERN = '^[A-Za-z0-9]{48}$'

/**
 * The argument types, as schemas for call declarations: `args: { email: Arg.email, site: Arg.origin }`.
 * Wrap one in `Type.Optional` for an optional argument.
 */
export const Arg = {
  email: Type.String({
    pattern: EMAIL_PATTERN,
    maxLength: MAX_EMAIL_LENGTH,
    description: 'not a valid email address',
    [ARG_TYPE_KEY]: 'email',
  }),
  password: Type.String({
    minLength: 8,
    maxLength: 80,
    description: 'password must be 8 to 80 characters',
    [ARG_TYPE_KEY]: 'password',
  }),
  token: Type.String({ pattern: TOKEN_PATTERN, description: 'not a valid token', [ARG_TYPE_KEY]: 'token' }),
  assertion: Type.String({
    minLength: 50,
    maxLength: 10240,
    description: 'not a valid assertion',
    [ARG_TYPE_KEY]: 'assertion',
  }),
  pubkey: Type.String({
    minLength: 50,
    maxLength: 10240,
    description: 'not a valid public key',
    [ARG_TYPE_KEY]: 'pubkey',
  }),
  boolean: Type.Boolean({ description: 'boolean required', [ARG_TYPE_KEY]: 'boolean' }),
  hostname: Type.String({
    pattern: HOSTNAME_PATTERN,
    maxLength: MAX_HOSTNAME_LENGTH,
    description: 'not a valid hostname',
    [ARG_TYPE_KEY]: 'hostname',
  }),
  origin: Type.String({
    pattern: ORIGIN_RE,
    maxLength: 270,
    description: 'not a valid origin',
    [ARG_TYPE_KEY]: 'origin',
  }),
  color: Type.String({
    pattern: '^#?(?:[0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})$',
    description: 'not a valid colour',
    [ARG_TYPE_KEY]: 'color',
  }),
  image: Type.String({ maxLength: 2048, description: 'not a valid image', [ARG_TYPE_KEY]: 'image' }),
  userid: Type.Integer({
    minimum: 1,
    maximum: 2 ** 53 - 1,
    description: 'not a valid user id',
    [ARG_TYPE_KEY]: 'userid',
  }),
  email_type: Type.Union([Type.Literal('primary'), Type.Literal('secondary')], {
    description: "must be 'primary' or 'secondary'",
    [ARG_TYPE_KEY]: 'email_type',
  }),
  /** A bcrypt hash (internal calls only: the reader hands the writer a re-hashed password). */
  bcrypt_hash: Type.String({
    pattern: '^\\$2[abxy]?\\$[0-9]{2}\\$[./A-Za-z0-9]{53}$',
    description: 'not a valid password hash',
    [ARG_TYPE_KEY]: 'bcrypt_hash',
  }),
} as const
export type ArgTypeName = keyof typeof Arg

/** Checks JSON Schema cannot express, by type: a reason when the (schema-valid) value is unacceptable. */
const REFINE: Partial<Record<ArgTypeName, (value: unknown) => string | undefined>> = {
  pubkey: (v) => {
    try {
      const parsed: unknown = JSON.parse(String(v))
      return typeof parsed === 'object' && parsed !== null ? undefined : 'public key must be a JSON object'
    } catch {
      return 'public key is not valid JSON'
    }
  },
  origin: (v) => {
    const host = String(v)
      .replace(/^[a-z]+:\/\//i, '')
      .replace(/:[0-9]+$/, '')
    if (host.length > 254) return 'not a valid origin'
    const port = /:([0-9]+)$/.exec(String(v))?.[1]
    return port !== undefined && Number(port) > 65535 ? 'not a valid origin' : undefined
  },
  image: (v) => {
    try {
      return new URL(String(v)).protocol === 'https:' ? undefined : 'images must be served over https.'
    } catch {
      return 'images must be served over https.'
    }
  },
}

/** GET query strings carry text only: turns the text of a typed argument into its value. */
const FROM_QUERY: Partial<Record<ArgTypeName, (text: string) => unknown>> = {
  userid: (t) => (/^[0-9]{1,15}$/.test(t) ? Number(t) : t),
}

/** The wsapi type name recorded on an argument's schema. */
export function argTypeOf(schema: TSchema): ArgTypeName | undefined {
  const t: unknown = Reflect.get(schema, ARG_TYPE_KEY)
  return typeof t === 'string' ? Object.keys(Arg).find((k): k is ArgTypeName => k === t) : undefined
}

/** The extra check of an argument type, if it has one. */
export function refinementOf(type: ArgTypeName): ((value: unknown) => string | undefined) | undefined {
  return REFINE[type]
}

/** The query-text conversion of an argument type, if it has one. */
export function queryConversionOf(type: ArgTypeName): ((text: string) => unknown) | undefined {
  return FROM_QUERY[type]
}

/** The `site` arguments of the calls that send mail: who asked, and how their mail should look. */
export const SITE_ARGS = {
  site: Arg.origin,
  backgroundColor: Type.Optional(Arg.color),
  siteLogo: Type.Optional(Arg.image),
}
