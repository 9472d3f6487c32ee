// SPDX-License-Identifier: MPL-2.0
// FedCM's request checks, run before a handler as its endpoint's declaration asks: the browser's own
// fetch (Sec-Fetch-Dest: webidentity), and the asking site's origin for the endpoints that answer one.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { fedcmError } from './context.ts'

/** Only the browser's FedCM fetches carry this header; a page's fetch() cannot set it. */
export function requireWebIdentity(req: FastifyRequest): void {
  if (req.headers['sec-fetch-dest'] !== 'webidentity') {
    throw fedcmError('ERR_FORBIDDEN', 'FedCM requests only (Sec-Fetch-Dest: webidentity)')
  }
}

/**
 * The asking site's origin. Persona's client id is the site's origin itself (BrowserID's audience),
 * so the Origin header must be exactly the client_id: a site can get tokens only for itself.
 */
export function requestingOrigin(req: FastifyRequest, clientId: unknown): string {
  const origin = req.headers.origin
  if (typeof origin !== 'string' || origin === 'null') throw fedcmError('ERR_FORBIDDEN', 'no Origin header')
  let parsed: URL
  try {
    parsed = new URL(String(clientId))
  } catch {
    throw fedcmError('ERR_BAD_REQUEST', 'client_id must be the site origin')
  }
  if (parsed.origin !== String(clientId).replace(/\/$/, '') || parsed.origin !== origin) {
    throw fedcmError('ERR_FORBIDDEN', 'client_id is not the requesting origin')
  }
  return origin
}

/** Credentialed CORS for exactly that origin. */
export function allowOrigin(reply: FastifyReply, origin: string): void {
  reply.header('access-control-allow-origin', origin)
  reply.header('access-control-allow-credentials', 'true')
  reply.header('vary', 'Origin')
}
