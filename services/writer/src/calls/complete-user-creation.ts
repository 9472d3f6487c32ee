// SPDX-License-Identifier: MPL-2.0
// complete_user_creation: completes a new account from its mailed token, on the browser that started it
// or with the password chosen when staging, so a mailed link alone cannot take the account.
import { COMPLETE_USER_CREATION, signIn, startedHere } from '@persona/wsapi'
import { implement } from '../context.ts'
import { authRequired, passwordMatches } from '../passwords.ts'

export const completeUserCreation = implement(COMPLETE_USER_CREATION)(async (ctx) => {
  const { token, pass } = ctx.args
  const here = startedHere(ctx.session, 'new_account', token)
  if (!here) {
    if (pass === undefined) throw authRequired('Provide your password')
    const staged = await ctx.staging.byToken(token)
    if (staged === undefined || staged.kind !== 'new_account') return { success: false }
    if (!(await passwordMatches(ctx, pass, staged.passwordHash))) throw authRequired('password mismatch')
  }
  const done = await ctx.staging.completeNewAccount(token)
  if (here) delete ctx.session.pendingCreation
  if (done === undefined) return { success: false }
  signIn(ctx.session, { userid: done.userId, level: 'password', generation: done.generation })
  ctx.renew('full')
  return { success: true }
})
