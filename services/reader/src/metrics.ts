// SPDX-License-Identifier: MPL-2.0
// The reader's counters, taken in one place from what the wsapi pipeline saw and what each call answered
// (app.ts), never inside a handler: sign-ins by method and result; lockouts (a password sign-in refused
// because the account is locked out) and wrong passwords on the security stream; refused CSRF tokens and
// revoked sessions presented on the security stream; the bcrypt queue, read at each scrape.
import { METRICS, securityEvent } from '@persona/kit'
import type { PasswordHasher } from '@persona/kit/password-hash'
import { AUTH_WITH_ASSERTION, AUTHENTICATE_USER, type WsapiCall } from '@persona/wsapi'
import type { FastifyInstance, FastifyRequest } from 'fastify'

/** What app.ts tells the counters. */
export interface ReaderCounters {
  /** A call ran through the pipeline and answered `body` (200). */
  answered(req: FastifyRequest, call: WsapiCall, body: unknown): void
  /** The pipeline refused a POST for its CSRF token. */
  csrfFailed(req: FastifyRequest, reason: string): void
  /** A session signed in before its account's sessions were revoked came back (and was reset). */
  revokedSession(req: FastifyRequest, userId: number): void
}

/** authenticate_user's answer for a locked-out account (calls/authenticate-user.ts). */
const LOCKED_CODE = 'account locked'

function field(v: unknown, key: string): unknown {
  return typeof v === 'object' && v !== null ? Reflect.get(v, key) : undefined
}

/** The address a sign-in was for, as the browser sent it (security events name the account). */
function accountOf(req: FastifyRequest): { email?: string } {
  const e = field(req.body, 'email')
  return typeof e === 'string' ? { email: e } : {}
}

export function registerReaderMetrics(app: FastifyInstance, hasher: PasswordHasher): ReaderCounters {
  const signins = app.metrics.use(METRICS.auth.signins)
  const lockouts = app.metrics.use(METRICS.auth.lockouts)
  app.metrics.use(METRICS.auth.bcryptQueue, () => hasher.queued)
  // Every series from the start, so rates and the failure ratio have data before the first sign-in.
  for (const result of ['ok', 'failed', 'locked']) signins.inc({ method: 'password', result }, 0)
  for (const result of ['ok', 'failed']) signins.inc({ method: 'assertion', result }, 0)
  lockouts.inc(0)

  return {
    answered(req, call, body) {
      const ok = field(body, 'success') === true
      if (call === AUTHENTICATE_USER) {
        const locked = !ok && field(body, 'code') === LOCKED_CODE
        signins.inc({ method: 'password', result: ok ? 'ok' : locked ? 'locked' : 'failed' })
        if (locked) {
          lockouts.inc()
          securityEvent(req, 'account_locked', { ip: req.ip, ...accountOf(req), reason: 'locked-out' })
        } else if (!ok) {
          securityEvent(req, 'signin_failed', { ip: req.ip, ...accountOf(req), reason: 'bad-password' })
        }
      } else if (call === AUTH_WITH_ASSERTION) {
        signins.inc({ method: 'assertion', result: ok ? 'ok' : 'failed' })
      }
    },
    csrfFailed(req, reason) {
      securityEvent(req, 'csrf_failed', { ip: req.ip, reason })
    },
    revokedSession(req, userId) {
      securityEvent(req, 'revoked_session_used', { ip: req.ip, userId, reason: 'session-generation' })
    },
  }
}
