// SPDX-License-Identifier: MPL-2.0
// session_context: hands out the CSRF token (made here on first use) and describes the session.
import { randomBytes } from 'node:crypto'
import { SESSION_CONTEXT } from '@persona/wsapi'
import { implement } from '../context.ts'
import { authOf, endSignIn, newCsrf } from '../session.ts'

export const sessionContext = implement(SESSION_CONTEXT)(async (ctx) => {
  const { session, now } = ctx
  session.csrf ??= newCsrf()
  let auth = authOf(session, now)
  let hasPassword = false
  if (auth !== undefined) {
    const user = await ctx.replica.account(auth.userid)
    if (user === undefined) {
      endSignIn(session)
      auth = undefined
    } else {
      hasPassword = (user.passwordHash ?? '') !== ''
    }
  }
  return {
    csrf_token: session.csrf,
    server_time: now,
    authenticated: auth !== undefined,
    ...(auth !== undefined ? { auth_level: auth.level, userid: auth.userid } : {}),
    has_password: hasPassword,
    domain_key_creation_time: ctx.own.keyCreatedAt,
    random_seed: randomBytes(32).toString('base64'),
    data_sample_rate: ctx.cfg.KPI_SAMPLE_RATE,
    cookies: ctx.request.cookiesWork || auth !== undefined,
  }
})
