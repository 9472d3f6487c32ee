// SPDX-License-Identifier: MPL-2.0
// increment_failed_auth_tries (internal): a sign-in the reader found wrong. Counted on the master for the
// account (if the address has one); `admitted` false means the account was already locked.
import { INCREMENT_FAILED_AUTH_TRIES } from '@persona/wsapi'
import { implement } from '../context.ts'

export const incrementFailedAuthTries = implement(INCREMENT_FAILED_AUTH_TRIES)(async (ctx) => {
  const { userid } = ctx.args
  if (userid === undefined) return { success: true, admitted: true }
  const r = await ctx.signIns.recordFailedSignIn(userid, ctx.cfg.MAX_AUTH_ATTEMPTS)
  return { success: true, admitted: r.admitted }
})
