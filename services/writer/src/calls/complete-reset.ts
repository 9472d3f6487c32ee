// SPDX-License-Identifier: MPL-2.0
// complete_reset: sets the new password from a reset link, unlocks the account and ends its sessions.
import { COMPLETE_RESET } from '@persona/wsapi'
import { implement } from '../context.ts'
import { completeForExisting } from '../staging.ts'

export const completeReset = implement(COMPLETE_RESET)((ctx) =>
  completeForExisting(ctx, 'reset', ctx.args.token, ctx.args.pass),
)
