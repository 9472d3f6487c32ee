// SPDX-License-Identifier: MPL-2.0
// The verifier: POST /verify (and POST /) for relying sites, answering as Mozilla's verifier did:
// 200 {status:'okay', email, audience, expires, issuer} or 200 {status:'failure', reason}; 400 when
// assertion or audience is missing; 415 for a body type we don't read. Parsing and issuer resolution
// (support documents through the proxy, cached) run here; signature checks run in the crypto pool.
// POST /v2 (Mozilla's later API, trustedIssuers and idpClaims) is v2.ts, on the same core.
import formbody from '@fastify/formbody'
import {
  checkClaims,
  isFailure,
  type PublicKeyJSON,
  parseBundle,
  resolveIssuerKey,
  type SupportDocumentFetcher,
  type VerifyResult,
} from '@persona/browserid'
import {
  type OwnSupportDocument,
  openPublicKeys,
  ownSupportDocument,
  type PublicRing,
  trustedKeys,
} from '@persona/keys'
import { createService, type ServiceOptions } from '@persona/kit'
import { SupportDocumentClient } from '@persona/proxy/client'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { VERIFY_SCHEMA } from './api.ts'
import { CertificateCache } from './cert-cache.ts'
import type { VerifierConfig } from './config.ts'
import { type CryptoPool, createCryptoPool, PoolBusyError } from './crypto-pool.ts'
import { type LoadStats, type LoopSample, loopSampler, registerLoadShedding, TOO_BUSY } from './load-shed.ts'
import { registerVerifierMetrics } from './metrics.ts'
import { readParams } from './params.ts'
import { registerV2, trustedIssuerKeys } from './v2.ts'

export interface VerifierDeps {
  readonly logger?: ServiceOptions['logger']
  /** The verification clock; tests pin it. */
  readonly now?: () => number
  /** The cache of verified certificates (tests pass their own to read it); one of cfg.certCacheSize otherwise. */
  readonly certificates?: CertificateCache
  /** Receives the load-shedding counters (tests read them). */
  readonly onLoadStats?: (stats: LoadStats) => void
  /** Reads the event loop for load shedding (tests pass a stand-in). */
  readonly loopSample?: () => LoopSample
}

const ACCEPTED = 'application/x-www-form-urlencoded or application/json'

