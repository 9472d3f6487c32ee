// SPDX-License-Identifier: MPL-2.0
// The reader (Persona's bin/browserid): every /wsapi call, routed from the @persona/wsapi table. Reads
// are answered from the replica; writing calls are forwarded to the writer and cert_key goes to the
// certifier. The pipeline per call: read-your-writes wait, session expiry, CSRF, auth level, arguments.
import formbody from '@fastify/formbody'
import rateLimit from '@fastify/rate-limit'
import secureSession from '@fastify/secure-session'
import { openPublicKeys } from '@persona/keys'
import { createService, InternalClient, PersonaError } from '@persona/kit'
import { SupportDocumentClient } from '@persona/proxy/client'
import { openReaderDb } from '@persona/store'
import {
  defaultHashConcurrency,
  FORWARDED_CALLS,
  PasswordHasher,
  READER_CALLS,
  validateArgs,
  WSAPI_BY_NAME,
  type WsapiCall,
} from '@persona/wsapi'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { type AssertionChecker, assertionChecker } from './assertions.ts'
import type { ReaderConfig } from './config.ts'
import { type Ctx, type Handler, type ReaderEnv, writerCallOf } from './context.ts'
import type { ReaderData } from './data.ts'
import { addressInfo } from './handlers-address.ts'
import {
  authenticateUser,
  authWithAssertion,
  certKey,
  checkAssertionArg,
  interactionData,
  logout,
  prolongSession,
} from './handlers-auth.ts'
import {
  discovery,
  emailAdditionStatus,
  emailForToken,
  emailReverifyStatus,
  haveEmail,
  listEmails,
  ping,
  resetStatus,
  sessionContext,
  userCreationStatus,
} from './handlers-status.ts'
import { discover } from './primary.ts'
import { cookieName, hasLevel, resetSession, sessionKeys } from './session.ts'
import { storeReaderData } from './store-data.ts'
import { WriterLink } from './writer-link.ts'

export interface ReaderDeps {
  readonly data?: ReaderData
  readonly assertions?: AssertionChecker
  readonly logger?: false
  readonly now?: () => number
}

const LOCAL: Readonly<Record<string, Handler>> = {
  session_context: sessionContext,
  address_info: addressInfo,
  have_email: haveEmail,
  email_for_token: emailForToken,
  user_creation_status: userCreationStatus,
  email_addition_status: emailAdditionStatus,
  password_reset_status: resetStatus,
  email_reverify_status: emailReverifyStatus,
  transition_status: resetStatus,
  list_emails: listEmails,
  ping,
  discovery,
  authenticate_user: authenticateUser,
  auth_with_assertion: authWithAssertion,
  cert_key: certKey,
  logout,
  prolong_session: prolongSession,
  interaction_data: interactionData,
}

/** A writing call: the reader's checks are done, the writer does the rest; its answer goes back as is. */
function forwarder(call: WsapiCall): Handler {
  return async (ctx, env) => {
    let verified: { email: string; issuer: string } | undefined
    if (call.name === 'add_email_with_assertion') {
      const checked = await checkAssertionArg(ctx, env)
      if (!checked.ok) return { success: false, reason: checked.reason }
      verified = { email: checked.email, issuer: checked.issuer }
    }
    if (call.name === 'used_address_as_primary') {
      const email = String(ctx.args.email)
      const d = await discover(env.proxy, email.slice(email.lastIndexOf('@') + 1), {
        requestId: ctx.req.id,
        ownDomain: env.ownDomain,
      })
      if (d.kind !== 'primary') throw new PersonaError('ERR_BAD_REQUEST', 'email is not a primary')
    }
    const res = await env.writer.call({
      ...writerCallOf(ctx),
      name: call.name,
      method: call.method,
      args: ctx.args,
      ...(verified !== undefined ? { verified } : {}),
    })
    ctx.reply.code(res.status)
    if (typeof res.body === 'string') ctx.reply.type('text/plain; charset=utf-8')
    return res.body
  }
}

