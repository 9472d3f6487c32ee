// SPDX-License-Identifier: MPL-2.0
// transition_status: polled while a transition to a password waits for its mailed link.
import { TRANSITION_STATUS } from '@persona/wsapi'
import { implement } from '../context.ts'
import { resetLikeStatus } from '../pending.ts'

export const transitionStatus = implement(TRANSITION_STATUS)((ctx) => resetLikeStatus(ctx, ctx.args.email))
