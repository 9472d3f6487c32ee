// SPDX-License-Identifier: MPL-2.0
// logout: ends the sign-in, here and in every copy of this cookie: the writer moves the account's session
// generation on (end_sessions), so a cookie copied before the logout gets no certificate afterwards.
// This browser is signed out even when the writer cannot be reached (the error is still reported); the
// CSRF token and pending links stay.
import { END_SESSIONS, LOGOUT } from '@persona/wsapi'
import { implement } from '../context.ts'
import { endSignIn } from '../session.ts'

export const logout = implement(LOGOUT)(async (ctx) => {
  try {
    await ctx.writer.call(END_SESSIONS, {})
  } finally {
    endSignIn(ctx.session)
  }
  return { success: true }
})
