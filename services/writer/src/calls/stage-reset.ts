// SPDX-License-Identifier: MPL-2.0
// stage_reset: mails a password-reset link for an address that has an account.
import { STAGE_RESET } from '@persona/wsapi'
import { implement } from '../context.ts'
import { stageForExisting } from '../staging.ts'

export const stageReset = implement(STAGE_RESET)((ctx) =>
  stageForExisting(ctx, 'reset', ctx.args.email, null, ctx.args),
)
