// SPDX-License-Identifier: MPL-2.0
// complete_transition: sets the password chosen at stage_transition, from its mailed link.
import { COMPLETE_TRANSITION } from '@persona/wsapi'
import { implement } from '../context.ts'
import { completeForExisting } from '../staging.ts'

export const completeTransition = implement(COMPLETE_TRANSITION)((ctx) =>
  completeForExisting(ctx, 'transition', ctx.args.token, ctx.args.pass),
)
