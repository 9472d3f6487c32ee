// SPDX-License-Identifier: MPL-2.0
// Rules the polled status calls share: does the signed-in user own an address, and the one answer of
// password_reset_status and transition_status.
import type { ReaderContext } from './context.ts'
import { authOf } from './session.ts'

/** Whether `userid` owns `email`. */
export async function ownsEmail(ctx: ReaderContext, userid: number, email: string): Promise<boolean> {
  const row = await ctx.replica.address(email)
  return row !== undefined && row.userId === userid
}

/** password_reset_status and transition_status: a link waiting for the address, or done by this user. */
export async function resetLikeStatus(
  ctx: ReaderContext,
  email: string,
): Promise<{ status: 'complete'; userid: number } | { status: 'pending' | 'mustAuth' }> {
  if ((await ctx.replica.pendingForAddress(email)) !== undefined) return { status: 'pending' }
  const auth = authOf(ctx.session, ctx.now)
  if (auth !== undefined && (await ownsEmail(ctx, auth.userid, email))) {
    return { status: 'complete', userid: auth.userid }
  }
  return { status: 'mustAuth' }
}
