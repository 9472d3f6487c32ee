// SPDX-License-Identifier: MPL-2.0
// The certifier call: a public key and an address the reader has already checked, signed into an
// identity certificate. One place for cert_key and for FedCM's ID assertion endpoint.
import { PersonaError } from '@persona/kit'
import type { ReaderServices } from './context.ts'

export interface CertifyRequest {
  readonly email: string
  /** The public key as BrowserID's JSON text. */
  readonly pubkey: string
  /** Short-lived certificate (1 h) rather than the full length. */
  readonly ephemeral: boolean
  readonly forceIssuer?: string
  /** Certify as `unverified-email` (Persona's allowUnverified flow). */
  readonly unverified: boolean
  readonly requestId: string
}

/**
 * The certificate, as the certifier signed it.
 * @throws {PersonaError} ERR_BAD_REQUEST (a key the certifier refused), ERR_INTERNAL (unreachable),
 * ERR_BAD_GATEWAY (any other answer)
 */
export async function certify(
  env: Pick<ReaderServices, 'certifier' | 'cfg'>,
  r: CertifyRequest,
): Promise<string> {
  let res: Awaited<ReturnType<typeof env.certifier.call>>
  try {
    res = await env.certifier.call('/wsapi/cert_key', {
      method: 'POST',
      body: {
        email: r.email,
        pubkey: r.pubkey,
        ephemeral: r.ephemeral,
        ...(r.forceIssuer !== undefined ? { forceIssuer: r.forceIssuer } : {}),
        unverified: r.unverified,
      },
      requestId: r.requestId,
      token: env.cfg.CERTIFIER_TOKEN,
    })
  } catch (e) {
    throw new PersonaError('ERR_INTERNAL', "can't contact keysigner", {
      cause: e,
      detail: 'certifier unreachable',
    })
  }
  if (res.status === 400) {
    const reason: unknown =
      typeof res.body === 'object' && res.body !== null ? Reflect.get(res.body, 'reason') : undefined
    throw new PersonaError('ERR_BAD_REQUEST', typeof reason === 'string' ? reason : 'bad request')
  }
  if (res.status !== 200 || typeof res.body !== 'string') {
    throw new PersonaError('ERR_BAD_GATEWAY', 'certification generation error', {
      detail: `certifier ${res.status}`,
    })
  }
  return res.body
}