export async function buildApp(cfg: VerifierConfig, deps: VerifierDeps = {}) {
  // Read at boot (a missing or malformed key stops start-up rather than failing every request), then
  // re-read when the file changes: during a key rotation it trusts the current, next and previous keys.
  const keys = await openPublicKeys(cfg.publicKeyFile)
  let memo: { ring: PublicRing; trusted: PublicKeyJSON[]; own: OwnSupportDocument } | undefined
  const ours = () => {
    const ring = keys.ring
    if (memo?.ring !== ring) {
      memo = { ring, trusted: trustedKeys(ring).map((k) => k.toJSON()), own: ownSupportDocument(ring) }
    }
    return memo
  }
  const docs = new SupportDocumentClient({
    proxyUrl: cfg.proxyUrl,
    cache: {
      minTtlS: cfg.minTtlS,
      maxTtlS: cfg.maxTtlS,
      negativeTtlS: cfg.negativeTtlS,
      failureTtlS: cfg.failureTtlS,
      size: cfg.cacheSize,
    },
  })
  const pool: CryptoPool = createCryptoPool(cfg.workers, cfg.maxQueued)
  const now = deps.now ?? Date.now
  const certificates = deps.certificates ?? new CertificateCache(cfg.certCacheSize)

  // Our own domain's document is built from the key file, never fetched (the pages are the ones our
  // reader publishes in /.well-known/browserid).
  const fetchSupportDocument: SupportDocumentFetcher = async (domain) => {
    if (domain === cfg.issuerDomain) return ours().own
    const found = await docs.supportDocument(domain)
    if (found.kind === 'document') return found.document
    if (found.kind === 'none') return null
    throw new Error(found.reason)
  }

  async function verify(
    assertion: string,
    audience: string,
    force: string | undefined,
    allow: boolean,
    trusted: readonly string[] = [],
  ) {
    const parsed = parseBundle(assertion)
    if (isFailure(parsed)) return parsed
    // Expiry and audience first: a stale or misdirected assertion must not make us fetch anything.
    const claims = checkClaims(parsed, audience, now(), { skewMs: cfg.skewMs, allowUnverified: allow })
    if (claims !== null) return claims
    // An issuer the site trusts (v2's trustedIssuers) may certify any address with its own key.
    const resolved = trusted.includes(parsed.issuer)
      ? await trustedIssuerKeys(parsed.issuer, {
          fetchSupportDocument,
          ownIssuer: cfg.issuerDomain,
          ownKeys: ours().trusted,
        })
      : await resolveIssuerKey(parsed, {
          fetchSupportDocument,
          fallbackIssuer: cfg.issuerDomain,
          fallbackPublicKey: ours().trusted,
          // Only issuers the operator listed may be forced (Persona's forcible_issuers).
          ...(force === undefined ? {} : { forceIssuer: force, forcibleIssuers: cfg.forcibleIssuers }),
        })
    if (isFailure(resolved)) return resolved
    // A certificate verified before with the same issuer keys needs only the assertion's signature.
    const at = now()
    const certKey = CertificateCache.keyOf(parsed)
    const keysId = CertificateCache.keysId(resolved.publicKeys)
    const known = certificates.verified(certKey, keysId, at)
    const result: VerifyResult = await pool.run({
      parsed,
      publicKeys: resolved.publicKeys,
      audience,
      now: at,
      opts: { skewMs: cfg.skewMs, allowUnverified: allow, certificatesVerified: known },
    })
    if (result.status === 'okay' && !known) certificates.remember(certKey, keysId, parsed, at)
    return result
  }

  const app = createService({
    name: 'verifier',
    logLevel: cfg.logLevel,
    trustProxy: cfg.trustProxy,
    deepChecks: [],
    ...(deps.logger === undefined ? {} : { logger: deps.logger }),
  })
  app.addHook('onClose', async () => {
    keys.close()
    await Promise.all([pool.close(), docs.close()])
  })
  const noteResult = registerVerifierMetrics(app)

  await app.register(async (scope: FastifyInstance) => {
    const load = registerLoadShedding(
      scope,
      {
        maxPending: cfg.maxPending,
        maxLagMs: cfg.maxLagMs,
        retryAfterS: cfg.retryAfterS,
      },
      deps.loopSample ?? loopSampler(),
    )
    deps.onLoadStats?.(load)
    await scope.register(formbody, { bodyLimit: 64 * 1024 })
    // Only form and JSON bodies: anything else is a 415 that names what we accept.
    scope.removeContentTypeParser(['text/plain'])
    scope.setErrorHandler((err: FastifyError, req, reply) => {
      const status =
        typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500
          ? err.statusCode
          : 400
      const reason =
        status === 415
          ? `unsupported content type: use ${ACCEPTED}`
          : status === 413
            ? 'request body is too large'
            : err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError
              ? 'request body is not valid JSON'
              : 'bad request'
      req.log.info({ code: err.code, status }, 'verifier.request.rejected')
      return reply.code(status).send({ status: 'failure', reason })
    })

    const handler = async (req: FastifyRequest, reply: FastifyReply) => {
      const p = readParams(req.body, req.query)
      if (!p.ok) {
        reply.code(400)
        return { status: 'failure', reason: p.reason }
      }
      const { assertion, audience, forceIssuer, allowUnverified } = p.params
      let result: VerifyResult
      try {
        result = await verify(assertion, audience, forceIssuer, allowUnverified)
      } catch (e) {
        if (!(e instanceof PoolBusyError)) throw e
        load.shedByQueue++
        reply.code(503).header('retry-after', String(cfg.retryAfterS))
        return TOO_BUSY
      }
      noteResult(req, result)
      if (result.status === 'okay') {
        req.log.debug({ event: 'verifier.assertion.okay', issuer: result.issuer }, 'verifier.assertion.okay')
        return result
      }
      req.log.info(
        { event: 'verifier.assertion.rejected', reason: result.reason },
        'verifier.assertion.rejected',
      )
      return { status: 'failure', reason: result.reason }
    }
    // Answers are serialized by the schemas the public description is generated from (api.ts); the
    // parameters are read by readParams, whose reasons are Persona's.
    const verifyRoute = { schema: { response: VERIFY_SCHEMA.response } }
    scope.post('/verify', verifyRoute, handler)
    scope.post('/', verifyRoute, handler)
    const wrongMethod = async (_req: FastifyRequest, reply: FastifyReply) => {
      reply.code(405)
      reply.header('allow', 'POST')
      return { status: 'failure', reason: 'use POST' }
    }
    scope.get('/verify', wrongMethod)
    registerV2(scope, {
      verify: (assertion, audience, trusted) => verify(assertion, audience, undefined, false, trusted),
      load,
      retryAfterS: cfg.retryAfterS,
      noteResult,
    })
  })
  return app
}
