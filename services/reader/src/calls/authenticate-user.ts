// SPDX-License-Identifier: MPL-2.0
// authenticate_user: sign-in with a password. The reader checks the password (bcrypt on worker threads)
// and then makes exactly one writer call, which records the outcome on the master and applies the
// sign-in backoff (writer/src/backoff.ts): an attempt it holds back answers Persona's "account locked",
// with how long to wait, whatever the password, so guesses made while waiting learn nothing. An unknown
// address, an account without password and a wrong password take the same work (a bcrypt comparison
// against a dummy hash when there is no hash) and get the same answer.
import { unlessBusy } from '@persona/kit/password-hash'
import { AUTHENTICATE_USER, INCREMENT_FAILED_AUTH_TRIES, RESET_FAILED_AUTH_TRIES } from '@persona/wsapi'
import { durationFor, implement, type ReaderContext } from '../context.ts'
import { startSignIn } from '../session.ts'

/** Persona's answer for a locked account, with the wait (whole seconds) the backoff imposes. */
function locked(retryAfterMs: number) {
  return {
    success: false,
    reason: 'account is locked',
    code: 'account locked',
    retry_after: Math.max(1, Math.ceil(retryAfterMs / 1000)),
  } as const
}

/** The current hash of `pass` when `stored` was made at another work factor (Persona issue #204). */
async function rehashOf(ctx: ReaderContext, pass: string, stored: string) {
  if (!ctx.hasher.needsRehash(stored)) return {}
  return { rehash: { from: stored, to: await unlessBusy(ctx.hasher.hash(pass)) } }
}

export const authenticateUser = implement(AUTHENTICATE_USER)(async (ctx) => {
  const { email, pass, ephemeral } = ctx.args
  const row = await ctx.replica.address(email)
  const user = row === undefined ? undefined : await ctx.replica.account(row.userId)
  const stored = user?.passwordHash ?? null
  const ok = await unlessBusy(ctx.hasher.verifyOrPretend(pass, stored))
  if (user === undefined || stored === null || !ok) {
    const r = await ctx.writer.call(INCREMENT_FAILED_AUTH_TRIES, {
      email,
      ...(user === undefined ? {} : { userid: user.id }),
    })
    return r.admitted
      ? { success: false, reason: `password mismatch for user: ${email}` }
      : locked(r.retry_after_ms)
  }
  const r = await ctx.writer.call(RESET_FAILED_AUTH_TRIES, {
    userid: user.id,
    email,
    ...(await rehashOf(ctx, pass, stored)),
  })
  if (!r.admitted) return locked(r.retry_after_ms)
  const dur = durationFor(ctx, ephemeral)
  startSignIn(ctx.session, { userid: user.id, level: 'password', generation: r.generation }, dur.ms, ctx.now)
  return { success: true, userid: user.id, suppress_ask_if_users_computer: dur.suppressAsk }
})