export async function buildApp(cfg: ReaderConfig, deps: ReaderDeps = {}) {
  const now = deps.now ?? Date.now
  const data = deps.data ?? storeReaderData(openReaderDb(cfg))
  const proxy = new SupportDocumentClient({ proxyUrl: cfg.upstream.proxy })
  const writer = new WriterLink(cfg.upstream.writer, cfg.WRITER_TOKEN, cfg.AUTH_DURATION_MS, now)
  const certifier = new InternalClient('certifier', cfg.upstream.certifier)
  // The certifier's public keys, re-read when the file changes (key rotation).
  const keys = await openPublicKeys(cfg.PUBLIC_KEY_FILE)
  const publicUrl = new URL(cfg.PUBLIC_URL)
  const env: ReaderEnv = {
    cfg,
    data,
    writer,
    certifier,
    proxy,
    hasher: new PasswordHasher({
      rounds: cfg.BCRYPT_ROUNDS,
      concurrency: cfg.BCRYPT_CONCURRENCY ?? defaultHashConcurrency(),
      maxQueue: cfg.BCRYPT_MAX_QUEUE,
    }),
    assertions:
      deps.assertions ??
      assertionChecker({
        proxy,
        audience: publicUrl.origin,
        now,
        disablePrimarySupport: cfg.DISABLE_PRIMARY_SUPPORT,
      }),
    get publicKey() {
      return keys.ring.current.toJSON()
    },
    get keyCreatedAt() {
      return Math.floor(keys.mtimeMs)
    },
    issuer: publicUrl.host,
    ownDomain: publicUrl.hostname,
    now,
  }

  const app = createService({
    name: 'reader',
    logLevel: cfg.logLevel,
    trustProxy: cfg.trustProxy,
    // Persona's router capped bodies at 10 KB; assertions and keys fit well within it.
    bodyLimit: 16 * 1024,
    deepChecks: [
      { name: 'db-replica', check: () => data.ping() },
      { name: 'writer', check: () => writer.ping() },
      { name: 'certifier', check: () => pingService(certifier) },
    ],
    ...(deps.logger === false ? { logger: false } : {}),
  })
  app.addHook('onClose', async () => {
    keys.close()
    await Promise.allSettled([data.close(), writer.close(), certifier.close(), proxy.close()])
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
  await app.register(rateLimit, { global: false })
  // Per-IP budgets. Each app.rateLimit() hook has its own counter store, so every call that sends mail
  // shares one budget: an attacker can't get a fresh allowance by switching from stage_user to stage_reset.
  const signinLimit = app.rateLimit({ max: cfg.RATE_SIGNIN_PER_MIN, timeWindow: 60_000 })
  const mailLimit = app.rateLimit({ max: cfg.RATE_EMAIL_PER_HOUR, timeWindow: 3_600_000 })

  const register = (call: WsapiCall, handler: Handler) => {
    const limit = call.name === 'authenticate_user' ? signinLimit : call.sendsEmail ? mailLimit : undefined
    app.route({
      method: call.method,
      url: `/wsapi/${call.name}`,
      ...(limit !== undefined ? { onRequest: limit } : {}),
      handler: async (req, reply) => runCall(call, handler, req, reply, env),
    })
  }
  for (const call of READER_CALLS) {
    const h = LOCAL[call.name]
    if (h === undefined) throw new Error(`reader has no handler for ${call.name}`)
    register(call, h)
  }
  for (const call of FORWARDED_CALLS) register(call, forwarder(call))

  // Unknown calls and wrong methods get Persona's 400; internal calls are not ours to expose (404).
  app.all('/wsapi/*', async (req) => {
    const name = req.url.split('?')[0]?.slice('/wsapi/'.length) ?? ''
    const known = WSAPI_BY_NAME.get(name)
    if (known?.internal === true) throw new PersonaError('ERR_NOT_FOUND', 'Not Found')
    throw new PersonaError('ERR_BAD_REQUEST', 'no such api')
  })

  // Our own support document: the certifier's key, our sign-in and provisioning pages; during a key
  // rotation also the next key, published before anything is signed with it.
  app.get('/.well-known/browserid', async (_req, reply) => {
    reply.header('cache-control', 'public, max-age=10')
    const ring = keys.ring
    return {
      'public-key': ring.current.toJSON(),
      ...(ring.next === undefined ? {} : { 'next-public-key': ring.next.toJSON() }),
      authentication: '/sign_in',
      provisioning: '/provision',
    }
  })
  // The same keys as a JWKS (current, next, previous), for tools that speak JWK.
  let jwks: { ring: unknown; doc: Promise<unknown> } | undefined
  app.get('/.well-known/jwks.json', async (_req, reply) => {
    reply.header('cache-control', 'public, max-age=10')
    if (jwks?.ring !== keys.ring) {
      // node-jose (and node-forge under it) is loaded on the first request, not at start-up: it would
      // double the reader's start time for a document few ask for.
      const ring = keys.ring
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

async function runCall(
  call: WsapiCall,
  handler: Handler,
  req: FastifyRequest,
  reply: FastifyReply,
  env: ReaderEnv,
): Promise<unknown> {
  reply.header('cache-control', 'no-cache, max-age=0')
  const s = req.session
  const now = env.now()
  // Read-your-writes: this browser's last write must be on the replica before we read.
  const gtid = s.get('gtid')
  if (gtid !== undefined) {
    await env.data.waitForGtid(gtid)
    s.set('gtid', undefined)
  }
  // A sign-in made before the password last changed has ended (Persona's checkExpiredSession).
  const userid = s.get('userid')
  if (userid !== undefined) {
    const user = await env.data.userById(userid)
    if (user === undefined) {
      if (call.name !== 'session_context') resetSession(s)
    } else if (user.lastPasswordReset !== s.get('lastPasswordReset')) {
      resetSession(s)
    }
  }
  const raw: unknown = call.method === 'GET' ? req.query : (req.body ?? {})
  if (call.method === 'POST') {
    const sessionCsrf = s.get('csrf')
    if (sessionCsrf === undefined) throw new PersonaError('ERR_FORBIDDEN', 'no cookie')
    const sent = typeof raw === 'object' && raw !== null && 'csrf' in raw ? raw.csrf : undefined
    if (sent !== sessionCsrf) throw new PersonaError('ERR_FORBIDDEN', 'CSRF violation')
  }
  if (call.auth !== false && !hasLevel(s, call.auth, now)) {
    throw new PersonaError('ERR_UNAUTHORIZED', 'requires authentication')
  }
  const v = validateArgs(call, raw, call.method === 'GET')
  if (!v.ok) throw new PersonaError('ERR_BAD_REQUEST', v.reason)
  const ctx: Ctx = { req, reply, s, args: v.args, now }
  return handler(ctx, env)
}
