// SPDX-License-Identifier: MPL-2.0
// POST /v2, the API of Mozilla's later verifier (browserid-verifier lib/v2.js) beside /verify: JSON only,
// `assertion` and `audience`, and an optional `trustedIssuers` list whose members may certify any
// address (their own support document gives the key, no authority check for the address's domain). An
// okay answer also carries the certificate's extra claims (`idpClaims`) and the assertion's
// (`userClaims`), as browserid-local-verify extracted them. Verification itself is the /verify core.
import {
  type DecodedJws,
  isFailure,
  type PublicKeyJSON,
  parseBundle,
  resolveAuthority,
  type SupportDocumentFetcher,
  type VerifyFailure,
  type VerifyResult,
} from '@persona/browserid'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { V2_SCHEMA } from './api.ts'
import { PoolBusyError } from './crypto-pool.ts'
import { type LoadStats, TOO_BUSY } from './load-shed.ts'

const MAX_ASSERTION = 64 * 1024
const MAX_AUDIENCE = 2048
const MAX_TRUSTED = 100

/** Claims of the protocol itself; anything else in a certificate or assertion is an extra claim. */
const RESERVED = new Set([
  'iss',
  'sub',
  'aud',
  'exp',
  'nbf',
  'iat',
  'jti',
  'public-key',
  'pubkey',
  'principal',
])

/**
 * The non-protocol claims of a certificate or assertion payload, with `principal`'s own extra members
 * lifted up (never `email`, never over a top-level one); undefined when there are none.
 */
export function extraClaims(payload: Readonly<Record<string, unknown>>): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(payload)) if (!RESERVED.has(k)) out[k] = v
  const principal = payload.principal
  if (typeof principal === 'object' && principal !== null && !Array.isArray(principal)) {
    for (const [k, v] of Object.entries(principal)) {
      if (!RESERVED.has(k) && k !== 'email' && !(k in out)) out[k] = v
    }
  }
  return Object.keys(out).length > 0 ? out : undefined
}

export type IssuerKeys = { readonly issuer: string; readonly publicKeys: readonly PublicKeyJSON[] }

/**
 * The keys of an issuer the relying site trusts outright: ours for our own issuer, else whatever its
 * support document (after delegation) publishes.
 */
export async function trustedIssuerKeys(
  issuer: string,
  opts: {
    readonly fetchSupportDocument: SupportDocumentFetcher
    readonly ownIssuer: string
    readonly ownKeys: readonly PublicKeyJSON[]
  },
): Promise<IssuerKeys | VerifyFailure> {
  if (issuer === opts.ownIssuer.toLowerCase()) return { issuer, publicKeys: opts.ownKeys }
  const auth = await resolveAuthority(issuer, opts.fetchSupportDocument)
  if (isFailure(auth)) return auth
  if (auth.kind !== 'supported') {
    return {
      status: 'failure',
      code: 'ERR_NO_SUPPORT_DOCUMENT',
      reason: `trusted issuer '${issuer}' publishes no BrowserID key`,
    }
  }
  return { issuer, publicKeys: [auth.publicKey] }
}

type V2Params =
  | { readonly ok: true; readonly assertion: string; readonly audience: string; readonly trusted: string[] }
  | { readonly ok: false; readonly reason: string }

export function readV2Params(body: unknown): V2Params {
  const b = typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {}
  const get = (k: string): unknown => (k in b ? Reflect.get(b, k) : undefined)
  for (const field of ['assertion', 'audience']) {
    const v = get(field)
    if (v === undefined || v === null || v === '') return { ok: false, reason: `missing ${field} parameter` }
    if (typeof v !== 'string') return { ok: false, reason: `${field} must be a string` }
  }
  const assertion = String(get('assertion'))
  const audience = String(get('audience'))
  if (assertion.length > MAX_ASSERTION) return { ok: false, reason: 'assertion is too long' }
  if (audience.length > MAX_AUDIENCE) return { ok: false, reason: 'audience is too long' }
  const ti = get('trustedIssuers')
  if (ti === undefined || ti === null) return { ok: true, assertion, audience, trusted: [] }
  if (!Array.isArray(ti)) return { ok: false, reason: 'trusted issuers must be an array' }
  if (!ti.every((t) => typeof t === 'string')) {
    return { ok: false, reason: 'trusted issuers must be an array of strings' }
  }
  if (ti.length > MAX_TRUSTED) return { ok: false, reason: `at most ${MAX_TRUSTED} trusted issuers` }
  return { ok: true, assertion, audience, trusted: ti.map((t: string) => t.toLowerCase()) }
}

export interface V2Deps {
  /** The /verify core with a trusted-issuer list. */
  readonly verify: (assertion: string, audience: string, trusted: readonly string[]) => Promise<VerifyResult>
  readonly load: LoadStats
  readonly retryAfterS: number
  readonly noteResult: (req: FastifyRequest, r: VerifyResult) => void
}

/** Registers POST /v2 (and 405 for GET) in the verifier's request scope (load shedding, error shapes). */
export function registerV2(scope: FastifyInstance, deps: V2Deps): void {
  scope.post(
    '/v2',
    { schema: { response: V2_SCHEMA.response } },
    async (req: FastifyRequest, reply: FastifyReply) => {
      const type = String(req.headers['content-type'] ?? 'none')
      if (!type.startsWith('application/json')) {
        reply.code(415)
        return {
          status: 'failure',
          reason: `Unsupported Content-Type: ${type.slice(0, 100)} (expected application/json)`,
        }
      }
      const p = readV2Params(req.body)
      if (!p.ok) {
        reply.code(400)
        return { status: 'failure', reason: p.reason }
      }
      let result: VerifyResult
      try {
        result = await deps.verify(p.assertion, p.audience, p.trusted)
      } catch (e) {
        if (!(e instanceof PoolBusyError)) throw e
        deps.load.shedByQueue++
        reply.code(503).header('retry-after', String(deps.retryAfterS))
        return TOO_BUSY
      }
      deps.noteResult(req, result)
      if (result.status !== 'okay') {
        req.log.info(
          { event: 'verifier.assertion.rejected', api: 2, reason: result.reason },
          'verifier.assertion.rejected',
        )
        return { status: 'failure', reason: result.reason }
      }
      // Verified, so it parses: the claims come from the very certificate and assertion just checked.
      const parsed = parseBundle(p.assertion)
      const claims = isFailure(parsed) ? undefined : parsed
      const leaf: DecodedJws | undefined = claims?.certs[claims.certs.length - 1]
      const idpClaims = leaf ? extraClaims(leaf.payload) : undefined
      const userClaims = claims ? extraClaims(claims.assertion.payload) : undefined
      return {
        ...result,
        ...(idpClaims ? { idpClaims } : {}),
        ...(userClaims ? { userClaims } : {}),
      }
    },
  )
  scope.get('/v2', async (_req, reply) => {
    reply.code(405).header('allow', 'POST')
    return { status: 'failure', reason: 'use POST' }
  })
}
