// SPDX-License-Identifier: MPL-2.0
// The verifier's own counters: every answer to POST /verify (and POST /) counted by result (okay,
// failure, error) and reason class, and timed by result. The handler notes the protocol result; the
// onResponse hook counts it, so a thrown error or a refused request (400, 413, 415, 503) counts too.
import type { VerifyResult } from '@persona/browserid'
import { METRICS, verifyReasonClass } from '@persona/kit'
import type { FastifyInstance, FastifyRequest } from 'fastify'

const VERIFY_ROUTES = new Set(['/verify', '/'])

/** Installs the counters; returns what the handler calls with each protocol result. */
export function registerVerifierMetrics(
  app: FastifyInstance,
): (req: FastifyRequest, r: VerifyResult) => void {
  const verifications = app.metrics.use(METRICS.verifier.verifications)
  const duration = app.metrics.use(METRICS.verifier.duration)
  const results = new WeakMap<FastifyRequest, VerifyResult>()
  app.addHook('onResponse', async (req, reply) => {
    if (req.method !== 'POST' || !VERIFY_ROUTES.has(req.routeOptions.url ?? '')) return
    const r = results.get(req)
    const result = reply.statusCode >= 500 ? 'error' : r?.status === 'okay' ? 'okay' : 'failure'
    const reason =
      result === 'error'
        ? 'internal'
        : r === undefined
          ? 'request'
          : verifyReasonClass(r.status === 'okay' ? undefined : r.code)
    verifications.inc({ result, reason })
    duration.observe({ result }, reply.elapsedTime / 1000)
  })
  return (req, r) => {
    results.set(req, r)
  }
}
