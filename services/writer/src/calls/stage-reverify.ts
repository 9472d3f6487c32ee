// SPDX-License-Identifier: MPL-2.0
// stage_reverify: mails a link that re-verifies one of the signed-in user's unverified addresses.
import { STAGE_REVERIFY } from '@persona/wsapi'
import { implement, signedIn } from '../context.ts'
import { stageAndMail, throttle } from '../mail.ts'

export const stageReverify = implement(STAGE_REVERIFY)(async (ctx) => {
  const uid = signedIn(ctx)
  const row = await ctx.addresses.byAddress(ctx.args.email)
  if (row === undefined || row.userId !== uid) {
    return { success: false, reason: "you don't control that email address" }
  }
  if (row.verified) return { success: false, reason: 'email is already verified' }
  await throttle(ctx, row.address)
  const input = { kind: 'reverify', email: row.address, existingUserId: uid, passwordHash: null } as const
  await stageAndMail(ctx, input, ctx.args)
  return { success: true }
})
