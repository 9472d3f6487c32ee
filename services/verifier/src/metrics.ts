// SPDX-License-Identifier: MPL-2.0
// The verifier's own counters: every answer to POST /verify (and POST /, and Mozilla's later /v2)
// counted by result and reason class, and timed by result. The handler notes the protocol result; the
// onResponse hook counts it, so a thrown error or a refused request (400, 413, 415, 503) counts too.
// Results: okay, failure (the assertion is not good), error (our fault: a 5xx), shed (503 too busy with
// Retry-After: load shedding turned it away before verifying, reason `overload`).
import type { VerifyResult } from '@persona/browserid'
import { METRICS, VERIFY_REASON_CLASSES, verifyReasonClass } from '@persona/kit'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

const VERIFY_ROUTES = new Set(['/verify', '/', '/v2'])

/** Load shedding's answer (load-shed.ts, and a full crypto pool): 503 with Retry-After. */
function shed(reply: FastifyReply): boolean {
  return reply.statusCode === 503 && reply.getHeader('retry-after') !== undefined
}

/** Installs the counters; returns what the handler calls with each protocol result. */
export function registerVerifierMetrics(
  app: FastifyInstance,
): (req: FastifyRequest, r: VerifyResult) => void {
  const verifications = app.metrics.use(METRICS.verifier.verifications)
  const duration = app.metrics.use(METRICS.verifier.duration)
  // Every series from the start, so rates and the SLO ratios have data before the first of each.
  verifications.inc({ result: 'okay', reason: 'none' }, 0)
  for (const reason of VERIFY_REASON_CLASSES.filter((r) => !['none', 'internal', 'overload'].includes(r)))
    verifications.inc({ result: 'failure', reason }, 0)
  verifications.inc({ result: 'error', reason: 'internal' }, 0)
  verifications.inc({ result: 'shed', reason: 'overload' }, 0)
  for (const result of ['okay', 'failure', 'error', 'shed']) duration.zero({ result })
  const results = new WeakMap<FastifyRequest, VerifyResult>()
  app.addHook('onResponse', async (req, reply) => {
    if (req.method !== 'POST' || !VERIFY_ROUTES.has(req.routeOptions.url ?? '')) return
    const r = results.get(req)
    const result = shed(reply)
      ? 'shed'
      : reply.statusCode >= 500
        ? 'error'
        : r?.status === 'okay'
          ? 'okay'
          : 'failure'
    const reason =
      result === 'shed'
        ? 'overload'
        : result === 'error'
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
