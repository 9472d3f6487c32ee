// SPDX-License-Identifier: MPL-2.0
// logout: ends the sign-in; the CSRF token and pending links stay.
import { LOGOUT } from '@persona/wsapi'
import { implement } from '../context.ts'
import { endSignIn } from '../session.ts'

export const logout = implement(LOGOUT)(async (ctx) => {
  endSignIn(ctx.session)
  return { success: true }
})
