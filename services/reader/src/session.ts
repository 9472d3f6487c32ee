// SPDX-License-Identifier: MPL-2.0
// The browser's session (Persona's client-sessions cookie): an encrypted, signed cookie that only the
// reader can open (@fastify/secure-session). It holds the CSRF token, the sign-in (user, level, end
// time, the password-reset stamp it was made under), the pending mailed tokens, and the last write's
// GTID for read-your-writes.
import { createHash, hkdfSync, randomBytes } from 'node:crypto'
import type { Session } from '@fastify/secure-session'
import type { AuthLevel, SessionPatch, SessionState } from '@persona/wsapi'
import { SESSION_FIELDS } from '@persona/wsapi'

declare module '@fastify/secure-session' {
  interface SessionData {
    csrf: string
    userid: number
    auth_level: AuthLevel
    lastPasswordReset: number
    /** ms since epoch when the sign-in ends */
    authExpires: number
    pendingCreation: string
    pendingAddition: string
    pendingReset: string
    pendingReverification: string
    gtid: string
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

/** The signed-in user and level, when the sign-in has not ended. */
export function authOf(s: Session, now: number): { userid: number; level: AuthLevel } | undefined {
  const userid = s.get('userid')
  const level = s.get('auth_level')
  const ends = s.get('authExpires')
  if (userid === undefined || level === undefined) return undefined
  if (ends !== undefined && ends <= now) return undefined
  return { userid, level }
}

/** Whether the session satisfies `need` ('assertion' accepts either level). */
export function hasLevel(s: Session, need: AuthLevel, now: number): boolean {
  const a = authOf(s, now)
  if (a === undefined) return false
  return need === 'assertion' || a.level === 'password'
}

/** Signs out, keeping the CSRF token and pending tokens (Persona's clearAuthenticatedUser). */
export function clearAuth(s: Session): void {
  s.set('userid', undefined)
  s.set('auth_level', undefined)
  s.set('lastPasswordReset', undefined)
  s.set('authExpires', undefined)
}

/** Drops everything, CSRF token included (password changed elsewhere). */
export function resetSession(s: Session): void {
  for (const f of SESSION_FIELDS) s.set(f, undefined)
  s.set('authExpires', undefined)
  s.set('csrf', undefined)
  s.set('gtid', undefined)
}

export function signIn(
  s: Session,
  a: {
    userid: number
    level: AuthLevel
    lastPasswordReset: number
    durationMs: number | 'keep'
    now: number
  },
): void {
  s.set('userid', a.userid)
  s.set('auth_level', a.level)
  s.set('lastPasswordReset', a.lastPasswordReset)
  if (a.durationMs !== 'keep' || s.get('authExpires') === undefined) {
    const ms = a.durationMs === 'keep' ? 0 : a.durationMs
    if (ms > 0) s.set('authExpires', a.now + ms)
  }
}

/** What a forwarded call tells the writer about the session. */
export function stateForWriter(s: Session, now: number): SessionState {
  const out: Record<string, unknown> = {}
  const auth = authOf(s, now)
  if (auth !== undefined) {
    out.userid = auth.userid
    out.auth_level = auth.level
    const lpr = s.get('lastPasswordReset')
    if (lpr !== undefined) out.lastPasswordReset = lpr
  }
  for (const f of ['pendingCreation', 'pendingAddition', 'pendingReset', 'pendingReverification'] as const) {
    const v = s.get(f)
    if (v !== undefined) out[f] = v
  }
  return out as SessionState
}

/** Applies the writer's requested changes. */
export function applyPatch(s: Session, p: SessionPatch, fullDurationMs: number, now: number): void {
  if (p.logout === true) clearAuth(s)
  const set = p.set ?? {}
  const before = s.get('userid')
  for (const [k, v] of Object.entries(set)) {
    if (!(SESSION_FIELDS as readonly string[]).includes(k)) continue
    s.set(k as keyof SessionState, v === null ? undefined : (v as never))
  }
  if (set.userid === null) s.set('authExpires', undefined)
  if (set.userid !== undefined && set.userid !== null) {
    const keep = p.authDuration === 'keep' && before === set.userid && s.get('authExpires') !== undefined
    if (!keep) s.set('authExpires', now + fullDurationMs)
  }
}
