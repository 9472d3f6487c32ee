// SPDX-License-Identifier: MPL-2.0
// email_for_token: the address a mailed link is for, and whether its landing page must ask for a
// password (it need not on the browser that started it, per the token kinds' table).
import { EMAIL_FOR_TOKEN, TOKEN_KINDS } from '@persona/wsapi'
import { implement } from '../context.ts'
import { authOf } from '../session.ts'

export const emailForToken = implement(EMAIL_FOR_TOKEN)(async (ctx) => {
  const { token } = ctx.args
  const staged = await ctx.replica.pendingByToken(token)
  if (staged === undefined) return { success: false, reason: 'no such secret' }
  const kind = TOKEN_KINDS[staged.kind]
  let mustAuth = true
  if (ctx.session[kind.sessionField] === token) {
    const auth = authOf(ctx.session, ctx.now)
    const owner = auth?.level === 'password' && auth.userid === staged.existingUserId
    mustAuth = !(kind.sameBrowserSuffices || owner)
  }
  return { success: true, email: staged.email, must_auth: mustAuth, needs_password: !staged.hasPassword }
})
