// SPDX-License-Identifier: MPL-2.0
// What every reader handler gets: the request and reply, the session, the checked arguments and the
// time; and what it may use: settings, the replica, the writer, the certifier, the proxy and bcrypt.
import type { Session } from '@fastify/secure-session'
import type { PublicKeyJSON } from '@persona/browserid'
import type { InternalClient } from '@persona/kit'
import type { SupportDocumentClient } from '@persona/proxy/client'
import type { Params, PasswordHasher } from '@persona/wsapi'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { AssertionChecker } from './assertions.ts'
import type { ReaderConfig } from './config.ts'
import type { ReaderData } from './data.ts'
import type { WriterLink } from './writer-link.ts'

export interface Ctx {
  readonly req: FastifyRequest
  readonly reply: FastifyReply
  readonly s: Session
  readonly args: Params
  readonly now: number
}

export interface ReaderEnv {
  readonly cfg: ReaderConfig
  readonly data: ReaderData
  readonly writer: WriterLink
  readonly certifier: InternalClient
  readonly proxy: SupportDocumentClient
  readonly hasher: PasswordHasher
  readonly assertions: AssertionChecker
  /** Our certifier's public key and when it was made (ms). */
  readonly publicKey: PublicKeyJSON
  readonly keyCreatedAt: number
  /** Host (and port) of PUBLIC_URL: the issuer of our certificates. */
  readonly issuer: string
  /** Hostname of PUBLIC_URL: our fallback IdP's domain, as support documents and delegation name it. */
  readonly ownDomain: string
  readonly now: () => number
}

export type Handler = (ctx: Ctx, env: ReaderEnv) => Promise<unknown>

export function argString(args: Params, name: string): string {
  const v = args[name]
  if (typeof v !== 'string') throw new Error(`argument ${name} is not a string`)
  return v
}

export function argOptString(args: Params, name: string): string | undefined {
  const v = args[name]
  return typeof v === 'string' ? v : undefined
}

export function argBool(args: Params, name: string): boolean {
  return args[name] === true
}

const FIREFOX_OS = /Mobile.*Firefox/
const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000

/** Session length for a sign-in (Persona's wsapiutils.getDurationInfo). */
export function durationFor(
  req: FastifyRequest,
  cfg: ReaderConfig,
  ephemeral: boolean,
): { ms: number; suppressAsk: boolean } {
  const ua = req.headers['user-agent'] ?? ''
  if (FIREFOX_OS.test(ua)) return { ms: TEN_YEARS_MS, suppressAsk: true }
  return { ms: ephemeral ? cfg.EPHEMERAL_DURATION_MS : cfg.AUTH_DURATION_MS, suppressAsk: false }
}

/** Everything a writer call needs from the request. */
export function writerCallOf(ctx: Ctx) {
  return {
    session: ctx.s,
    requestId: ctx.req.id,
    clientIp: ctx.req.ip,
    acceptLanguage: ctx.req.headers['accept-language'],
  }
}
