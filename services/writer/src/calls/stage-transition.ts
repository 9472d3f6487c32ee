// SPDX-License-Identifier: MPL-2.0
// stage_transition: an address whose primary IdP went away gets the password chosen now, once the
// mailed link is followed.
import { STAGE_TRANSITION } from '@persona/wsapi'
import { implement } from '../context.ts'
import { hashPassword } from '../passwords.ts'
import { stageForExisting } from '../staging.ts'

export const stageTransition = implement(STAGE_TRANSITION)(async (ctx) =>
  stageForExisting(ctx, 'transition', ctx.args.email, await hashPassword(ctx, ctx.args.pass), ctx.args),
)
