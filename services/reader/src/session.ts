// SPDX-License-Identifier: MPL-2.0
// The browser's session (Persona's client-sessions cookie): an encrypted, signed cookie that only the
// reader can open (@fastify/secure-session), holding one `StoredSession` (@persona/wsapi). Loaded and
// checked once per call, changed in place by the pipeline and the handler, saved when it changed.
import { createHash, hkdfSync, randomBytes } from 'node:crypto'
import type { Session } from '@fastify/secure-session'
import {
  type AuthLevel,
  type SessionUpdate,
  type SignIn,
  StoredSession,
  sharedPart,
  signIn,
  signOut,
} from '@persona/wsapi'
import { Value } from 'typebox/value'

declare module '@fastify/secure-session' {
  interface SessionData {
    state: StoredSession
  }
}

/** Cookie name: Persona's `browserid_state_` + 6 hex of the public URL's MD5, so deployments differ. */
export function cookieName(publicUrl: string): string {
  return `browserid_state_${createHash('md5').update(publicUrl).digest('hex').slice(0, 6)}`
}

/** 32-byte secretbox keys derived from SESSION_SECRET (comma-separated list: first encrypts). */
export function sessionKeys(secret: string): Buffer[] {
  return secret
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => Buffer.from(hkdfSync('sha256', s, 'persona-session-v1', 'cookie', 32)))
}

export function newCsrf(): string {
  return randomBytes(16).toString('base64')
}

/** The session a cookie carries (empty for none, or for one this version cannot read). */
export function loadSession(cookie: Session): StoredSession {
  const state = cookie.get('state')
  return Value.Check(StoredSession, state) ? structuredClone(state) : {}
}

/** Writes `session` back when it differs from what was loaded (`loaded`: its JSON then). */
export function saveSession(cookie: Session, session: StoredSession, loaded: string): void {
  if (JSON.stringify(session) !== loaded) cookie.set('state', session)
}

/** The signed-in user and level, when the sign-in has not ended. */
export function authOf(s: StoredSession, now: number): { userid: number; level: AuthLevel } | undefined {
  if (s.userid === undefined || s.auth_level === undefined) return undefined
  if (s.authExpires !== undefined && s.authExpires <= now) return undefined
  return { userid: s.userid, level: s.auth_level }
}

/** Signs out (Persona's clearAuthenticatedUser): the CSRF token and the pending links stay. */
export function endSignIn(s: StoredSession): void {
  signOut(s)
  delete s.authExpires
}

/**
 * A new CSRF token when this request signed the session in (or raised its level): a token that a page
 * could have leaked before the sign-in does not carry over into it. `before`: the session as loaded.
 */
export function rotateCsrfOnSignIn(before: StoredSession, s: StoredSession): void {
  if (s.userid === undefined || s.csrf === undefined) return
  if (s.userid !== before.userid || s.auth_level !== before.auth_level) s.csrf = newCsrf()
}

/** Drops everything, CSRF token included (the account's sessions were revoked). */
export function resetSession(s: StoredSession): void {
  for (const k of Object.keys(s)) Reflect.deleteProperty(s, k)
}

/** Signs the session in for `durationMs` from `now`. */
export function startSignIn(s: StoredSession, a: SignIn, durationMs: number, now: number): void {
  signIn(s, a)
  s.authExpires = now + durationMs
}

/**
 * Applies the writer's answer about the session: its shared part replaces ours; a sign-in it made lasts
 * the full duration (`renew: 'full'`) or keeps the current end (`'keep'`); a sign-out clears the end.
 */
export function applyUpdate(s: StoredSession, u: SessionUpdate, fullDurationMs: number, now: number): void {
  const before = s.userid
  for (const k of Object.keys(sharedPart(s))) Reflect.deleteProperty(s, k)
  Object.assign(s, u.session)
  if (s.userid === undefined) {
    delete s.authExpires
    return
  }
  const keep = u.renew === 'keep' && before === s.userid && s.authExpires !== undefined
  if (u.renew !== undefined && !keep) s.authExpires = now + fullDurationMs
}
