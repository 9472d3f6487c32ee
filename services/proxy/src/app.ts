// SPDX-License-Identifier: MPL-2.0
// The proxy app: one route, GET /wellknown?domain=D, answering with D's support document (200, the
// document as JSON, `x-idp-origin` naming where it came from), 404 when D has none, 502 when the
// destination is refused or broken, 504 when it is too slow. Every refusal is logged with its reason.
import { createService, PersonaError, type ServiceOptions } from '@persona/kit'
import { Type } from 'typebox'
import type { ProxyConfig } from './config.ts'
import { normalizeDomain } from './domain.ts'
import { registerProxyMetrics } from './metrics.ts'
import { type FetcherOptions, SupportDocumentFetcher } from './support-document-fetcher.ts'

export const IDP_ORIGIN_HEADER = 'x-idp-origin'

export interface ProxyDeps {
  readonly fetcher?: Partial<Pick<FetcherOptions, 'resolve' | 'checkAddress' | 'ca'>>
  /** Logger options (tests pass a stream to read refusals back). */
  readonly logger?: ServiceOptions['logger']
}

export async function buildApp(cfg: ProxyConfig, deps: ProxyDeps = {}) {
  const app = createService({
    name: 'proxy',
    logLevel: cfg.logLevel,
    ...(deps.logger === undefined ? {} : { logger: deps.logger }),
  })
  const fetcher = new SupportDocumentFetcher({
    shims: cfg.shims,
    maxBytes: cfg.maxBytes,
    timeoutMs: cfg.timeoutMs,
    maxRedirects: cfg.maxRedirects,
    ...deps.fetcher,
  })
  app.addHook('onClose', async () => fetcher.close())
  const noteFetch = registerProxyMetrics(app)

  app.get(
    '/wellknown',
    { schema: { querystring: Type.Object({ domain: Type.String({ minLength: 1, maxLength: 253 }) }) } },
    async (req, reply) => {
      const domain = normalizeDomain(req.query.domain)
      if (domain === null) throw new PersonaError('ERR_BAD_REQUEST', 'domain: not a valid domain name')
      const started = performance.now()
      const out = await fetcher.fetch(domain)
      noteFetch(req, domain, out, (performance.now() - started) / 1000)
      switch (out.kind) {
        case 'found':
          reply.header(IDP_ORIGIN_HEADER, out.origin)
          if (out.cacheControl !== undefined) reply.header('cache-control', out.cacheControl)
          return out.document
        case 'none':
          req.log.info({ event: 'proxy.none', domain, reason: out.reason }, 'proxy.none')
          throw new PersonaError('ERR_NOT_FOUND', out.reason)
        case 'refused':
          req.log.warn({ event: 'proxy.refused', domain, reason: out.reason }, 'proxy.refused')
          throw new PersonaError('ERR_DESTINATION_REFUSED', out.reason)
        case 'timeout':
          req.log.warn({ event: 'proxy.timeout', domain, reason: out.reason }, 'proxy.timeout')
          throw new PersonaError('ERR_GATEWAY_TIMEOUT', out.reason)
        case 'failed':
          req.log.warn({ event: 'proxy.failed', domain, reason: out.reason }, 'proxy.failed')
          throw new PersonaError('ERR_BAD_GATEWAY', out.reason)
      }
    },
  )
  return app
}
