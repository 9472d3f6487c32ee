// SPDX-License-Identifier: MPL-2.0
// The proxy's counters: support-document fetches by outcome (timed), refusals by reason class, and
// each refusal also as a security event (an outbound fetch the policy stopped is worth a look).
import { FETCH_OUTCOMES, METRICS, securityEvent } from '@persona/kit'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { FetchOutcome } from './support-document-fetcher.ts'

/** Why a destination was refused, in classes (label `reason`): where it resolved, a redirect, its size. */
export function refusalClass(reason: string): 'address' | 'redirect' | 'too_large' | 'other' {
  if (/resolves to|is an? \w+ address/.test(reason)) return 'address'
  if (/redirect/.test(reason)) return 'redirect'
  if (/too large|larger than/.test(reason)) return 'too_large'
  return 'other'
}

type Outcome = (typeof FETCH_OUTCOMES)[number]

/** The metric outcome of a fetch, and the refusal class when our policy (not the IdP) stopped it. */
function measure(out: FetchOutcome): { outcome: Outcome; refusal?: ReturnType<typeof refusalClass> } {
  switch (out.kind) {
    case 'found':
      return { outcome: 'ok' }
    case 'none':
      return { outcome: 'not_found' }
    case 'invalid': {
      // Off-domain redirects and oversize documents are our policy at work; the rest is the IdP's.
      const refusal = refusalClass(out.reason)
      return refusal === 'other' ? { outcome: 'bad_document' } : { outcome: 'refused', refusal }
    }
    case 'unreachable':
      if (out.cause === 'refused') return { outcome: 'refused', refusal: refusalClass(out.detail) }
      return { outcome: out.cause === 'timeout' ? 'timeout' : 'error' }
  }
}

/** Installs the counters; returns what the route calls with each fetch's outcome. */
export function registerProxyMetrics(
  app: FastifyInstance,
): (req: FastifyRequest, domain: string, out: FetchOutcome, seconds: number) => void {
  const fetches = app.metrics.use(METRICS.proxy.fetches)
  const refusals = app.metrics.use(METRICS.proxy.refusals)
  const duration = app.metrics.use(METRICS.proxy.fetchDuration)
  for (const outcome of FETCH_OUTCOMES) fetches.inc({ outcome }, 0)
  for (const reason of ['address', 'redirect', 'too_large', 'other']) refusals.inc({ reason }, 0)
  return (req, domain, out, seconds) => {
    const { outcome, refusal } = measure(out)
    fetches.inc({ outcome })
    duration.observe({ outcome }, seconds)
    if (refusal !== undefined) {
      refusals.inc({ reason: refusal })
      securityEvent(req, 'fetch_refused', { ip: req.ip, domain, reason: refusal })
    }
  }
}
