// SPDX-License-Identifier: MPL-2.0
// The certifier's counters: certificates issued, and requests that got none by reason (bad_request,
// unauthorized, internal), counted from the answer so every path out of the route is seen.
import { METRICS } from '@persona/kit'
import type { FastifyInstance } from 'fastify'

export function registerCertifierMetrics(app: FastifyInstance): void {
  const issued = app.metrics.use(METRICS.certifier.issued)
  const failures = app.metrics.use(METRICS.certifier.failures)
  for (const reason of ['bad_request', 'unauthorized', 'internal']) failures.inc({ reason }, 0)
  app.addHook('onResponse', async (req, reply) => {
    if (req.method !== 'POST' || req.routeOptions.url !== '/wsapi/cert_key') return
    const s = reply.statusCode
    if (s < 300) issued.inc()
    else
      failures.inc({
        reason: s >= 500 ? 'internal' : s === 401 || s === 403 ? 'unauthorized' : 'bad_request',
      })
  })
}
