// SPDX-License-Identifier: MPL-2.0
// increment_failed_auth_tries (internal): a wrong password the reader found. Counted against the address's
// account (or the address) and the browser's client address, unless the backoff holds it back first.
import { INCREMENT_FAILED_AUTH_TRIES } from '@persona/wsapi'
import { implement } from '../context.ts'
import { refusal, settleAttempt } from '../sign-in-attempts.ts'

export const incrementFailedAuthTries = implement(INCREMENT_FAILED_AUTH_TRIES)(async (ctx) => {
  const { userid, email } = ctx.args
  const v = await settleAttempt(ctx, { email, userid, ok: false })
  return v.admitted ? { success: true, admitted: true } : refusal(v)
})
