// SPDX-License-Identifier: MPL-2.0
// email_addition_status: polled while an added address waits for its mailed link.
import { EMAIL_ADDITION_STATUS } from '@persona/wsapi'
import { implement } from '../context.ts'
import { ownsEmail } from '../pending.ts'
import { authOf } from '../session.ts'

export const emailAdditionStatus = implement(EMAIL_ADDITION_STATUS)(async (ctx) => {
  const auth = authOf(ctx.session, ctx.now)
  if (auth !== undefined && (await ownsEmail(ctx, auth.userid, ctx.args.email))) {
    delete ctx.session.pendingAddition
    return { status: 'complete' }
  }
  const pending = ctx.session.pendingAddition
  if (pending === undefined) return { status: 'failed' }
  if ((await ctx.replica.pendingByToken(pending)) !== undefined) return { status: 'pending' }
  delete ctx.session.pendingAddition
  return { status: 'failed' }
})
