// SPDX-License-Identifier: MPL-2.0
// prolong_session: renews the sign-in at its level for the full duration ("remember me").
import { PersonaError } from '@persona/kit'
import { PROLONG_SESSION } from '@persona/wsapi'
import { durationFor, implement } from '../context.ts'
import { authOf, startSignIn } from '../session.ts'

export const prolongSession = implement(PROLONG_SESSION)(async (ctx) => {
  const auth = authOf(ctx.session, ctx.now)
  if (auth === undefined) throw new PersonaError('ERR_UNAUTHORIZED', 'requires authentication')
  const generation = ctx.session.generation ?? 0
  startSignIn(ctx.session, { ...auth, generation }, durationFor(ctx, false).ms, ctx.now)
  return 'OK'
})
