// SPDX-License-Identifier: MPL-2.0
// The kinds of mailed token, in one table: which session field remembers that this browser started it
// (so the landing page on the same browser needs no password), which mail carries it, and whether the
// same browser alone is enough to complete it or a password-level sign-in of its owner is needed too.
import type { StagedKind } from '@persona/store/types'
import type { SharedSession } from './session.ts'

/** The messages the writer sends (its mail-message.ts gives each its landing page and words). */
export type MailKind = 'new' | 'confirm' | 'reverify' | 'reset' | 'transition'

export interface TokenKind {
  readonly sessionField: 'pendingCreation' | 'pendingAddition' | 'pendingReset' | 'pendingReverification'
  readonly mail: MailKind
  /** True: the browser that started it completes it without a password; false: its owner signed in. */
  readonly sameBrowserSuffices: boolean
}

export const TOKEN_KINDS = {
  new_account: { sessionField: 'pendingCreation', mail: 'new', sameBrowserSuffices: true },
  add_email: { sessionField: 'pendingAddition', mail: 'confirm', sameBrowserSuffices: false },
  reverify: { sessionField: 'pendingReverification', mail: 'reverify', sameBrowserSuffices: false },
  reset: { sessionField: 'pendingReset', mail: 'reset', sameBrowserSuffices: true },
  transition: { sessionField: 'pendingReset', mail: 'transition', sameBrowserSuffices: true },
} as const satisfies Record<StagedKind, TokenKind>

/** Whether this browser started the mailed link `token` of `kind`. */
export function startedHere(session: SharedSession, kind: StagedKind, token: string): boolean {
  return session[TOKEN_KINDS[kind].sessionField] === token
}

/** Remembers in the session that this browser started `token`. */
export function rememberToken(session: SharedSession, kind: StagedKind, token: string): void {
  session[TOKEN_KINDS[kind].sessionField] = token
}

/** Forgets `token` wherever the session remembers it. */
export function forgetToken(session: SharedSession, token: string): void {
  for (const k of Object.values(TOKEN_KINDS))
    if (session[k.sessionField] === token) delete session[k.sessionField]
}
