// SPDX-License-Identifier: MPL-2.0
// The wsapi as data: Persona's 38 calls and our two additions (end_sessions, internal; check_idp, the
// IdP checker's), each declared once in calls/<name>.ts. The reader and writer build their routes from
// this list; the router answers 404 for the internal ones.

import { ACCOUNT_CANCEL } from './calls/account-cancel.ts'
import { ADD_EMAIL_WITH_ASSERTION } from './calls/add-email-with-assertion.ts'
import { ADDRESS_INFO } from './calls/address-info.ts'
import { AUTH_WITH_ASSERTION } from './calls/auth-with-assertion.ts'
import { AUTHENTICATE_USER } from './calls/authenticate-user.ts'
import { CERT_KEY } from './calls/cert-key.ts'
import { CHECK_IDP } from './calls/check-idp.ts'
import { COMPLETE_EMAIL_CONFIRMATION } from './calls/complete-email-confirmation.ts'
import { COMPLETE_RESET } from './calls/complete-reset.ts'
import { COMPLETE_TRANSITION } from './calls/complete-transition.ts'
import { COMPLETE_USER_CREATION } from './calls/complete-user-creation.ts'
import { CREATE_ACCOUNT_WITH_ASSERTION } from './calls/create-account-with-assertion.ts'
import { DISCOVERY } from './calls/discovery.ts'
import { EMAIL_ADDITION_STATUS } from './calls/email-addition-status.ts'
import { EMAIL_FOR_TOKEN } from './calls/email-for-token.ts'
import { EMAIL_REVERIFY_STATUS } from './calls/email-reverify-status.ts'
import { END_SESSIONS } from './calls/end-sessions.ts'
import { FORGET_IDP } from './calls/forget-idp.ts'
import { HAVE_EMAIL } from './calls/have-email.ts'
import { INCREMENT_FAILED_AUTH_TRIES } from './calls/increment-failed-auth-tries.ts'
import { INTERACTION_DATA } from './calls/interaction-data.ts'
import { LIST_EMAILS } from './calls/list-emails.ts'
import { LOGOUT } from './calls/logout.ts'
import { PASSWORD_RESET_STATUS } from './calls/password-reset-status.ts'
import { PING } from './calls/ping.ts'
import { PROLONG_SESSION } from './calls/prolong-session.ts'
import { REMOVE_EMAIL } from './calls/remove-email.ts'
import { RESET_FAILED_AUTH_TRIES } from './calls/reset-failed-auth-tries.ts'
import { SAW_IDP } from './calls/saw-idp.ts'
import { SESSION_CONTEXT } from './calls/session-context.ts'
import { STAGE_EMAIL } from './calls/stage-email.ts'
import { STAGE_RESET } from './calls/stage-reset.ts'
import { STAGE_REVERIFY } from './calls/stage-reverify.ts'
import { STAGE_TRANSITION } from './calls/stage-transition.ts'
import { STAGE_USER } from './calls/stage-user.ts'
import { TRANSITION_STATUS } from './calls/transition-status.ts'
import { UPDATE_PASSWORD } from './calls/update-password.ts'
import { USED_ADDRESS_AS_PRIMARY } from './calls/used-address-as-primary.ts'
import { USER_CREATION_STATUS } from './calls/user-creation-status.ts'
import { USER_USED_EMAIL_AS } from './calls/user-used-email-as.ts'
import type { WsapiCall } from './define.ts'

