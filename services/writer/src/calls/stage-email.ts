// SPDX-License-Identifier: MPL-2.0
// stage_email: adds an address to the signed-in account by mailing a confirmation link; an account
// without a password chooses one now.
import { STAGE_EMAIL } from '@persona/wsapi'
import { implement, signedIn } from '../context.ts'
import { stageAndMail, throttle } from '../mail.ts'
import { authRequired, hashPassword } from '../passwords.ts'

export const stageEmail = implement(STAGE_EMAIL)(async (ctx) => {
  const uid = signedIn(ctx)
  const { email, pass } = ctx.args
  await throttle(ctx, email)
  const user = await ctx.accounts.byId(uid)
  if (user === undefined) throw authRequired('requires authentication')
  const hasPassword = (user.passwordHash ?? '') !== ''
  if (!hasPassword && pass === undefined) return { success: false, reason: 'user must choose a password' }
  if (hasPassword && pass !== undefined)
    return { success: false, reason: 'a password may not be set at this time' }
  const passwordHash = pass === undefined ? null : await hashPassword(ctx, pass)
  await stageAndMail(ctx, { kind: 'add_email', email, existingUserId: uid, passwordHash }, ctx.args)
  return { success: true }
})
