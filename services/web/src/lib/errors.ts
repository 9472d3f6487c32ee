// SPDX-License-Identifier: MPL-2.0
// What the user reads when a call fails: the server's reasons are English protocol text (Persona's
// wire format), so each known case maps to a message of the user's language; anything else gets a
// general message and the original reason goes to the console for whoever debugs it.
import { t } from './l10n.ts'
import { WsapiError } from './wsapi.ts'

/** Reasons the wsapi answers with success:false or an error body, by the message that explains them. */
const KNOWN_REASONS: readonly (readonly [RegExp, string])[] = [
  [/no such email address/i, 'error-no-such-address'],
  [/too many emails/i, 'error-throttled'],
  [/requires authentication|not signed in/i, 'error-signed-out'],
  [/already verified/i, 'error-already-verified'],
  [/don't control that email|does not belong to you/i, 'error-not-yours'],
  [/requires \(re\)verification/i, 'error-needs-reverify'],
  [/no cookie/i, 'error-cookies'],
]

/** A localized sentence for a failure. */
export function describeError(e: unknown): string {
  if (e instanceof WsapiError) {
    if (e.status === 429) return t('error-throttled')
    if (e.status === 503) return t('error-busy')
    for (const [re, id] of KNOWN_REASONS) if (re.test(e.message)) return t(id)
  } else if (e instanceof TypeError) {
    // fetch() rejects with a TypeError when the network (or Persona) cannot be reached.
    console.warn(e)
    return t('error-network')
  }
  console.warn('persona:', e instanceof Error ? e.message : e)
  return t('error-generic')
}
