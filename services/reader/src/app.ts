// SPDX-License-Identifier: MPL-2.0
// The reader (Persona's bin/browserid): every /wsapi call, routed from the calls' declarations. Each runs
// the wsapi pipeline (read-your-writes wait, session expiry, CSRF, auth level, arguments), then its
// handler: the reader's own (calls/) for the calls that do not write, the writer for those that do.
import formbody from '@fastify/formbody'
import rateLimit from '@fastify/rate-limit'
import secureSession from '@fastify/secure-session'
import { createService, InternalClient, PersonaError } from '@persona/kit'
import { defaultHashConcurrency, PasswordHasher } from '@persona/kit/password-hash'
import { SupportDocumentClient } from '@persona/proxy/client'
import { openReaderDb, type ReaderDb, type ReplicaStore, replicaStore } from '@persona/store'
import { registerDbMetrics } from '@persona/store/metrics'
import {
  CHECK_IDP,
  CSRF_HEADER,
  FORWARDED_CALLS,
  type Implementation,
  registerCall,
  runPipeline,
  type Stages,
  type StoredSession,
  WSAPI_BY_NAME,
  type WsapiCall,
} from '@persona/wsapi'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { type AssertionChecker, assertionChecker } from './assertions.ts'
import { READER_HANDLERS } from './calls/index.ts'
import type { ReaderConfig } from './config.ts'
import { implement, type ReaderContext, type ReaderServices } from './context.ts'
import { registerFedcm, registerLoginStatus } from './fedcm/index.ts'
import { loadOwnIdentity } from './identity.ts'
import { registerReaderMetrics } from './metrics.ts'
import {
  cookieName,
  endSignIn,
  loadSession,
  resetSession,
  rotateCsrfOnSignIn,
  saveSession,
  sessionKeys,
} from './session.ts'
import { WriterLink } from './writer-link.ts'

export interface ReaderDeps {
  readonly replica?: ReplicaStore
  /** bcrypt (tests watch what it compares); else one pool of BCRYPT_CONCURRENCY threads. */
  readonly hasher?: PasswordHasher
  readonly assertions?: AssertionChecker
  readonly logger?: false
  readonly now?: () => number
  /** Check every 200 answer against its call's declared reply (tests). */
  readonly checkReplies?: boolean
}

/** A writing call with nothing for the reader to add: the pipeline has passed, the writer does the rest. */
function handedToWriter(call: WsapiCall): Implementation<ReaderContext> {
  return implement(call)((ctx) => ctx.writer.call(call, ctx.args))
}

/** Every public call the reader answers: its own handlers, then the writing calls it hands over. */
function implementations(): Implementation<ReaderContext>[] {
  const own = new Set<WsapiCall>(READER_HANDLERS.map((h) => h.call))
  return [...READER_HANDLERS, ...FORWARDED_CALLS.filter((c) => !own.has(c)).map(handedToWriter)]
}

/** The replica: the given store (tests), else the store's over a pool it opens (also returned). */
function openReplica(
  cfg: ReaderConfig,
  given: ReplicaStore | undefined,
): { replica: ReplicaStore; db?: ReaderDb } {
  if (given !== undefined) return { replica: given }
  const db = openReaderDb(cfg)
  return { replica: replicaStore(db), db }
}

