// SPDX-License-Identifier: MPL-2.0
// email_reverify_status: polled while a re-verification waits for its mailed link.
import { EMAIL_REVERIFY_STATUS } from '@persona/wsapi'
import { implement } from '../context.ts'

export const emailReverifyStatus = implement(EMAIL_REVERIFY_STATUS)(async (ctx) => {
  const row = await ctx.replica.address(ctx.args.email)
  return { status: row?.verified === true ? 'complete' : 'pending' }
})
