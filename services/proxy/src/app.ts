// SPDX-License-Identifier: MPL-2.0
// The proxy app: one route, GET /wellknown?domain=D (contract.ts). Every outcome other than "found"
// is logged with its details; callers only ever see the contract's fixed reasons.
import swagger from '@fastify/swagger'
import { HOSTNAME_PATTERN, MAX_HOSTNAME_LENGTH } from '@persona/browserid/email'
import { createService, ErrorReply, PersonaError, type ServiceOptions } from '@persona/kit'
import { Type } from 'typebox'
import type { ProxyConfig } from './config.ts'
import { IDP_ORIGIN_HEADER, OPENAPI_ROUTE, reasons, WELLKNOWN_ROUTE } from './contract.ts'
import { normalizeDomain } from './domain.ts'
import { registerProxyMetrics } from './metrics.ts'
import { type FetcherOptions, SupportDocumentFetcher } from './support-document-fetcher.ts'

export { IDP_ORIGIN_HEADER }

export interface ProxyDeps {
  readonly fetcher?: Partial<Pick<FetcherOptions, 'resolve' | 'checkAddress' | 'ca' | 'connectPort'>>
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

  // The contract as an OpenAPI description, generated from the route's schemas (fuzzed by Schemathesis).
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Persona proxy (internal)',
        version: '1',
        description: "Support documents of other domains for Persona's reader and verifier.",
      },
    },
  })

  app.get(
    WELLKNOWN_ROUTE,
    {
      schema: {
        summary: "A domain's BrowserID support document",
        querystring: Type.Object({
          domain: Type.String({ minLength: 1, maxLength: MAX_HOSTNAME_LENGTH, pattern: HOSTNAME_PATTERN }),
        }),
        response: {
          200: {
            ...Type.Record(Type.String(), Type.Unknown(), { description: 'the support document' }),
            headers: { [IDP_ORIGIN_HEADER]: Type.String({ description: 'the origin it came from' }) },
          },
          400: { ...ErrorReply, description: 'not a domain name' },
          404: { ...ErrorReply, description: 'the domain has no support document' },
          502: { ...ErrorReply, description: 'unusable, or could not be reached (one reason for all)' },
        },
      },
    },
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
          req.log.info({ event: 'proxy.none', domain, detail: out.detail }, 'proxy.none')
          throw new PersonaError('ERR_NOT_FOUND', reasons.none(domain))
        case 'invalid':
          req.log.warn({ event: 'proxy.invalid', domain, reason: out.reason }, 'proxy.invalid')
          throw new PersonaError('ERR_BAD_GATEWAY', reasons.invalid(domain, out.reason))
        case 'unreachable': {
          // A refused destination is a security event; the rest is the IdP's network trouble.
          const event = out.cause === 'refused' ? 'proxy.refused' : 'proxy.unreachable'
          req.log.warn({ event, domain, cause: out.cause, detail: out.detail }, event)
          throw new PersonaError('ERR_BAD_GATEWAY', reasons.unreachable(domain))
        }
      }
    },
  )
  app.get(OPENAPI_ROUTE, { schema: { hide: true } }, async () => app.swagger())
  return app
}
