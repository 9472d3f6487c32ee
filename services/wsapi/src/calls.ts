// SPDX-License-Identifier: MPL-2.0
// The wsapi as data: Persona's 38 calls (lib/wsapi/*.js), each declared once with its method, whether
// it writes, the session it needs, whether it is internal (reader -> writer only), its arguments and
// the shape of its success answer. The reader and writer build their routes from this table.
import { type TObject, type TSchema, Type } from 'typebox'
import { ARG_TYPES, type ArgSpec, type ArgTypeName, opt, req } from './types.ts'

export type AuthLevel = 'password' | 'assertion'

export interface WsapiCall {
  readonly name: string
  readonly method: 'GET' | 'POST'
  /** Served by the writer (the reader forwards it) when true, by the reader otherwise. */
  readonly writesDb: boolean
  /** The session level required: `'assertion'` accepts either level, `'password'` only a password one. */
  readonly auth: false | AuthLevel
  /** Only the reader may call it (on the writer); the public gets 404. */
  readonly internal: boolean
  /** Declared arguments; `null` means none declared, so the call takes any body (Persona did the same). */
  readonly args: TObject | null
  /** Shape of the success answer (JSON), or a text body. */
  readonly response: TSchema
  /** Sends an email: rate-limited per IP (reader) and per address (writer). */
  readonly sendsEmail: boolean
}

/** Marks which wsapi type a property has, so the validator can refine and name it. */
export const ARG_TYPE_KEY = 'x-wsapi-type'

function args(spec: Readonly<Record<string, ArgSpec>>): TObject {
  const props: Record<string, TSchema> = {}
  for (const [name, a] of Object.entries(spec)) {
    const s = { ...ARG_TYPES[a.type].schema, [ARG_TYPE_KEY]: a.type }
    props[name] = a.required ? s : Type.Optional(s)
  }
  return Type.Object(props, { additionalProperties: false })
}

/** The wsapi type name recorded on an argument's schema. */
export function argTypeOf(schema: TSchema): ArgTypeName | undefined {
  const t: unknown = (schema as Record<string, unknown>)[ARG_TYPE_KEY]
  return typeof t === 'string' && t in ARG_TYPES ? (t as ArgTypeName) : undefined
}

const Success = Type.Object({ success: Type.Literal(true) })
const Failure = Type.Object({ success: Type.Literal(false), reason: Type.Optional(Type.String()) })
const SuccessOrFailure = Type.Union([Success, Failure])
const Text = Type.String()
const Status = (...values: string[]) =>
  Type.Object({
    status: Type.Union(values.map((v) => Type.Literal(v))),
    userid: Type.Optional(Type.Integer()),
  })
const AuthResult = Type.Union([
  Type.Object({
    success: Type.Literal(true),
    userid: Type.Integer(),
    suppress_ask_if_users_computer: Type.Boolean(),
  }),
  Type.Object({ success: Type.Literal(false), reason: Type.String(), code: Type.Optional(Type.String()) }),
])
const SITE = { site: req('origin'), backgroundColor: opt('color'), siteLogo: opt('image') }

type Def = Omit<WsapiCall, 'sendsEmail' | 'internal'> & {
  readonly internal?: boolean
  readonly sendsEmail?: boolean
}

