// SPDX-License-Identifier: MPL-2.0
// user_creation_status: polled while a new account waits for its mailed link.
import { USER_CREATION_STATUS } from '@persona/wsapi'
import { implement } from '../context.ts'
import { ownsEmail } from '../pending.ts'
import { authOf } from '../session.ts'

export const userCreationStatus = implement(USER_CREATION_STATUS)(async (ctx) => {
  const auth = authOf(ctx.session, ctx.now)
  if (auth !== undefined && (await ownsEmail(ctx, auth.userid, ctx.args.email))) {
    return { status: 'complete', userid: auth.userid }
  }
  const pending = ctx.session.pendingCreation
  if (pending === undefined) return { status: 'mustAuth' }
  if ((await ctx.replica.pendingByToken(pending)) !== undefined) return { status: 'pending' }
  // The session is left as it is: this poll was sent with the cookie from before the link was opened
  // in another tab, and writing it back would undo the sign-in that tab's answer just stored.
  return { status: 'mustAuth' }
})
