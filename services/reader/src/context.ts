// SPDX-License-Identifier: MPL-2.0
// What every reader handler gets (`CallContext<Args>`): its checked arguments, the browser's session
// (changed in place, saved after the call), the time, the request, the writer bound to this request;
// and what it may use: settings, the replica, the certifier, the proxy, bcrypt, our own identity.

import type { InternalClient } from '@persona/kit'
import type { PasswordHasher } from '@persona/kit/password-hash'
import type { SupportDocumentClient } from '@persona/proxy/client'
import type { ReplicaStore } from '@persona/store'
import { type HandlerIn, implementer, type StoredSession, type WsapiCall } from '@persona/wsapi'
import type { FastifyBaseLogger } from 'fastify'
import type { AssertionChecker } from './assertions.ts'
import type { ReaderConfig } from './config.ts'
import type { OwnIdentity } from './identity.ts'
import type { WriterCalls } from './writer-link.ts'

/** What the reader holds for every call. */
export interface ReaderServices {
  readonly cfg: ReaderConfig
  readonly replica: ReplicaStore
  readonly certifier: InternalClient
  readonly proxy: SupportDocumentClient
  /** The IdP checker's client of the proxy: its cache lasts seconds, so a fixed document shows at once. */
  readonly idpCheck: SupportDocumentClient
  readonly hasher: PasswordHasher
  readonly assertions: AssertionChecker
  /** Our fallback IdP: its key, domain, issuer and support document. */
  readonly own: OwnIdentity
}

/** The facts of the request a handler may use. */
export interface RequestInfo {
  readonly id: string
  readonly ip: string
  readonly userAgent: string
  /** Whether the browser sent the `can_set_cookies` cookie the dialog sets (session_context's `cookies`). */
  readonly cookiesWork: boolean
  readonly log: FastifyBaseLogger
}

export interface ReaderContext extends ReaderServices {
  /** The browser's session; changes are saved to its cookie after the call, even when the call fails. */
  readonly session: StoredSession
  /** ms since epoch, once per request. */
  readonly now: number
  readonly request: RequestInfo
  /** Calls to the writer on behalf of this browser (its session changes land in `session`). */
  readonly writer: WriterCalls
  /** Answers with another status than 200 (the body is still the handler's). */
  setStatus(code: number): void
}

export type CallContext<A> = ReaderContext & { readonly args: A }

/** A reader handler, typed from its call's declaration. */
export type Handler<C extends WsapiCall> = HandlerIn<ReaderContext, C>

/** @example export const haveEmail = implement(HAVE_EMAIL)(async (ctx) => ({ email_known: ... })) */
export const implement = implementer<ReaderContext>()

const FIREFOX_OS = /Mobile.*Firefox/
const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000

/** Session length for a sign-in (Persona's wsapiutils.getDurationInfo). */
export function durationFor(ctx: ReaderContext, ephemeral: boolean): { ms: number; suppressAsk: boolean } {
  if (FIREFOX_OS.test(ctx.request.userAgent)) return { ms: TEN_YEARS_MS, suppressAsk: true }
  return { ms: ephemeral ? ctx.cfg.EPHEMERAL_DURATION_MS : ctx.cfg.AUTH_DURATION_MS, suppressAsk: false }
}

/** Runs a writer call after answering: logged when it fails, never delays or fails the answer. */
export function background(ctx: ReaderContext, work: Promise<unknown>, what: string): void {
  work.catch((err: unknown) => ctx.request.log.warn({ err, call: what }, 'writer.background_failed'))
}
