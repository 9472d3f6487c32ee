// SPDX-License-Identifier: MPL-2.0
// The session as reader and writer share it. The reader alone holds the cookie key; on a forwarded call
// it sends the fields the writer needs in `x-persona-session` (trusted because the call carries the
// writer token), and the writer answers with the changes to make in `x-persona-session` plus the master's
// GTID in `x-persona-gtid` so the reader's next read waits for the replica (read-your-writes).
import { type Static, Type } from 'typebox'
import { Value } from 'typebox/value'

export const SESSION_HEADER = 'x-persona-session'
export const GTID_HEADER = 'x-persona-gtid'
/** The address of the browser, as the reader saw it (for the writer's logs and rate limits). */
export const CLIENT_IP_HEADER = 'x-persona-client-ip'

const Level = Type.Union([Type.Literal('password'), Type.Literal('assertion')])

/** What the writer may know of a session: everything but the CSRF token. */
export const SessionState = Type.Object(
  {
    userid: Type.Optional(Type.Integer({ minimum: 1 })),
    auth_level: Type.Optional(Level),
    /** The user's lastPasswordReset (ms since epoch) when the session was authenticated. */
    lastPasswordReset: Type.Optional(Type.Integer({ minimum: 0 })),
    pendingCreation: Type.Optional(Type.String({ maxLength: 64 })),
    pendingAddition: Type.Optional(Type.String({ maxLength: 64 })),
    pendingReset: Type.Optional(Type.String({ maxLength: 64 })),
    pendingReverification: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
)
export type SessionState = Static<typeof SessionState>
export type SessionField = keyof SessionState
export const SESSION_FIELDS: readonly SessionField[] = [
  'userid',
  'auth_level',
  'lastPasswordReset',
  'pendingCreation',
  'pendingAddition',
  'pendingReset',
  'pendingReverification',
]

/**
 * Changes the writer asks for: a field set to `null` is removed. `logout` first drops the sign-in
 * (userid, level, lastPasswordReset) keeping the rest; `authDuration` says how long a sign-in the patch
 * makes lasts: `'full'` (the long session) or `'keep'` (the session's current end).
 */
export const SessionPatch = Type.Object(
  {
    set: Type.Optional(
      Type.Object(
        {
          userid: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
          auth_level: Type.Optional(Type.Union([Level, Type.Null()])),
          lastPasswordReset: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.Null()])),
          pendingCreation: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
          pendingAddition: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
          pendingReset: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
          pendingReverification: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
        },
        { additionalProperties: false },
      ),
    ),
    logout: Type.Optional(Type.Boolean()),
    authDuration: Type.Optional(Type.Union([Type.Literal('full'), Type.Literal('keep')])),
  },
  { additionalProperties: false },
)
export type SessionPatch = Static<typeof SessionPatch>

export function encodeHeader(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}

function decodeHeader(header: string | string[] | undefined): unknown {
  const h = Array.isArray(header) ? header[0] : header
  if (h === undefined || h === '' || h.length > 8192) return undefined
  try {
    return JSON.parse(Buffer.from(h, 'base64url').toString('utf8'))
  } catch {
    return undefined
  }
}

/** The session state a forwarded call carries (empty when absent or malformed). */
export function decodeSessionState(header: string | string[] | undefined): SessionState {
  const v = decodeHeader(header)
  return Value.Check(SessionState, v) ? v : {}
}

/** The patch a writer answer carries, or undefined. */
export function decodeSessionPatch(header: string | string[] | undefined): SessionPatch | undefined {
  const v = decodeHeader(header)
  return Value.Check(SessionPatch, v) ? v : undefined
}

/** Picks the writer-visible fields out of a full session object. */
export function sessionStateOf(source: (field: SessionField) => unknown): SessionState {
  const out: Record<string, unknown> = {}
  for (const f of SESSION_FIELDS) {
    const v = source(f)
    if (v !== undefined && v !== null) out[f] = v
  }
  return Value.Check(SessionState, out) ? out : {}
}

/** Facts the reader established before forwarding (e.g. the address an assertion it verified proves). */
export const VERIFIED_HEADER = 'x-persona-verified'

export const VerifiedFacts = Type.Object(
  {
    email: Type.String({ maxLength: 254 }),
    /** The issuer that vouched for the address (the domain or its delegate). */
    issuer: Type.String({ maxLength: 253 }),
  },
  { additionalProperties: false },
)
export type VerifiedFacts = Static<typeof VerifiedFacts>

export function decodeVerifiedFacts(header: string | string[] | undefined): VerifiedFacts | undefined {
  const v = decodeHeader(header)
  return Value.Check(VerifiedFacts, v) ? v : undefined
}
