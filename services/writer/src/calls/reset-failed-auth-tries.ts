// SPDX-License-Identifier: MPL-2.0
// reset_failed_auth_tries (internal): a right password the reader found. Admitted unless the sign-in
// backoff holds it back (the same answer a wrong one would get, so waiting guesses learn nothing); then
// the account's failures are cleared, a re-hash at the current work factor stored, and the account's
// session generation returned for the sign-in.
import { RESET_FAILED_AUTH_TRIES } from '@persona/wsapi'
import { implement } from '../context.ts'
import { refusal, settleAttempt } from '../sign-in-attempts.ts'

export const resetFailedAuthTries = implement(RESET_FAILED_AUTH_TRIES)(async (ctx) => {
  const { userid, email, rehash } = ctx.args
  const v = await settleAttempt(ctx, { email, userid, ok: true })
  if (!v.admitted) return refusal(v)
  const r = await ctx.signIns.recordSignIn(userid, rehash)
  // The account went away between the reader's check and now: as a refusal would, without a wait.
  if (r === undefined) return { success: true, admitted: false, retry_after_ms: 1 }
  return { success: true, admitted: true, generation: r.generation }
})
