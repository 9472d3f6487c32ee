// SPDX-License-Identifier: MPL-2.0
// password_reset_status: polled while a password reset waits for its mailed link.
import { PASSWORD_RESET_STATUS } from '@persona/wsapi'
import { implement } from '../context.ts'
import { resetLikeStatus } from '../pending.ts'

export const passwordResetStatus = implement(PASSWORD_RESET_STATUS)((ctx) =>
  resetLikeStatus(ctx, ctx.args.email),
)
