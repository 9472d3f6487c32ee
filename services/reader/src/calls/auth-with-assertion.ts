// SPDX-License-Identifier: MPL-2.0
// auth_with_assertion: sign-in with an assertion from a primary IdP, checked here (audience = our
// origin, one certificate, issuer the address's domain or its delegate); a new address gets an account
// from the writer, which trusts the address the reader verified.
import { AUTH_WITH_ASSERTION, CREATE_ACCOUNT_WITH_ASSERTION, USER_USED_EMAIL_AS } from '@persona/wsapi'
import { background, durationFor, implement } from '../context.ts'
import { authOf, startSignIn } from '../session.ts'

export const authWithAssertion = implement(AUTH_WITH_ASSERTION)(async (ctx) => {
  const { assertion, ephemeral } = ctx.args
  const checked = await ctx.assertions.check(assertion, ctx.request.id)
  if (!checked.ok) return { success: false, reason: checked.reason }
  const dur = durationFor(ctx, ephemeral)
  const row = await ctx.replica.address(checked.email)
  if (row === undefined) {
    const created = await ctx.writer.call(
      CREATE_ACCOUNT_WITH_ASSERTION,
      { assertion },
      { verified: { email: checked.email, issuer: checked.issuer } },
    )
    const a = { userid: created.userid, level: 'assertion', generation: created.generation } as const
    startSignIn(ctx.session, a, dur.ms, ctx.now)
    return { success: true, userid: created.userid, suppress_ask_if_users_computer: dur.suppressAsk }
  }
  const user = await ctx.replica.account(row.userId)
  if (user === undefined) return { success: false, reason: 'no such user' }
  const current = authOf(ctx.session, ctx.now)
  // A password-level session for this user is never downgraded.
  if (!(current?.userid === user.id && current.level === 'password')) {
    const a = { userid: user.id, level: 'assertion', generation: user.sessionGeneration } as const
    startSignIn(ctx.session, a, dur.ms, ctx.now)
  }
  if (row.type !== 'primary') {
    const used = ctx.writer.call(USER_USED_EMAIL_AS, { email: row.address, used_as: 'primary' })
    background(ctx, used, USER_USED_EMAIL_AS.name)
  }
  return { success: true, userid: user.id, suppress_ask_if_users_computer: dur.suppressAsk }
})
