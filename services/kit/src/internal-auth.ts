// SPDX-License-Identifier: MPL-2.0
// The receiving side of internal calls: a service that only the reader may call (writer, certifier)
// refuses every request whose `x-persona-token` is not the shared token (403), heartbeats and metrics
// excepted so orchestrators can still probe it. Compared in constant time.
import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { PersonaError } from './errors.ts'
import { INTERNAL_TOKEN_HEADER } from './internal-http.ts'

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest()
}

/** Whether `presented` equals `expected`, without leaking where they differ. */
export function tokenMatches(presented: string | string[] | undefined, expected: string): boolean {
  if (typeof presented !== 'string' || expected === '') return false
  return timingSafeEqual(digest(presented), digest(expected))
}

/** Adds an onRequest hook refusing any call without the right internal token (paths `/__*` excepted). */
export function requireInternalToken(app: FastifyInstance, expected: string, caller = 'reader'): void {
  app.addHook('onRequest', async (req) => {
    if (req.url.startsWith('/__')) return
    if (!tokenMatches(req.headers[INTERNAL_TOKEN_HEADER], expected)) {
      throw new PersonaError('ERR_FORBIDDEN', `only the ${caller} may call this service`)
    }
  })
}