const DEFS: readonly Def[] = [
  // -- reads, answered by the reader from the replica
  {
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
  },
  {
    name: 'address_info',
    method: 'GET',
    writesDb: false,
    auth: false,
    args: args({ email: req('email'), issuer: opt('hostname') }),
    response: Type.Object({
      type: Type.Union([Type.Literal('primary'), Type.Literal('secondary')]),
      issuer: Type.String(),
      state: Type.String(),
      normalizedEmail: Type.Optional(Type.String()),
      auth: Type.Optional(Type.String()),
      prov: Type.Optional(Type.String()),
      disabled: Type.Optional(Type.Boolean()),
    }),
  },
  {
    name: 'have_email',
    method: 'GET',
    writesDb: false,
    auth: false,
    args: args({ email: req('email') }),
    response: Type.Object({ email_known: Type.Boolean() }),
  },
  {
    name: 'email_for_token',
    method: 'GET',
    writesDb: false,
    auth: false,
    args: args({ token: req('token') }),
    response: Type.Union([
      Type.Object({
        success: Type.Literal(true),
        email: Type.String(),
        must_auth: Type.Boolean(),
        needs_password: Type.Boolean(),
      }),
      Failure,
    ]),
  },
  {
    name: 'user_creation_status',
    method: 'GET',
    writesDb: false,
    auth: false,
    args: args({ email: req('email') }),
    response: Status('complete', 'pending', 'mustAuth'),
  },
  {
    name: 'email_addition_status',
    method: 'GET',
    writesDb: false,
    auth: 'assertion',
    args: args({ email: req('email') }),
    response: Status('complete', 'pending', 'failed'),
  },
  {
    name: 'password_reset_status',
    method: 'GET',
    writesDb: false,
    auth: false,
    args: args({ email: req('email') }),
    response: Status('complete', 'pending', 'mustAuth'),
  },
  {
    name: 'email_reverify_status',
    method: 'GET',
    writesDb: false,
    auth: 'assertion',
    args: args({ email: req('email') }),
    response: Status('complete', 'pending'),
  },
  {
    name: 'transition_status',
    method: 'GET',
    writesDb: false,
    auth: false,
    args: args({ email: req('email') }),
    response: Status('complete', 'pending', 'mustAuth'),
  },
  {
    name: 'list_emails',
    method: 'GET',
    writesDb: false,
    auth: 'assertion',
    args: null,
    response: Type.Object({ success: Type.Literal(true), emails: Type.Array(Type.String()) }),
  },
  { name: 'ping', method: 'GET', writesDb: false, auth: false, args: null, response: Text },
  {
    name: 'discovery',
    method: 'GET',
    writesDb: false,
    auth: false,
    args: args({ domain: req('hostname') }),
    response: Type.Object({
      'public-key': Type.Object({}, { additionalProperties: true }),
      authentication: Type.String(),
      provisioning: Type.String(),
    }),
  },
  // -- POSTs the reader answers without writing (or by asking the writer/certifier itself)
  {
    name: 'authenticate_user',
    method: 'POST',
    writesDb: false,
    auth: false,
    args: args({
      email: req('email'),
      pass: req('password'),
      ephemeral: req('boolean'),
      allowUnverified: opt('boolean'),
    }),
    response: AuthResult,
  },
  {
    name: 'auth_with_assertion',
    method: 'POST',
    writesDb: false,
    auth: false,
    args: args({ assertion: req('assertion'), ephemeral: req('boolean') }),
    response: AuthResult,
  },
  {
    name: 'cert_key',
    method: 'POST',
    writesDb: false,
    auth: 'password',
    args: args({
      email: req('email'),
      pubkey: req('pubkey'),
      ephemeral: req('boolean'),
      forceIssuer: opt('hostname'),
      allowUnverified: opt('boolean'),
    }),
    // The certificate itself, as the whole text body.
    response: Text,
  },
  { name: 'logout', method: 'POST', writesDb: false, auth: 'assertion', args: null, response: Success },
  { name: 'prolong_session', method: 'POST', writesDb: false, auth: 'assertion', args: null, response: Text },
  { name: 'interaction_data', method: 'POST', writesDb: false, auth: false, args: null, response: Success },
  // -- writes, forwarded by the reader to the writer
  {
    name: 'stage_user',
    method: 'POST',
    writesDb: true,
    auth: false,
    sendsEmail: true,
    args: args({ email: req('email'), pass: req('password'), allowUnverified: opt('boolean'), ...SITE }),
    response: Type.Union([
      Type.Object({ success: Type.Literal(true), unverified: Type.Optional(Type.Literal(true)) }),
      Failure,
    ]),
  },
  {
    name: 'complete_user_creation',
    method: 'POST',
    writesDb: true,
    auth: false,
    args: args({ token: req('token'), pass: opt('password') }),
    response: SuccessOrFailure,
  },
  {
    name: 'stage_email',
    method: 'POST',
    writesDb: true,
    auth: 'assertion',
    sendsEmail: true,
    args: args({ email: req('email'), pass: opt('password'), ...SITE }),
    response: SuccessOrFailure,
  },
  {
    name: 'complete_email_confirmation',
    method: 'POST',
    writesDb: true,
    auth: false,
    args: args({ token: req('token'), pass: opt('password') }),
    response: SuccessOrFailure,
  },
  {
    name: 'stage_reset',
    method: 'POST',
    writesDb: true,
    auth: false,
    sendsEmail: true,
    args: args({ email: req('email'), ...SITE }),
    response: SuccessOrFailure,
  },
  {
    name: 'complete_reset',
    method: 'POST',
    writesDb: true,
    auth: false,
    args: args({ token: req('token'), pass: opt('password') }),
    response: SuccessOrFailure,
  },
  {
    name: 'stage_reverify',
    method: 'POST',
    writesDb: true,
    auth: 'assertion',
    sendsEmail: true,
    args: args({ email: req('email'), ...SITE }),
    response: SuccessOrFailure,
  },
  {
    name: 'stage_transition',
    method: 'POST',
    writesDb: true,
    auth: false,
    sendsEmail: true,
    args: args({ email: req('email'), pass: req('password'), ...SITE }),
    response: SuccessOrFailure,
  },
  {
    name: 'complete_transition',
    method: 'POST',
    writesDb: true,
    auth: false,
    args: args({ token: req('token'), pass: opt('password') }),
    response: SuccessOrFailure,
  },
  {
    name: 'update_password',
    method: 'POST',
    writesDb: true,
    auth: 'assertion',
    args: args({ oldpass: req('password'), newpass: req('password') }),
    response: SuccessOrFailure,
  },
  {
    name: 'remove_email',
    method: 'POST',
    writesDb: true,
    auth: 'assertion',
    args: args({ email: req('email') }),
    response: Success,
  },
  {
    name: 'account_cancel',
    method: 'POST',
    writesDb: true,
    auth: 'assertion',
    args: null,
    response: Success,
  },
  {
    name: 'add_email_with_assertion',
    method: 'POST',
    writesDb: true,
    auth: 'assertion',
    args: args({ assertion: req('assertion') }),
    response: SuccessOrFailure,
  },
  {
    name: 'used_address_as_primary',
    method: 'POST',
    writesDb: true,
    auth: 'assertion',
    args: args({ email: req('email') }),
    response: Success,
  },
  // -- internal: the reader calls these on the writer; never reachable from outside
  {
    name: 'create_account_with_assertion',
    method: 'POST',
    writesDb: true,
    auth: false,
    internal: true,
    args: args({ assertion: req('assertion') }),
    response: Type.Object({
      success: Type.Literal(true),
      userid: Type.Integer(),
      lastPasswordReset: Type.Integer(),
    }),
  },
  {
    name: 'user_used_email_as',
    method: 'POST',
    writesDb: true,
    auth: 'assertion',
    internal: true,
    args: args({ email: req('email'), used_as: req('email_type') }),
    response: Success,
  },
  {
    name: 'saw_idp',
    method: 'GET',
    writesDb: true,
    auth: false,
    internal: true,
    args: args({ domain: req('hostname') }),
    response: Success,
  },
  {
    name: 'forget_idp',
    method: 'GET',
    writesDb: true,
    auth: false,
    internal: true,
    args: args({ domain: req('hostname') }),
    response: Success,
  },
  {
    name: 'increment_failed_auth_tries',
    method: 'GET',
    writesDb: true,
    auth: false,
    internal: true,
    args: args({ userid: req('userid') }),
    // The new count: the reader reserves an attempt with it before checking a password.
    response: Type.Object({
      success: Type.Literal(true),
      tries: Type.Optional(Type.Integer({ minimum: 0 })),
    }),
  },
  {
    name: 'reset_failed_auth_tries',
    method: 'GET',
    writesDb: true,
    auth: 'password',
    internal: true,
    args: args({}),
    response: Success,
  },
]

/** Every call, in a stable order. */
export const WSAPI_CALLS: readonly WsapiCall[] = DEFS.map((d) => ({
  ...d,
  internal: d.internal ?? false,
  sendsEmail: d.sendsEmail ?? false,
}))

export const WSAPI_BY_NAME: ReadonlyMap<string, WsapiCall> = new Map(WSAPI_CALLS.map((c) => [c.name, c]))

/** The call named `name`. @throws {Error} when no such call is declared (a programming error) */
export function wsapiCall(name: string): WsapiCall {
  const c = WSAPI_BY_NAME.get(name)
  if (c === undefined) throw new Error(`no such wsapi call: ${name}`)
  return c
}

/** The calls the reader serves itself (everything that does not write). */
export const READER_CALLS = WSAPI_CALLS.filter((c) => !c.writesDb)
/** The calls the writer serves (everything that writes, internal ones included). */
export const WRITER_CALLS = WSAPI_CALLS.filter((c) => c.writesDb)
/** The public writing calls the reader forwards to the writer as they are. */
export const FORWARDED_CALLS = WSAPI_CALLS.filter((c) => c.writesDb && !c.internal)
