// SPDX-License-Identifier: MPL-2.0
// What every FedCM handler gets (the FedCM counterpart of ../context.ts): its checked fields, the
// asking site's origin (endpoints declared forOrigin), the browser's session (read only: FedCM never
// signs in or out), and the reader's services.
import { PersonaError } from '@persona/kit'
import type { FedcmEndpoint, FedcmReplyOf, FieldsOf, StoredSession } from '@persona/wsapi'
import type { FastifyBaseLogger } from 'fastify'
import type { ReaderServices } from '../context.ts'
import { authOf } from '../session.ts'

export interface FedcmBase extends ReaderServices {
  readonly session: StoredSession
  /** ms since epoch, once per request. */
  readonly now: number
  /** The asking site's origin, checked against Origin and client_id (forOrigin endpoints; '' elsewhere). */
  readonly site: string
  readonly request: { readonly id: string; readonly log: FastifyBaseLogger }
  /** Tells the browser whether the user is signed in to Persona (the Login Status API). */
  setLogin(state: 'logged-in' | 'logged-out'): void
}

export type FedcmContext<F> = FedcmBase & { readonly fields: F }

export interface FedcmImplementation {
  readonly endpoint: FedcmEndpoint
  /** Runs the handler with fields the route's schema has checked. */
  handle(ctx: FedcmBase, fields: unknown): Promise<unknown>
}

/** @example export const accounts = implementFedcm(FEDCM_ACCOUNTS)(async (ctx) => ({ accounts: [] })) */
export function implementFedcm<E extends FedcmEndpoint>(endpoint: E) {
  return (handler: (ctx: FedcmContext<FieldsOf<E>>) => Promise<FedcmReplyOf<E>>): FedcmImplementation => ({
    endpoint,
    // The route's schema (the declaration's fields) validated them before the handler runs.
    handle: (ctx, fields) => handler({ ...ctx, fields: (fields ?? {}) as FieldsOf<E> }),
  })
}

/** FedCM's error member, so the browser can say why (OAuth's codes), beside Persona's own. */
export function fedcmError(code: 'ERR_UNAUTHORIZED' | 'ERR_FORBIDDEN' | 'ERR_BAD_REQUEST', reason: string) {
  const oauth = code === 'ERR_BAD_REQUEST' ? 'invalid_request' : 'access_denied'
  return new PersonaError(code, reason, { body: { error: { code: oauth } } })
}

/**
 * The signed-in user, or a FedCM refusal that also tells the browser the user is signed out. A sign-in
 * its account has revoked (logout, a password change or reset moved the session generation on) or an
 * account that is gone counts as signed out, as in the wsapi's pipeline: a copied cookie gets nothing.
 */
export async function signedIn(ctx: FedcmBase): Promise<{ userid: number; level: string }> {
  const live = authOf(ctx.session, ctx.now)
  const user = live === undefined ? undefined : await ctx.replica.account(live.userid)
  const auth = user !== undefined && user.sessionGeneration === ctx.session.generation ? live : undefined
  if (auth === undefined) {
    ctx.setLogin('logged-out')
    throw fedcmError('ERR_UNAUTHORIZED', 'not signed in to Persona')
  }
  return auth
}
