// SPDX-License-Identifier: MPL-2.0
// The certifier (Persona's bin/keysigner): one internal route that signs a user's public key into a
// BrowserID certificate for an address the reader has already checked. Only the reader may call it, and
// only this process reads the private key.
import {
  EMAIL_PATTERN,
  HOSTNAME_PATTERN,
  MAX_EMAIL_LENGTH,
  MAX_HOSTNAME_LENGTH,
} from '@persona/browserid/email'
import { createService, PersonaError, requireInternalToken } from '@persona/kit'
import { Type } from 'typebox'
import type { CertifierConfig } from './config.ts'
import { registerCertifierMetrics } from './metrics.ts'
import { loadSigner, type Signer } from './signer.ts'

export interface CertifierDeps {
  /** Replaces the key loaded from CERTIFIER_PRIVATE_KEY_FILE (tests). */
  readonly signer?: Signer
  readonly logger?: false
  /** Clock (ms) for `iat`. */
  readonly now?: () => number
}

const CertKeyBody = Type.Object(
  {
    email: Type.String({ pattern: EMAIL_PATTERN, maxLength: MAX_EMAIL_LENGTH }),
    pubkey: Type.String({ minLength: 50, maxLength: 10240 }),
    ephemeral: Type.Boolean(),
    forceIssuer: Type.Optional(Type.String({ pattern: HOSTNAME_PATTERN, maxLength: MAX_HOSTNAME_LENGTH })),
    unverified: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)

export async function buildApp(config: CertifierConfig, deps: CertifierDeps = {}) {
  // The key ring's reload messages go to the app's log once it exists.
  let logTo: { info(o: object, m: string): void; error(o: object, m: string): void } | undefined
  const loaded =
    deps.signer === undefined
      ? await loadSigner(config.CERTIFIER_PRIVATE_KEY_FILE, {
          info: (o, m) => logTo?.info(o, m),
          error: (o, m) => logTo?.error(o, m),
        })
      : undefined
  const signer = deps.signer ?? loaded
  if (signer === undefined) throw new Error('certifier: no signing key')
  const now = deps.now ?? Date.now
  const forcible = new Set(
    config.FORCIBLE_ISSUERS.split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  )
  const app = createService({
    name: 'certifier',
    logLevel: config.logLevel,
    trustProxy: false,
    bodyLimit: 16 * 1024,
    deepChecks: [{ name: 'signing-key', check: async () => signer.selfTest() }],
    ...(deps.logger === false ? { logger: false } : {}),
  })
  logTo = app.log
  app.addHook('onClose', async () => loaded?.keys.close())
  requireInternalToken(app, config.CERTIFIER_TOKEN)
  registerCertifierMetrics(app)

  app.post('/wsapi/cert_key', { schema: { body: CertKeyBody } }, async (req, reply) => {
    const body = req.body
    let issuer = config.ISSUER_DOMAIN
    if (body.forceIssuer !== undefined && body.forceIssuer !== 'default') {
      if (!forcible.has(body.forceIssuer)) {
        throw new PersonaError('ERR_BAD_REQUEST', 'Invalid issuer, unable to issue certificate')
      }
      issuer = body.forceIssuer
    }
    let publicKey: unknown
    try {
      publicKey = JSON.parse(body.pubkey)
    } catch {
      throw new PersonaError('ERR_BAD_REQUEST', 'pubkey: public key is not valid JSON')
    }
    const iat = now()
    const exp = iat + (body.ephemeral ? config.EPHEMERAL_CERT_VALIDITY_MS : config.CERT_VALIDITY_MS)
    let cert: string
    try {
      cert = await signer.sign({
        issuer,
        publicKey,
        email: body.email,
        unverified: body.unverified === true,
        iat,
        exp,
      })
    } catch (e) {
      throw new PersonaError('ERR_BAD_REQUEST', 'certification generation error: bad public key', {
        cause: e,
      })
    }
    req.log.info({ event: 'cert.issued', ephemeral: body.ephemeral, issuer }, 'cert.issued')
    return reply.type('text/plain; charset=utf-8').send(cert)
  })

  return app
}
