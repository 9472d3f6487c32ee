// SPDX-License-Identifier: MPL-2.0
// The receiving side of internal calls: a service that only the reader may call (writer, certifier)
// refuses every request whose `x-persona-token` is not the shared token (403, and a security event),
// heartbeats and metrics excepted so orchestrators and the scraper can still read it. Compared in
// constant time. It also refuses a caller of another internal API version (409 ERR_API_VERSION, naming
// both) and states its own on every answer.
import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { PersonaError } from './errors.ts'
import {
  apiVersionMismatch,
  INTERNAL_API_HEADER,
  INTERNAL_API_VERSION,
  INTERNAL_TOKEN_HEADER,
} from './internal-http.ts'
import { METRICS_PATHS } from './metrics.ts'
import { securityEvent } from './security-events.ts'

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest()
}

/** Whether `presented` equals `expected`, without leaking where they differ. */
export function tokenMatches(presented: string | string[] | undefined, expected: string): boolean {
  if (typeof presented !== 'string' || expected === '') return false
  return timingSafeEqual(digest(presented), digest(expected))
}

const OPEN_PATHS: readonly string[] = METRICS_PATHS

/**
 * Adds an onRequest hook refusing any call without the right internal token or of another internal API
 * version (paths `/__*` and `/metrics` excepted). `apiVersion` is this service's (tests pass another).
 */
export function requireInternalToken(
  app: FastifyInstance,
  expected: string,
  caller = 'reader',
  apiVersion = INTERNAL_API_VERSION,
): void {
  app.addHook('onRequest', async (req, reply) => {
    reply.header(INTERNAL_API_HEADER, String(apiVersion))
    const path = req.url.split('?')[0] ?? ''
    if (path.startsWith('/__') || OPEN_PATHS.includes(path)) return
    if (!tokenMatches(req.headers[INTERNAL_TOKEN_HEADER], expected)) {
      const presented = req.headers[INTERNAL_TOKEN_HEADER] === undefined ? 'missing' : 'wrong'
      securityEvent(req, 'internal_auth_failed', { ip: req.ip, reason: `${presented}-token` })
      throw new PersonaError('ERR_FORBIDDEN', `only the ${caller} may call this service`)
    }
    const theirs = req.headers[INTERNAL_API_HEADER]
    if (theirs !== String(apiVersion)) {
      const stated = typeof theirs === 'string' ? theirs : 'none'
      req.log.error({ event: 'internal_api.mismatch', caller, theirs: stated, ours: apiVersion }, 'refused')
      throw new PersonaError('ERR_API_VERSION', apiVersionMismatch(`the ${caller}`, stated, apiVersion))
    }
  })
}
