// SPDX-License-Identifier: MPL-2.0
// The router (Persona's `router` process): the one entry nginx sends web traffic to. The topology's
// READER_PUBLIC_PATHS (/wsapi/*, /.well-known/browserid, FedCM's files) go to reader, everything else
// to static. Every hop is bounded; an upstream that is down or slow becomes a JSON 502/504 naming it,
// and the deep heartbeat checks each upstream.

import type { IncomingHttpHeaders } from 'node:http'
import httpProxy, { type FastifyHttpProxyOptions } from '@fastify/http-proxy'
import {
  createService,
  type DeepCheck,
  PersonaError,
  READER_PUBLIC_PATHS,
  type ServiceOptions,
  upstreamsOf,
} from '@persona/kit'
import { WSAPI_BY_NAME } from '@persona/wsapi/calls'
import { request } from 'undici'
import type { RouterConfig } from './config.ts'

export interface RouterDeps {
  readonly logger?: ServiceOptions['logger']
}

type Upstream = 'reader' | 'static'

/** Which upstream serves a path: the topology's reader paths go to reader. */
export function upstreamFor(path: string): Upstream {
  const toReader = READER_PUBLIC_PATHS.some((p) =>
    p.endsWith('/') ? path === p.slice(0, -1) || path.startsWith(p) : path === p,
  )
  return toReader ? 'reader' : 'static'
}

/** True for the wsapi calls only the reader may make on the writer: the router answers 404 for them. */
export function isInternalCall(path: string): boolean {
  const m = /^\/wsapi\/([^/?#]+)/.exec(path)
  return m?.[1] !== undefined && WSAPI_BY_NAME.get(m[1])?.internal === true
}

/** Headers for the upstream: our request id, and the peer appended to X-Forwarded-For. */
export function forwardHeaders(
  requestId: string,
  peer: string | undefined,
  headers: IncomingHttpHeaders,
): IncomingHttpHeaders {
  const prior = headers['x-forwarded-for']
  const chain = [...(Array.isArray(prior) ? prior : prior === undefined ? [] : [prior]), peer ?? ''].filter(
    (s) => s !== '',
  )
  return { ...headers, 'x-request-id': requestId, 'x-forwarded-for': chain.join(', ') }
}

function isTimeout(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'statusCode' in error && error.statusCode === 504
}

/** The JSON body and status a failed hop becomes. */
export function gatewayError(service: Upstream, error: unknown): PersonaError {
  return isTimeout(error)
    ? new PersonaError('ERR_GATEWAY_TIMEOUT', `${service} did not answer in time`, { cause: error })
    : new PersonaError('ERR_BAD_GATEWAY', `${service} is unavailable`, { cause: error })
}

function upstreamCheck(name: Upstream, baseUrl: string, timeoutMs: number): DeepCheck {
  return {
    name,
    check: async () => {
      const res = await request(`${baseUrl.replace(/\/$/, '')}/__lbheartbeat__`, {
        signal: AbortSignal.timeout(timeoutMs),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      })
      await res.body.dump()
      if (res.statusCode !== 200) throw new Error(`${name} answered ${res.statusCode}`)
    },
  }
}

export async function buildApp(cfg: RouterConfig, deps: RouterDeps = {}) {
  const urls: Record<Upstream, string> = { reader: cfg.readerUrl, static: cfg.staticUrl }
  // The upstreams come from the flow table; a flow added there without a URL here fails loudly.
  const upstreams = upstreamsOf('router').map((u) => {
    if (u !== 'reader' && u !== 'static') throw new Error(`router: no route for upstream ${u}`)
    return u
  })
  const app = createService({
    name: 'router',
    logLevel: cfg.logLevel,
    trustProxy: cfg.trustProxy,
    ...(deps.logger === undefined ? {} : { logger: deps.logger }),
    deepChecks: upstreams.map((u) => upstreamCheck(u, urls[u], 2000)),
  })

  const proxyTo = (service: Upstream): FastifyHttpProxyOptions => ({
    upstream: urls[service],
    undici: {
      connections: 128,
      pipelining: 1,
      keepAliveTimeout: 30_000,
      connect: { timeout: cfg.connectTimeoutMs },
      headersTimeout: cfg.upstreamTimeoutMs,
      bodyTimeout: cfg.upstreamTimeoutMs,
    },
    disableRequestLogging: true,
    replyOptions: {
      rewriteRequestHeaders: (req, headers) => forwardHeaders(req.id, req.socket.remoteAddress, headers),
      onError: (reply, { error }) => {
        const e = gatewayError(service, error)
        reply.log.warn({ upstream: service, code: e.code, err: error }, 'upstream.failed')
        reply.code(e.statusCode).send({ success: false, code: e.code, reason: e.reason })
      },
    },
  })

  for (const path of READER_PUBLIC_PATHS) {
    const prefix = path.endsWith('/') ? path.slice(0, -1) : path
    await app.register(httpProxy, {
      ...proxyTo('reader'),
      prefix,
      rewritePrefix: prefix,
      // An exact path is that path only; a prefix is everything under it.
      ...(path.endsWith('/') ? {} : { routes: ['/'] }),
      // As Persona's router did: internal calls are not found from outside, whatever reader would say.
      preHandler: async (req) => {
        if (isInternalCall(req.url)) throw new PersonaError('ERR_NOT_FOUND', 'Not Found')
      },
    })
  }
  await app.register(httpProxy, { ...proxyTo('static'), prefix: '/', rewritePrefix: '/' })
  return app
}
