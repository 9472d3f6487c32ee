// SPDX-License-Identifier: MPL-2.0
// end_sessions (internal): logout for every copy of the cookie. The account's session generation moves
// on (the reader ends any session that carries an older one) and this browser is signed out.
import { END_SESSIONS, signOut } from '@persona/wsapi'
import { implement, signedIn } from '../context.ts'

export const endSessions = implement(END_SESSIONS)(async (ctx) => {
  await ctx.accounts.endSessions(signedIn(ctx))
  signOut(ctx.session)
  return { success: true }
})
