// SPDX-License-Identifier: MPL-2.0
// What stage_reset and stage_transition share: a link for an address that has an account, mailed after
// signing this browser out (Persona did the same).
import type { StagedKind } from '@persona/store'
import { signIn, signOut } from '@persona/wsapi'
import type { WriterContext } from './context.ts'
import { type SiteArgs, stageAndMail, throttle } from './mail.ts'
import { authRequired, hashPassword, passwordMatches } from './passwords.ts'

export async function stageForExisting(
  ctx: WriterContext,
  kind: Extract<StagedKind, 'reset' | 'transition'>,
  email: string,
  passwordHash: string | null,
  site: SiteArgs,
): Promise<{ success: true } | { success: false; reason: string }> {
  await throttle(ctx, email)
  const row = await ctx.addresses.byAddress(email)
  if (row === undefined) return { success: false, reason: 'No such email address.' }
  signOut(ctx.session)
  await stageAndMail(ctx, { kind, email: row.address, existingUserId: row.userId, passwordHash }, site)
  return { success: true }
}

/**
 * What complete_reset and complete_transition share: the token's kind must match; a password chosen
 * when staging (transition) needs this browser or that password; a reset takes the new password.
 */
export async function completeForExisting(
  ctx: WriterContext,
  kind: Extract<StagedKind, 'reset' | 'transition'>,
  token: string,
  pass: string | undefined,
): Promise<{ success: boolean }> {
  const here = ctx.session.pendingReset === token
  const staged = await ctx.staging.byToken(token)
  if (staged === undefined || staged.kind !== kind) {
    if (here) delete ctx.session.pendingReset
    return { success: false }
  }
  let newHash: string | undefined
  if (staged.passwordHash !== null) {
    if (!here) {
      if (pass === undefined) throw authRequired('Provide your password')
      if (!(await passwordMatches(ctx, pass, staged.passwordHash))) throw authRequired('password mismatch')
    }
  } else {
    // A reset: the link proves the address; `pass` is the new password.
    if (pass === undefined) throw authRequired('Provide your password')
    newHash = await hashPassword(ctx, pass)
  }
  const done = await ctx.staging.completeReset(token, newHash !== undefined ? { passwordHash: newHash } : {})
  if (here) delete ctx.session.pendingReset
  if (done === undefined) return { success: false }
  signIn(ctx.session, { userid: done.userId, level: 'password', generation: done.generation })
  ctx.renew('full')
  return { success: true }
}
