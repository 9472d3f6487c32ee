// SPDX-License-Identifier: MPL-2.0
// The session, declared once. The reader keeps `StoredSession` in its encrypted cookie; the writer sees
// and changes the `SharedSession` part of it (everything but the CSRF token, the sign-in's end and the
// read-your-writes mark): the reader sends it in `x-persona-session` (trusted because the call carries
// the writer token) and the writer answers the changed session in the same header, plus the master's
// GTID in `x-persona-gtid` so the reader's next read waits for the replica (read-your-writes).
import { MAX_EMAIL_LENGTH, MAX_HOSTNAME_LENGTH } from '@persona/browserid/email'
import { type Static, Type } from 'typebox'
import { Value } from 'typebox/value'
import { TOKEN_PATTERN } from './args.ts'
import type { AuthLevel } from './define.ts'

export const SESSION_HEADER = 'x-persona-session'
export const GTID_HEADER = 'x-persona-gtid'
/** The address of the browser, as the reader saw it (for the writer's logs and limits). */
export const CLIENT_IP_HEADER = 'x-persona-client-ip'
/** Facts the reader established before calling (the address an assertion it verified proves). */
export const VERIFIED_HEADER = 'x-persona-verified'

/** How many accounts a browser remembers having signed in to. */
const KNOWN_ACCOUNTS = 5

const Level = Type.Union([Type.Literal('password'), Type.Literal('assertion')])
const PendingToken = Type.String({ pattern: TOKEN_PATTERN })

/** The browser's session, as the reader stores it. */
export const StoredSession = Type.Object(
  {
    /** The CSRF token every POST must echo (handed out by session_context). */
    csrf: Type.Optional(Type.String({ maxLength: 64 })),
    userid: Type.Optional(Type.Integer({ minimum: 1 })),
    auth_level: Type.Optional(Level),
    /**
     * The account's session generation when the sign-in was made: logout, a password change and a
     * reset move the account's generation on, which ends every copy of older cookies.
     */
    generation: Type.Optional(Type.Integer({ minimum: 0 })),
    /**
     * Accounts signed in to with this browser, latest first: the account's sign-in backoff does not hold
     * them back, so a stranger's wrong passwords never keep the owner out (OWASP's device cookie).
     */
    knownAccounts: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: KNOWN_ACCOUNTS })),
    /** ms since epoch when the sign-in ends. */
    authExpires: Type.Optional(Type.Integer({ minimum: 0 })),
    /** Tokens of mailed links this browser started (see TOKEN_KINDS). */
    pendingCreation: Type.Optional(PendingToken),
    pendingAddition: Type.Optional(PendingToken),
    pendingReset: Type.Optional(PendingToken),
    pendingReverification: Type.Optional(PendingToken),
    /** The master's position after this browser's last write: reads wait for the replica to reach it. */
    gtid: Type.Optional(Type.String({ maxLength: 2048 })),
  },
  { additionalProperties: false },
)
export type StoredSession = Static<typeof StoredSession>

/** The part of the session the writer sees and changes. */
export const SharedSession = Type.Omit(StoredSession, ['csrf', 'authExpires', 'gtid'])
export type SharedSession = Static<typeof SharedSession>

/** How long a sign-in the writer made lasts: the full duration, or the session's current end. */
export type Renewal = 'full' | 'keep'

/** The writer's answer about the session: the new shared part, and how a sign-in it made lasts. */
export const SessionUpdate = Type.Object(
  {
    session: SharedSession,
    renew: Type.Optional(Type.Union([Type.Literal('full'), Type.Literal('keep')])),
  },
  { additionalProperties: false },
)
export type SessionUpdate = Static<typeof SessionUpdate>

/** The fields a sign-in sets. */
export interface SignIn {
  readonly userid: number
  readonly level: AuthLevel
  readonly generation: number
}

/** Signs the session in (the pending links stay) and remembers the account as known to this browser. */
export function signIn(s: SharedSession, a: SignIn): void {
  s.userid = a.userid
  s.auth_level = a.level
  s.generation = a.generation
  s.knownAccounts = [a.userid, ...(s.knownAccounts ?? []).filter((id) => id !== a.userid)].slice(
    0,
    KNOWN_ACCOUNTS,
  )
}

/** Whether this browser has signed in to account `userid` before. */
export function knowsAccount(s: SharedSession, userid: number): boolean {
  return s.knownAccounts?.includes(userid) ?? false
}

/** Signs out, keeping the pending links (Persona's clearAuthenticatedUser). */
export function signOut(s: SharedSession): void {
  delete s.userid
  delete s.auth_level
  delete s.generation
}

/** The shared part of a stored session (a copy). */
export function sharedPart(s: StoredSession): SharedSession {
  const { csrf: _csrf, authExpires: _expires, gtid: _gtid, ...shared } = s
  return shared
}

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

/** The shared session a call to the writer carries (empty when absent or malformed). */
export function decodeSharedSession(header: string | string[] | undefined): SharedSession {
  const v = decodeHeader(header)
  return Value.Check(SharedSession, v) ? v : {}
}

/** The session update a writer answer carries, or undefined. */
export function decodeSessionUpdate(header: string | string[] | undefined): SessionUpdate | undefined {
  const v = decodeHeader(header)
  return Value.Check(SessionUpdate, v) ? v : undefined
}

export const VerifiedFacts = Type.Object(
  {
    email: Type.String({ maxLength: MAX_EMAIL_LENGTH }),
    /** The issuer that vouched for the address (the domain or its delegate). */
    issuer: Type.String({ maxLength: MAX_HOSTNAME_LENGTH }),
  },
  { additionalProperties: false },
)
export type VerifiedFacts = Static<typeof VerifiedFacts>

export function decodeVerifiedFacts(header: string | string[] | undefined): VerifiedFacts | undefined {
  const v = decodeHeader(header)
  return Value.Check(VerifiedFacts, v) ? v : undefined
}