export async function buildApp(cfg: ReaderConfig, deps: ReaderDeps = {}) {
  const now = deps.now ?? Date.now
  const { replica, db } = openReplica(cfg, deps.replica)
  const proxy = new SupportDocumentClient({ proxyUrl: cfg.upstream.proxy })
  // The IdP checker asks the proxy afresh (a few seconds of single-flight cache only): an operator who
  // just fixed a document must see the fix, whatever the shared cache still holds.
  const idpCheck = new SupportDocumentClient({
    proxyUrl: cfg.upstream.proxy,
    cache: { minTtlS: 0, maxTtlS: 5, negativeTtlS: 5, failureTtlS: 5, size: 1000 },
  })
  const writer = new WriterLink(cfg.upstream.writer, cfg.WRITER_TOKEN, cfg.AUTH_DURATION_MS)
  const certifier = new InternalClient('certifier', cfg.upstream.certifier)
  const own = await loadOwnIdentity(cfg.PUBLIC_KEY_FILE, cfg.PUBLIC_URL)
  const services: ReaderServices = {
    cfg,
    replica,
    certifier,
    proxy,
    idpCheck,
    hasher:
      deps.hasher ??
      new PasswordHasher({
        rounds: cfg.BCRYPT_ROUNDS,
        concurrency: cfg.BCRYPT_CONCURRENCY ?? defaultHashConcurrency(),
        maxQueue: cfg.BCRYPT_MAX_QUEUE,
      }),
    assertions:
      deps.assertions ??
      assertionChecker({
        proxy,
        audience: own.origin,
        now,
        disablePrimarySupport: cfg.DISABLE_PRIMARY_SUPPORT,
      }),
    own,
  }

  const app = createService({
    name: 'reader',
    logLevel: cfg.logLevel,
    trustProxy: cfg.trustProxy,
    // Persona's router capped bodies at 10 KB; assertions and keys fit well within it.
    bodyLimit: 16 * 1024,
    deepChecks: [
      { name: 'db-replica', check: () => replica.ping() },
      { name: 'writer', check: () => writer.ping() },
      { name: 'certifier', check: () => pingService(certifier) },
    ],
    ...(deps.logger === false ? { logger: false } : {}),
  })
  const counters = registerReaderMetrics(app, services.hasher)
  const stopDbMetrics = db === undefined ? undefined : registerDbMetrics(app.metrics, db)
  app.addHook('onClose', async () => {
    stopDbMetrics?.()
    own.close()
    await Promise.allSettled([
      replica.close(),
      writer.close(),
      certifier.close(),
      proxy.close(),
      idpCheck.close(),
    ])
  })

  await app.register(formbody)
  const secure = cfg.COOKIE_SECURE
  await app.register(secureSession, {
    key: sessionKeys(cfg.SESSION_SECRET),
    cookieName: cookieName(cfg.PUBLIC_URL),
    expiry: Math.floor(cfg.AUTH_DURATION_MS / 1000),
    cookie: {
      path: '/wsapi',
      httpOnly: true,
      secure,
      // 'none' lets the communication iframe (embedded in relying sites) see the session; CSRF tokens,
      // not SameSite, protect the POSTs. Browsers refuse 'none' without Secure, so dev uses 'lax'.
      sameSite: cfg.COOKIE_SAMESITE ?? (secure ? 'none' : 'lax'),
      maxAge: Math.floor(cfg.AUTH_DURATION_MS / 1000),
    },
  })
  registerLoginStatus(app, now)
  await app.register(rateLimit, { global: false })
  // Per-IP budgets. Each app.rateLimit() hook has its own counter store, so every call that sends mail
  // shares one budget: an attacker can't get a fresh allowance by switching from stage_user to stage_reset.
  // Sign-in attempts are counted on arrival (before bcrypt); the mail budget only once a call has passed
  // every check (the pipeline's `admitted` stage), so a request refused for its CSRF token, its sign-in
  // or its arguments sends no mail and spends none.
  const signinLimit = app.rateLimit({ max: cfg.RATE_SIGNIN_PER_MIN, timeWindow: 60_000 })
  const mailLimit = app.rateLimit({ max: cfg.RATE_EMAIL_PER_HOUR, timeWindow: 3_600_000 })
  // check_idp makes the proxy fetch other domains' documents (up to 7 per check, barely cached).
  const idpCheckLimit = app.rateLimit({ max: cfg.RATE_IDP_CHECK_PER_MIN, timeWindow: 60_000 })
  // Limits taken on arrival (the mail budget is taken in the pipeline, see above).
  const limitOf = (call: WsapiCall) =>
    call.name === 'authenticate_user' ? signinLimit : call === CHECK_IDP ? idpCheckLimit : undefined

  const stages: Stages<StoredSession> = {
    replicaWait: async (session) => {
      // Read-your-writes: this browser's last write must be on the replica before we read.
      if (session.gtid === undefined) return
      await replica.waitForGtid(session.gtid)
      delete session.gtid
    },
    expiry: async (session, _call, req) => {
      if (session.userid === undefined) return
      if (session.authExpires !== undefined && session.authExpires <= now()) return endSignIn(session)
      const user = await replica.account(session.userid)
      // An account that is gone signs the browser out; one whose sessions were revoked (logout,
      // password change, reset) ends this one entirely, CSRF token included (Persona's checkExpiredSession).
      if (user === undefined) endSignIn(session)
      else if (user.sessionGeneration !== session.generation) {
        counters.revokedSession(req, user.id)
        resetSession(session)
      }
    },
    csrf: (session) => session.csrf,
    csrfFailed: (req, reason) => counters.csrfFailed(req, reason),
    admitted: async (call, req, reply) => {
      // The rate-limit hook throws its 429 when the budget is spent.
      if (call.sendsEmail) await mailLimit.call(app, req, reply)
    },
  }

  for (const impl of implementations()) {
    const call = impl.call
    const limit = limitOf(call)
    registerCall(app, call, (req, reply) => answer(impl, req, reply), {
      ...(limit !== undefined ? { onRequest: limit } : {}),
      ...(deps.checkReplies === true ? { checkReplies: true } : {}),
    })
  }

  async function answer(impl: Implementation<ReaderContext>, req: FastifyRequest, reply: FastifyReply) {
    reply.header('cache-control', 'no-cache, max-age=0')
    const session = loadSession(req.session)
    const loaded = JSON.stringify(session)
    const at = now()
    const ctx: ReaderContext = {
      ...services,
      session,
      now: at,
      request: {
        id: req.id,
        ip: req.ip,
        userAgent: req.headers['user-agent'] ?? '',
        cookiesWork: req.cookies?.can_set_cookies !== undefined,
        log: req.log,
      },
      writer: writer.for({
        session,
        requestId: req.id,
        clientIp: req.ip,
        acceptLanguage: req.headers['accept-language'],
        now,
      }),
      setStatus: (code) => {
        reply.code(code)
      },
    }
    const before = structuredClone(session)
    try {
      const body = await runPipeline(impl, req, reply, session, stages, ctx)
      counters.answered(req, impl.call, body)
      if (impl.call.contentType === 'text/plain') reply.type('text/plain; charset=utf-8')
      return body
    } finally {
      rotateCsrfOnSignIn(before, session)
      if (session.csrf !== undefined && session.csrf !== before.csrf) reply.header(CSRF_HEADER, session.csrf)
      saveSession(req.session, session, loaded)
    }
  }

  // Unknown calls and wrong methods get Persona's 400; internal calls are not ours to expose (404).
  app.all('/wsapi/*', async (req) => {
    const name = req.url.split('?')[0]?.slice('/wsapi/'.length) ?? ''
    if (WSAPI_BY_NAME.get(name)?.internal === true) throw new PersonaError('ERR_NOT_FOUND', 'Not Found')
    throw new PersonaError('ERR_BAD_REQUEST', 'no such api')
  })

  // Persona as a FedCM identity provider (fedcm/); its exact paths win over the /wsapi/* catch-all.
  registerFedcm(app, services, now)

  // Our own support document: the certifier's key, our sign-in and provisioning pages; during a key
  // rotation also the next key, published before anything is signed with it.
  app.get('/.well-known/browserid', async (_req, reply) => {
    reply.header('cache-control', 'public, max-age=10')
    return own.supportDocument
  })
  // The same keys as a JWKS (current, next, previous), for tools that speak JWK.
  let jwks: { ring: unknown; doc: Promise<unknown> } | undefined
  app.get('/.well-known/jwks.json', async (_req, reply) => {
    reply.header('cache-control', 'public, max-age=10')
    if (jwks?.ring !== own.ring) {
      // node-jose (and node-forge under it) is loaded on the first request, not at start-up: it would
      // double the reader's start time for a document few ask for.
      const ring = own.ring
      jwks = { ring, doc: import('@persona/keys/jwk').then((m) => m.jwksOf(ring)) }
    }
    return jwks.doc
  })

  return app
}

async function pingService(c: InternalClient): Promise<void> {
  const res = await c.call('/__lbheartbeat__', { method: 'GET', timeoutMs: 2000 })
  if (res.status !== 200) throw new Error(`answered ${res.status}`)
}
