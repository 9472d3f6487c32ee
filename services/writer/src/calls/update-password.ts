// SPDX-License-Identifier: MPL-2.0
// update_password: changes the password given the current one; a real change ends every other session
// of the account (its session generation moves on; this browser gets the new one).
import { signIn, UPDATE_PASSWORD } from '@persona/wsapi'
import { implement, signedIn } from '../context.ts'
import { hashPassword, passwordMatches } from '../passwords.ts'

export const updatePassword = implement(UPDATE_PASSWORD)(async (ctx) => {
  const uid = signedIn(ctx)
  const { oldpass, newpass } = ctx.args
  const user = await ctx.accounts.byId(uid)
  if (user === undefined || !(await passwordMatches(ctx, oldpass, user.passwordHash)))
    return { success: false }
  const newHash = await hashPassword(ctx, newpass)
  const generation = await ctx.accounts.setPassword(uid, newHash, { endSessions: oldpass !== newpass })
  if (generation === undefined) return { success: false }
  signIn(ctx.session, { userid: uid, level: 'password', generation })
  ctx.renew('keep')
  return { success: true }
})
