// SPDX-License-Identifier: MPL-2.0
// The proxy's counters: support-document fetches by outcome (timed), refusals by reason class, and
// each refusal also as a security event (an outbound fetch the policy stopped is worth a look).
import { METRICS, securityEvent } from '@persona/kit'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { FetchOutcome } from './support-document-fetcher.ts'

/** Why a destination was refused, in classes (label `reason`): where it resolved, a redirect, its size. */
export function refusalClass(reason: string): 'address' | 'redirect' | 'too_large' | 'other' {
  if (/resolves to/.test(reason)) return 'address'
  if (/redirect/.test(reason)) return 'redirect'
  if (/too large|larger than/.test(reason)) return 'too_large'
  return 'other'
}

const OUTCOME = {
  found: 'ok',
  none: 'not_found',
  refused: 'refused',
  timeout: 'timeout',
  failed: 'error',
} as const satisfies Record<FetchOutcome['kind'], string>

/** Installs the counters; returns what the route calls with each fetch's outcome. */
export function registerProxyMetrics(
  app: FastifyInstance,
): (req: FastifyRequest, domain: string, out: FetchOutcome, seconds: number) => void {
  const fetches = app.metrics.use(METRICS.proxy.fetches)
  const refusals = app.metrics.use(METRICS.proxy.refusals)
  const duration = app.metrics.use(METRICS.proxy.fetchDuration)
  for (const outcome of Object.values(OUTCOME)) fetches.inc({ outcome }, 0)
  for (const reason of ['address', 'redirect', 'too_large', 'other']) refusals.inc({ reason }, 0)
  return (req, domain, out, seconds) => {
    const outcome = OUTCOME[out.kind]
    fetches.inc({ outcome })
    duration.observe({ outcome }, seconds)
    if (out.kind === 'refused') {
      const reason = refusalClass(out.reason)
      refusals.inc({ reason })
      securityEvent(req, 'fetch_refused', { ip: req.ip, domain, reason })
    }
  }
}
