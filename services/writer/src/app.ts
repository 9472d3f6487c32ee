// SPDX-License-Identifier: MPL-2.0
// The writer (Persona's bin/dbwriter): the wsapi calls that write, built from the @persona/wsapi table,
// reachable only with the writer token. The session comes from the reader in `x-persona-session`;
// changes to it go back in the same header, with the master's GTID in `x-persona-gtid`.
import { createService, PersonaError, requireInternalToken } from '@persona/kit'
import {
  EmailsWriter,
  IdpsWriter,
  openWriterDb,
  StagedWriter,
  UsersWriter,
  type WriterDb,
} from '@persona/store'
import {
  decodeSessionState,
  decodeVerifiedFacts,
  defaultHashConcurrency,
  encodeHeader,
  GTID_HEADER,
  PasswordHasher,
  SESSION_HEADER,
  VERIFIED_HEADER,
  validateArgs,
  WRITER_CALLS,
  type WsapiCall,
} from '@persona/wsapi'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { WriterConfig } from './config.ts'
import { patchBuilder, type WCtx, type WHandler } from './context.ts'
import type { WriterEnv } from './env.ts'
import { WRITER_HANDLERS } from './handlers.ts'
import { Mailer } from './mailer.ts'

/** How often expired staged tokens are deleted. */
const STAGED_SWEEP_MS = 10 * 60_000

export interface WriterDeps {
  readonly db?: WriterDb
  readonly mailer?: Mailer
  readonly logger?: false
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
  const env: WriterEnv = {
    cfg,
    db,
    users: new UsersWriter(db),
    emails: new EmailsWriter(db),
    staged: new StagedWriter(db, {
      tokenLifetimeMs: cfg.STAGED_TOKEN_LIFETIME_MS,
    }),
    idps: new IdpsWriter(db),
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
  // Expired staged tokens can never complete; sweep them so the table stays small. Each writer
  // instance sweeps in small batches; doing it on several hosts at once is harmless.
  const sweep = setInterval(() => {
    env.staged.deleteExpired(1000).then(
      (n) => {
        if (n > 0) app.log.info({ event: 'writer.staged.swept', deleted: n }, 'writer.staged.swept')
      },
      (err: unknown) => app.log.warn({ err }, 'writer.staged.sweep_failed'),
    )
  }, STAGED_SWEEP_MS)
  sweep.unref()
  app.addHook('onClose', async () => {
    clearInterval(sweep)
    mailer.close()
    await db.close()
  })

  for (const call of WRITER_CALLS) {
    const handler = WRITER_HANDLERS[call.name]
    if (handler === undefined) throw new Error(`writer has no handler for ${call.name}`)
    app.route({
      method: call.method,
      url: `/wsapi/${call.name}`,
      handler: async (req, reply) => runCall(call, handler, req, reply, env),
    })
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

async function runCall(
  call: WsapiCall,
  handler: WHandler,
  req: FastifyRequest,
  reply: FastifyReply,
  env: WriterEnv,
): Promise<unknown> {
  const state = decodeSessionState(req.headers[SESSION_HEADER])
  if (call.auth !== false) {
    const ok = state.userid !== undefined && (call.auth === 'assertion' || state.auth_level === 'password')
    if (!ok) throw new PersonaError('ERR_UNAUTHORIZED', 'requires authentication')
  }
  const raw: unknown = call.method === 'GET' ? req.query : (req.body ?? {})
  const v = validateArgs(call, raw, call.method === 'GET')
  if (!v.ok) throw new PersonaError('ERR_BAD_REQUEST', v.reason)
  const ctx: WCtx = {
    req,
    reply,
    args: v.args,
    state,
    verified: decodeVerifiedFacts(req.headers[VERIFIED_HEADER]),
    patch: patchBuilder(),
  }
  let body: unknown
  try {
    body = await handler(ctx, env)
  } finally {
    // Session changes go back even on an error answer (e.g. a cleared pending token).
    const patch = ctx.patch.build()
    if (patch !== undefined) reply.header(SESSION_HEADER, encodeHeader(patch))
  }
  // The master's position now includes this call's writes: the reader waits for it before reading.
  reply.header(GTID_HEADER, await env.db.lastGtid())
  return body
}
