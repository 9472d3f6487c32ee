// SPDX-License-Identifier: MPL-2.0
// reset_failed_auth_tries (internal): a sign-in the reader found right. Admitted unless the account is
// locked; then its failures are cleared, a re-hash at the current work factor stored, and the account's
// session generation returned for the sign-in.
import { RESET_FAILED_AUTH_TRIES } from '@persona/wsapi'
import { implement } from '../context.ts'

export const resetFailedAuthTries = implement(RESET_FAILED_AUTH_TRIES)(async (ctx) => {
  const { userid, rehash } = ctx.args
  const r = await ctx.signIns.recordSignIn(userid, ctx.cfg.MAX_AUTH_ATTEMPTS, rehash)
  return r.admitted
    ? { success: true, admitted: true, generation: r.generation }
    : { success: true, admitted: false }
})