export { ACCOUNT_CANCEL } from './calls/account-cancel.ts'
export { ADD_EMAIL_WITH_ASSERTION } from './calls/add-email-with-assertion.ts'
export { ADDRESS_INFO } from './calls/address-info.ts'
export { AUTH_WITH_ASSERTION } from './calls/auth-with-assertion.ts'
export { AUTHENTICATE_USER } from './calls/authenticate-user.ts'
export { CERT_KEY } from './calls/cert-key.ts'
export { CHECK_IDP } from './calls/check-idp.ts'
export { COMPLETE_EMAIL_CONFIRMATION } from './calls/complete-email-confirmation.ts'
export { COMPLETE_RESET } from './calls/complete-reset.ts'
export { COMPLETE_TRANSITION } from './calls/complete-transition.ts'
export { COMPLETE_USER_CREATION } from './calls/complete-user-creation.ts'
export { CREATE_ACCOUNT_WITH_ASSERTION } from './calls/create-account-with-assertion.ts'
export { DISCOVERY } from './calls/discovery.ts'
export { EMAIL_ADDITION_STATUS } from './calls/email-addition-status.ts'
export { EMAIL_FOR_TOKEN } from './calls/email-for-token.ts'
export { EMAIL_REVERIFY_STATUS } from './calls/email-reverify-status.ts'
export { END_SESSIONS } from './calls/end-sessions.ts'
export { FORGET_IDP } from './calls/forget-idp.ts'
export { HAVE_EMAIL } from './calls/have-email.ts'
export { INCREMENT_FAILED_AUTH_TRIES } from './calls/increment-failed-auth-tries.ts'
export { INTERACTION_DATA } from './calls/interaction-data.ts'
export { LIST_EMAILS } from './calls/list-emails.ts'
export { LOGOUT } from './calls/logout.ts'
export { PASSWORD_RESET_STATUS } from './calls/password-reset-status.ts'
export { PING } from './calls/ping.ts'
export { PROLONG_SESSION } from './calls/prolong-session.ts'
export { REMOVE_EMAIL } from './calls/remove-email.ts'
export { RESET_FAILED_AUTH_TRIES } from './calls/reset-failed-auth-tries.ts'
export { SAW_IDP } from './calls/saw-idp.ts'
export { SESSION_CONTEXT } from './calls/session-context.ts'
export { STAGE_EMAIL } from './calls/stage-email.ts'
export { STAGE_RESET } from './calls/stage-reset.ts'
export { STAGE_REVERIFY } from './calls/stage-reverify.ts'
export { STAGE_TRANSITION } from './calls/stage-transition.ts'
export { STAGE_USER } from './calls/stage-user.ts'
export { TRANSITION_STATUS } from './calls/transition-status.ts'
export { UPDATE_PASSWORD } from './calls/update-password.ts'
export { USED_ADDRESS_AS_PRIMARY } from './calls/used-address-as-primary.ts'
export { USER_CREATION_STATUS } from './calls/user-creation-status.ts'
export { USER_USED_EMAIL_AS } from './calls/user-used-email-as.ts'

/** Every call, in a stable order. */
export const WSAPI_CALLS = [
  SESSION_CONTEXT,
  ADDRESS_INFO,
  HAVE_EMAIL,
  EMAIL_FOR_TOKEN,
  USER_CREATION_STATUS,
  EMAIL_ADDITION_STATUS,
  PASSWORD_RESET_STATUS,
  EMAIL_REVERIFY_STATUS,
  TRANSITION_STATUS,
  LIST_EMAILS,
  PING,
  DISCOVERY,
  AUTHENTICATE_USER,
  AUTH_WITH_ASSERTION,
  CERT_KEY,
  LOGOUT,
  PROLONG_SESSION,
  INTERACTION_DATA,
  STAGE_USER,
  COMPLETE_USER_CREATION,
  STAGE_EMAIL,
  COMPLETE_EMAIL_CONFIRMATION,
  STAGE_RESET,
  COMPLETE_RESET,
  STAGE_REVERIFY,
  STAGE_TRANSITION,
  COMPLETE_TRANSITION,
  UPDATE_PASSWORD,
  REMOVE_EMAIL,
  ACCOUNT_CANCEL,
  ADD_EMAIL_WITH_ASSERTION,
  USED_ADDRESS_AS_PRIMARY,
  CREATE_ACCOUNT_WITH_ASSERTION,
  USER_USED_EMAIL_AS,
  SAW_IDP,
  FORGET_IDP,
  INCREMENT_FAILED_AUTH_TRIES,
  RESET_FAILED_AUTH_TRIES,
  END_SESSIONS,
  CHECK_IDP,
] as const satisfies readonly WsapiCall[]

/** One of the declared calls. */
export type AnyCall = (typeof WSAPI_CALLS)[number]
/** The declaration of the call named `N`. */
export type CallNamed<N extends AnyCall['name']> = Extract<AnyCall, { readonly name: N }>

/** Declarations by wire name, for routing (the router's 404 for internal calls, "no such api"). */
export const WSAPI_BY_NAME: ReadonlyMap<string, AnyCall> = new Map(WSAPI_CALLS.map((c) => [c.name, c]))

/** The calls the reader serves itself (everything that does not write). */
export const READER_CALLS: readonly AnyCall[] = WSAPI_CALLS.filter((c) => !c.writesDb)
/** The calls the writer serves (everything that writes, internal ones included). */
export const WRITER_CALLS: readonly AnyCall[] = WSAPI_CALLS.filter((c) => c.writesDb)
/** The public writing calls: the reader checks them and hands them to the writer. */
export const FORWARDED_CALLS: readonly AnyCall[] = WSAPI_CALLS.filter((c) => c.writesDb && !c.internal)
