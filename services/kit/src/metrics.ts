// SPDX-License-Identifier: MPL-2.0
// Prometheus metrics per service on `/__metrics__` (scraped on the internal port; nginx never forwards
// it): request counts and latency by route and status, plus the process defaults.
import type { FastifyInstance } from 'fastify'
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client'

export function registerMetrics(app: FastifyInstance, service: string): Registry {
  const registry = new Registry()
  registry.setDefaultLabels({ service })
  collectDefaultMetrics({ register: registry })
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'request latency by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  })
  app.addHook('onResponse', async (req, reply) => {
    duration.observe(
      { method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    )
  })
  app.get('/__metrics__', { logLevel: 'warn' }, async (_req, reply) => {
    reply.type(registry.contentType)
    return registry.metrics()
  })
  return registry
}
