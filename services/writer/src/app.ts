// SPDX-License-Identifier: MPL-2.0
// The writer (Persona's bin/dbwriter): the wsapi calls that write, routed from the calls' declarations,
// reachable only with the writer token. Each runs the wsapi pipeline (auth level and arguments: the
// reader ran the cookie's stages) and then its handler (calls/). The session comes from the reader in
// `x-persona-session`; the changed session goes back in the same header, with the master's GTID in
// `x-persona-gtid`.
import { createService, requireInternalToken } from '@persona/kit'
import { defaultHashConcurrency, PasswordHasher } from '@persona/kit/password-hash'
import { masterStore, openWriterDb, type WriterDb } from '@persona/store'
import { registerDbMetrics } from '@persona/store/metrics'
import {
  CLIENT_IP_HEADER,
  decodeSharedSession,
  decodeVerifiedFacts,
  encodeHeader,
  GTID_HEADER,
  type Implementation,
  type Renewal,
  registerCall,
  runPipeline,
  SESSION_HEADER,
  VERIFIED_HEADER,
  WRITER_CALLS,
} from '@persona/wsapi'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { WRITER_HANDLERS } from './calls/index.ts'
import type { WriterConfig } from './config.ts'
import type { WriterContext, WriterServices } from './context.ts'
import { Mailer } from './mailer.ts'
import { registerWriterMetrics } from './metrics.ts'

/** How often expired staged tokens are deleted. */
const STAGED_SWEEP_MS = 10 * 60_000

/** The browser's address the reader sent (its own when absent: a caller other than the reader). */
function clientIpOf(req: FastifyRequest): string {
  const h = req.headers[CLIENT_IP_HEADER]
  return typeof h === 'string' && h !== '' ? h : req.ip
}

export interface WriterDeps {
  readonly db?: WriterDb
  readonly mailer?: Mailer
  readonly logger?: false
  /** Check every 200 answer against its call's declared reply (tests). */
  readonly checkReplies?: boolean
}

export async function buildApp(cfg: WriterConfig, deps: WriterDeps = {}) {
  const db = deps.db ?? openWriterDb(cfg)
  const mailer =
    deps.mailer ??
    new Mailer({
      host: cfg.SMTP_HOST,
      port: cfg.SMTP_PORT,
      secure: cfg.SMTP_SECURE,
      user: cfg.SMTP_USER,
      pass: cfg.SMTP_PASS,
      publicUrl: cfg.PUBLIC_URL,
      from: cfg.EMAIL_FROM,
    })
  const services: WriterServices = {
    cfg,
    ...masterStore(db, { tokenLifetimeMs: cfg.STAGED_TOKEN_LIFETIME_MS }),
    hasher: new PasswordHasher({
      rounds: cfg.BCRYPT_ROUNDS,
      concurrency: cfg.BCRYPT_CONCURRENCY ?? defaultHashConcurrency(),
      maxQueue: cfg.BCRYPT_MAX_QUEUE,
    }),
    mailer,
  }
  const app = createService({
    name: 'writer',
    logLevel: cfg.logLevel,
    trustProxy: false,
    bodyLimit: 16 * 1024,
    deepChecks: [
      { name: 'db-master', check: () => db.ping() },
      { name: 'smtp', check: () => mailer.verify() },
    ],
    ...(deps.logger === false ? { logger: false } : {}),
  })
  requireInternalToken(app, cfg.WRITER_TOKEN)
  const counters = registerWriterMetrics(app, services.hasher, mailer)
  const stopDbMetrics = registerDbMetrics(app.metrics, db)
  // Expired staged tokens can never complete; sweep them so the table stays small. Each writer
  // instance sweeps in small batches; doing it on several hosts at once is harmless.
  // Sign-in failures past BACKOFF_FORGET_MS are forgotten by the policy anyway; their rows go too.
  const sweep = setInterval(() => {
    const forgetBefore = new Date(Date.now() - cfg.BACKOFF_FORGET_MS)
    for (const [what, work] of [
      ['staged', services.staging.deleteExpired(1000)],
      ['backoff', services.backoff.forgetBefore(forgetBefore, 1000)],
    ] as const) {
      work.then(
        (n) => {
          if (n > 0) app.log.info({ event: 'writer.swept', table: what, deleted: n }, 'writer.swept')
        },
        (err: unknown) => app.log.warn({ err, table: what }, 'writer.sweep_failed'),
      )
    }
  }, STAGED_SWEEP_MS)
  sweep.unref()
  app.addHook('onClose', async () => {
    clearInterval(sweep)
    stopDbMetrics()
    mailer.close()
    await db.close()
  })

  const handled = new Set(WRITER_HANDLERS.map((h) => h.call))
  const missing = WRITER_CALLS.filter((c) => !handled.has(c))
  if (missing.length > 0)
    throw new Error(`writer has no handler for ${missing.map((c) => c.name).join(', ')}`)
  for (const impl of WRITER_HANDLERS) {
    registerCall(app, impl.call, (req, reply) => answer(impl, req, reply), {
      ...(deps.checkReplies === true ? { checkReplies: true } : {}),
    })
  }

  async function answer(impl: Implementation<WriterContext>, req: FastifyRequest, reply: FastifyReply) {
    const session = decodeSharedSession(req.headers[SESSION_HEADER])
    const received = JSON.stringify(session)
    let renew: Renewal | undefined
    const ctx: WriterContext = {
      ...services,
      session,
      verified: decodeVerifiedFacts(req.headers[VERIFIED_HEADER]),
      request: {
        id: req.id,
        ip: clientIpOf(req),
        log: req.log,
        acceptLanguage: req.headers['accept-language'],
      },
      renew: (how) => {
        renew = how
      },
    }
    let body: unknown
    try {
      body = await runPipeline(impl, req, reply, session, {}, ctx)
      counters.answered(impl.call, body)
    } finally {
      // Session changes go back even on an error answer (e.g. a pending link found gone).
      if (renew !== undefined || JSON.stringify(session) !== received) {
        reply.header(SESSION_HEADER, encodeHeader({ session, ...(renew !== undefined ? { renew } : {}) }))
      }
    }
    // The master's position now includes this call's writes: the reader waits for it before reading.
    reply.header(GTID_HEADER, await db.lastGtid())
    return body
  }

  // The reader's liveness probe of the database, as Persona's dbwriter also answered it.
  app.get('/wsapi/ping', async (_req, reply) => {
    reply.type('text/plain; charset=utf-8')
    try {
      await db.ping()
      return 'ok'
    } catch {
      return reply.code(500).send('fail')
    }
  })
  return app
}
