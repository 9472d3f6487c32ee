// SPDX-License-Identifier: MPL-2.0
// createService builds the Fastify app every Persona service starts from: TypeBox types, request ids
// that travel between hops, one summary log line per request, heartbeats, metrics, explicit timeouts
// and one error handler that maps every error to a JSON body with a stable code.
import { randomBytes } from 'node:crypto'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyError, type FastifyServerOptions, LogController } from 'fastify'
import { ERROR_CODES, type ErrorCode, isPersonaError } from './errors.ts'
import { type DeepCheck, registerHeartbeat } from './heartbeat.ts'
import { loggerOptions, pathForLog } from './logger.ts'
import { registerMetrics } from './metrics.ts'
import { REQUEST_ID_HEADER, requestIdFrom } from './request-id.ts'
import { registerSecurityEvents } from './security-events.ts'

export interface ServiceOptions {
  readonly name: string
  readonly logLevel?: string
  /** Dependencies checked by `/__heartbeat__?deep=1`. */
  readonly deepChecks?: readonly DeepCheck[]
  /** Which hops may set X-Forwarded-For; see Fastify's trustProxy. */
  readonly trustProxy?: string | boolean
  readonly bodyLimit?: number
  /** Replaces the default pino options (e.g. `false` in tests, or a stream). */
  readonly logger?: NonNullable<FastifyServerOptions['logger']>
}

const STATUS_CODE_BY_FASTIFY: Partial<Record<number, ErrorCode>> = {
  400: 'ERR_BAD_REQUEST',
  401: 'ERR_UNAUTHORIZED',
  403: 'ERR_FORBIDDEN',
  404: 'ERR_NOT_FOUND',
  413: 'ERR_PAYLOAD_TOO_LARGE',
  415: 'ERR_UNSUPPORTED_MEDIA_TYPE',
  429: 'ERR_RATE_LIMITED',
  502: 'ERR_BAD_GATEWAY',
  503: 'ERR_UNAVAILABLE',
  504: 'ERR_GATEWAY_TIMEOUT',
}

/** The app type every service builds on. */
export type App = ReturnType<typeof createService>

export function createService(opts: ServiceOptions) {
  const app = Fastify({
    logger: opts.logger ?? loggerOptions(opts.name, opts.logLevel ?? 'info'),
    genReqId: requestIdFrom,
    // Our own summary line replaces Fastify's incoming/completed pair.
    logController: new LogController({ requestIdLogLabel: 'reqId', disableRequestLogging: true }),
    trustProxy: opts.trustProxy ?? 'loopback',
    bodyLimit: opts.bodyLimit ?? 64 * 1024,
    connectionTimeout: 30_000,
    // Longer than nginx's upstream keepalive_timeout so nginx closes idle connections first.
    keepAliveTimeout: 75_000,
    requestTimeout: 30_000,
    return503OnClosing: true,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.addHook('onRequest', async (req, reply) => {
    reply.header(REQUEST_ID_HEADER, req.id)
  })
  // One summary line per request (FxA's request.summary), at a level that follows the status.
  app.addHook('onResponse', async (req, reply) => {
    const level = reply.statusCode >= 500 ? 'warn' : 'info'
    // Checked first: building the line (the client address through trustProxy) costs on every request.
    if (isQuiet(req.url) || !logs(req.log.level, level)) return
    req.log[level](
      {
        event: 'request.summary',
        method: req.method,
        path: pathForLog(req.url),
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
        ip: req.ip,
      },
      'request.summary',
    )
  })

  app.setErrorHandler((err: FastifyError | Error, req, reply) => {
    if (isPersonaError(err)) {
      const level = err.statusCode >= 500 ? 'warn' : 'debug'
      req.log[level]({ code: err.code, detail: err.detail, err: err.cause }, 'request.failed')
      return reply
        .code(err.statusCode)
        .send({ success: false, code: err.code, reason: err.reason, ...err.body })
    }
    const status = 'statusCode' in err && typeof err.statusCode === 'number' ? err.statusCode : 500
    if (status < 500) {
      const code = STATUS_CODE_BY_FASTIFY[status] ?? 'ERR_BAD_REQUEST'
      const reason = 'validation' in err && err.validation ? validationReason(err) : err.message
      req.log.debug({ code, reason }, 'request.rejected')
      return reply.code(status).send({ success: false, code, reason })
    }
    // Our own bug: a generic answer with a reference id that the log line also carries (Portier).
    const ref = randomBytes(6).toString('hex')
    req.log.error({ err, ref }, 'request.error')
    return reply
      .code(500)
      .send({ success: false, code: 'ERR_INTERNAL', reason: `internal error (ref ${ref})` })
  })

  app.setNotFoundHandler((req, reply) => {
    reply
      .code(404)
      .send({ success: false, code: 'ERR_NOT_FOUND', reason: `no such path: ${req.url.split('?')[0]}` })
  })

  registerHeartbeat(app, opts.name, opts.deepChecks ?? [])
  registerMetrics(app, opts.name)
  registerSecurityEvents(app)
  return app
}

const LEVELS: Readonly<Record<string, number>> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
}

/** Whether a logger at `current` writes lines at `level` (pino's numbering; unknown levels write). */
function logs(current: string, level: string): boolean {
  if (current === 'silent') return false
  const at = LEVELS[current]
  const want = LEVELS[level]
  return at === undefined || want === undefined || at <= want
}

function isQuiet(url: string): boolean {
  return url.startsWith('/__') || url === '/metrics'
}

/** Turns Fastify's ajv message into Persona's wording ("missing required parameter: 'email'"). */
function validationReason(err: FastifyError): string {
  const first = err.validation?.[0]
  if (first === undefined) return err.message
  const params = first.params as Record<string, unknown>
  if (first.keyword === 'required' && typeof params.missingProperty === 'string') {
    return `missing required parameter: '${params.missingProperty}'`
  }
  if (first.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
    return `extra parameters are not allowed: ${params.additionalProperty}`
  }
  const where = first.instancePath.replace(/^\//, '').replace(/\//g, '.')
  return where ? `${where}: ${first.message ?? 'invalid'}` : (first.message ?? err.message)
}

export { ERROR_CODES }
