// SPDX-License-Identifier: MPL-2.0
// What every writer handler gets (`CallContext<Args>`): its checked arguments, the shared part of the
// browser's session as the reader described it (changed in place and sent back), the facts the reader
// verified, the request; and what it may use: settings, the master's repositories, bcrypt, the mailer.
import type { PasswordHasher } from '@persona/kit/password-hash'
import type { MasterStore } from '@persona/store'
import {
  type HandlerIn,
  implementer,
  type Renewal,
  type SharedSession,
  type VerifiedFacts,
  type WsapiCall,
} from '@persona/wsapi'
import type { FastifyBaseLogger } from 'fastify'
import type { WriterConfig } from './config.ts'
import type { Mailer } from './mailer.ts'

/** What the writer holds for every call. */
export interface WriterServices extends MasterStore {
  readonly cfg: WriterConfig
  readonly hasher: PasswordHasher
  readonly mailer: Mailer
}

export interface WriterContext extends WriterServices {
  /** The shared session; changes go back to the reader, even when the call fails. */
  readonly session: SharedSession
  /** Facts the reader established (the address an assertion it verified proves). */
  readonly verified: VerifiedFacts | undefined
  readonly request: {
    readonly id: string
    /** The browser's address, as the reader saw it (the sign-in backoff's client scope). */
    readonly ip: string
    readonly log: FastifyBaseLogger
    /** The browser's Accept-Language, as the reader forwarded it (the language of the mail). */
    readonly acceptLanguage: string | undefined
  }
  /** How long a sign-in this call made lasts: the full duration, or the session's current end. */
  renew(how: Renewal): void
}

export type CallContext<A> = WriterContext & { readonly args: A }

/** A writer handler, typed from its call's declaration. */
export type Handler<C extends WsapiCall> = HandlerIn<WriterContext, C>

/** @example export const sawIdp = implement(SAW_IDP)(async (ctx) => { ... }) */
export const implement = implementer<WriterContext>()

/** The signed-in user the reader vouched for (the pipeline has checked the call's auth level). */
export function signedIn(ctx: WriterContext): number {
  const id = ctx.session.userid
  if (id === undefined) throw new TypeError('handler needs a signed-in session')
  return id
}
