// SPDX-License-Identifier: MPL-2.0
// verifier settings. It trusts our own fallback IdP through the public key file the certifier's key
// setup writes (never a private key), and every other domain through the proxy.
import { availableParallelism } from 'node:os'
import { defineServiceConfig } from '@persona/kit'
import { Type } from 'typebox'

export const CONFIG = defineServiceConfig(
  'verifier',
  {
    PUBLIC_KEY_FILE: Type.String({
      minLength: 1,
      description: "our fallback IdP's public key (BrowserID JSON)",
    }),
    ISSUER_DOMAIN: Type.String({
      minLength: 1,
      description: 'domain of our fallback IdP (issuer of its certs)',
    }),
    VERIFIER_FORCIBLE_ISSUERS: Type.String({
      default: '',
      description:
        'comma-separated issuers a relying site may name in experimental_forceIssuer (Persona: forcible_issuers); empty refuses it',
    }),
    VERIFIER_MODE: Type.Union([Type.Literal('cluster'), Type.Literal('pool')], {
      default: 'cluster',
      description: 'cluster: one process per worker, inline crypto; pool: one process, piscina threads',
    }),
    VERIFIER_WORKERS: Type.Integer({
      minimum: 0,
      maximum: 256,
      default: 0,
      description: 'processes (cluster) or threads (pool) doing crypto; 0 = one per core',
    }),
    VERIFIER_SKEW_MS: Type.Integer({
      minimum: 0,
      maximum: 600000,
      default: 60000,
      description: 'clock skew tolerated on iat/exp (the protocol library default)',
    }),
    VERIFIER_CERT_CACHE_SIZE: Type.Integer({
      minimum: 0,
      maximum: 10_000_000,
      default: 100_000,
      description:
        'verified certificates kept per process (about 200 bytes each) so a returning certificate costs one signature check; 0 turns the cache off',
    }),
    VERIFIER_MAX_PENDING: Type.Integer({
      minimum: 0,
      maximum: 100_000,
      default: 128,
      description:
        'verifications under way per process (waiting for a support document or a crypto thread) beyond which /verify answers 503 too busy with Retry-After; 0 = no limit',
    }),
    VERIFIER_MAX_QUEUED: Type.Integer({
      minimum: 0,
      maximum: 100_000,
      default: 32,
      description:
        'verifications waiting per process for its CPU (or, in pool mode, a crypto thread) beyond which /verify answers 503 too busy with Retry-After at once (Mozilla: 30 queued jobs); 0 = no limit',
    }),
    VERIFIER_MAX_LAG_MS: Type.Integer({
      minimum: 0,
      maximum: 10_000,
      default: 0,
      description:
        'event-loop delay (ms) which, sustained while the loop is busy with requests, makes /verify shed a growing share with 503 too busy; 0 = never (default: on a shared host the delay measures the neighbours too)',
    }),
    VERIFIER_RETRY_AFTER_S: Type.Integer({
      minimum: 1,
      maximum: 3600,
      default: 1,
      description: 'Retry-After (seconds) sent with a 503 too busy',
    }),
    SUPPORT_DOC_MIN_TTL_S: Type.Integer({
      minimum: 0,
      default: 60,
      description: 'shortest cache of a document',
    }),
    SUPPORT_DOC_MAX_TTL_S: Type.Integer({
      minimum: 1,
      default: 21600,
      description: 'longest cache of a document',
    }),
    SUPPORT_DOC_NEGATIVE_TTL_S: Type.Integer({
      minimum: 0,
      default: 30,
      description: 'cache of "no document" answers',
    }),
    SUPPORT_DOC_FAILURE_TTL_S: Type.Integer({
      minimum: 0,
      default: 5,
      description:
        'cache of failed fetches: short, so a blip does not last, but an unreachable IdP is not hammered',
    }),
    SUPPORT_DOC_CACHE_SIZE: Type.Integer({ minimum: 1, default: 10000, description: 'domains kept' }),
  },
  (c) => ({
    proxyUrl: c.upstream.proxy,
    publicKeyFile: c.PUBLIC_KEY_FILE,
    issuerDomain: c.ISSUER_DOMAIN.toLowerCase(),
    forcibleIssuers: c.VERIFIER_FORCIBLE_ISSUERS.split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
    mode: c.VERIFIER_MODE,
    workers: c.VERIFIER_WORKERS === 0 ? availableParallelism() : c.VERIFIER_WORKERS,
    skewMs: c.VERIFIER_SKEW_MS,
    certCacheSize: c.VERIFIER_CERT_CACHE_SIZE,
    maxPending: c.VERIFIER_MAX_PENDING,
    maxQueued: c.VERIFIER_MAX_QUEUED,
    maxLagMs: c.VERIFIER_MAX_LAG_MS,
    retryAfterS: c.VERIFIER_RETRY_AFTER_S,
    minTtlS: c.SUPPORT_DOC_MIN_TTL_S,
    maxTtlS: Math.max(c.SUPPORT_DOC_MAX_TTL_S, c.SUPPORT_DOC_MIN_TTL_S),
    negativeTtlS: c.SUPPORT_DOC_NEGATIVE_TTL_S,
    failureTtlS: c.SUPPORT_DOC_FAILURE_TTL_S,
    cacheSize: c.SUPPORT_DOC_CACHE_SIZE,
  }),
)

export type VerifierConfig = ReturnType<typeof CONFIG.load>

/** @throws {ConfigError} */
export function verifierConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): VerifierConfig {
  return CONFIG.load(env)
}
