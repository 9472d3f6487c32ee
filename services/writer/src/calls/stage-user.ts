// SPDX-License-Identifier: MPL-2.0
// stage_user: starts a new account. Mails a link that completes it (pendingCreation remembers it here);
// with allowUnverified, creates the account at once with an unverified address and mails a confirmation.
import { STAGE_USER, signOut } from '@persona/wsapi'
import { implement } from '../context.ts'
import { sendLink, stageAndMail, throttle } from '../mail.ts'
import { hashPassword } from '../passwords.ts'

export const stageUser = implement(STAGE_USER)(async (ctx) => {
  const { email, pass, allowUnverified } = ctx.args
  await throttle(ctx, email)
  signOut(ctx.session)
  const passwordHash = await hashPassword(ctx, pass)
  if (allowUnverified === true) {
    const r = await ctx.staging.stageUnverifiedAccount({ email, passwordHash })
    ctx.session.pendingAddition = r.secret
    sendLink(ctx, 'add_email', email, r.secret, ctx.args)
    return { success: true, unverified: true }
  }
  await stageAndMail(ctx, { kind: 'new_account', email, passwordHash }, ctx.args)
  return { success: true }
})
