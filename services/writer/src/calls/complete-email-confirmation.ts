// SPDX-License-Identifier: MPL-2.0
// complete_email_confirmation: completes an added or re-verified address from its mailed token, for its
// owner signed in with a password here, or with the (staged or current) password.
import { COMPLETE_EMAIL_CONFIRMATION, forgetToken, signIn } from '@persona/wsapi'
import { implement } from '../context.ts'
import { authRequired, passwordMatches } from '../passwords.ts'

export const completeEmailConfirmation = implement(COMPLETE_EMAIL_CONFIRMATION)(async (ctx) => {
  const { token, pass } = ctx.args
  const staged = await ctx.staging.byToken(token)
  if (staged === undefined || staged.existingUserId === null) return { success: false }
  const owner = staged.existingUserId
  const sameUser = ctx.session.userid === owner && ctx.session.auth_level === 'password'
  if (!sameUser) {
    if (pass === undefined) throw authRequired('password required')
    const user = await ctx.accounts.byId(owner)
    const against = staged.passwordHash ?? user?.passwordHash ?? null
    if (!(await passwordMatches(ctx, pass, against))) throw authRequired('password mismatch')
  }
  const done = await ctx.staging.completeEmailConfirmation(token)
  if (done === undefined) return { success: false }
  forgetToken(ctx.session, token)
  signIn(ctx.session, { userid: done.userId, level: 'password', generation: done.generation })
  ctx.renew('keep')
  return { success: true }
})
