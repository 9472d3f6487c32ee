// SPDX-License-Identifier: MPL-2.0
// The writing calls (Persona's lib/wsapi/stage_*, complete_*, update_password, remove_email,
// account_cancel, add_email_with_assertion, used_address_as_primary and the internal calls). The reader
// has already checked CSRF, the session level and the arguments; we check again what we rely on.
import { PersonaError } from '@persona/kit'
import { HasherBusyError } from '@persona/wsapi'
import { optStr, str, uidOf, type WCtx, type WHandler } from './context.ts'
import type { WriterEnv } from './env.ts'
import type { MailKind } from './mailer.ts'

const THROTTLED = 'Too many emails sent to that address, try again later.'

/** One mail per address per MIN_EMAIL_INTERVAL_MS (Persona's min_time_between_emails_ms). */
async function throttle(env: WriterEnv, email: string): Promise<void> {
  const last = await env.staged.lastStagedAt(email)
  if (last !== undefined && Date.now() - last.getTime() < env.cfg.MIN_EMAIL_INTERVAL_MS) {
    throw new PersonaError('ERR_RATE_LIMITED', THROTTLED)
  }
}

async function hash(env: WriterEnv, pass: string): Promise<string> {
  try {
    return await env.hasher.hash(pass)
  } catch (e) {
    if (e instanceof HasherBusyError) throw new PersonaError('ERR_UNAVAILABLE', 'server is too busy')
    throw e
  }
}

async function matches(env: WriterEnv, pass: string, encoded: string | null): Promise<boolean> {
  if (encoded === null || encoded === '') return false
  try {
    return await env.hasher.verify(pass, encoded)
  } catch (e) {
    if (e instanceof HasherBusyError) throw new PersonaError('ERR_UNAVAILABLE', 'server is too busy')
    throw e
  }
}

/** Sends after answering; a failed delivery is logged, the token stays valid for a retry. */
function mail(ctx: WCtx, env: WriterEnv, kind: MailKind, to: string, token: string): void {
  env.mailer
    .send({
      kind,
      to,
      site: str(ctx.args, 'site'),
      token,
      backgroundColor: optStr(ctx.args, 'backgroundColor'),
      siteLogo: optStr(ctx.args, 'siteLogo'),
      // The reader forwards the browser's; the mail goes out in that language.
      acceptLanguage: ctx.req.headers['accept-language'],
    })
    .then(
      () => ctx.req.log.info({ event: 'mail.sent', kind }, 'mail.sent'),
      (err: unknown) => ctx.req.log.error({ err, kind }, 'mail.failed'),
    )
}

function authRequired(reason: string): PersonaError {
  return new PersonaError('ERR_UNAUTHORIZED', reason)
}

const stageUser: WHandler = async (ctx, env) => {
  const email = str(ctx.args, 'email')
  await throttle(env, email)
  ctx.patch.logout()
  const passwordHash = await hash(env, str(ctx.args, 'pass'))
  if (ctx.args.allowUnverified === true) {
    const r = await env.staged.stageUnverifiedAccount({ email, passwordHash })
    ctx.patch.set('pendingAddition', r.secret)
    mail(ctx, env, 'confirm', email, r.secret)
    return { success: true, unverified: true }
  }
  const r = await env.staged.stage({ kind: 'new_account', email, passwordHash })
  ctx.patch.set('pendingCreation', r.secret)
  mail(ctx, env, 'new', email, r.secret)
  return { success: true }
}

const completeUserCreation: WHandler = async (ctx, env) => {
  const token = str(ctx.args, 'token')
  const pass = optStr(ctx.args, 'pass')
  // Same browser, or the password chosen when staging: so a mailed link alone cannot take the account.
  if (token !== ctx.state.pendingCreation) {
    if (pass === undefined) throw authRequired('Provide your password')
    const staged = await env.staged.byToken(token)
    if (staged === undefined || staged.kind !== 'new_account') return { success: false }
    if (!(await matches(env, pass, staged.passwordHash))) throw authRequired('password mismatch')
  }
  const done = await env.staged.completeNewAccount(token)
  if (done === undefined) {
    if (token === ctx.state.pendingCreation) ctx.patch.set('pendingCreation', null)
    return { success: false }
  }
  if (token === ctx.state.pendingCreation) ctx.patch.set('pendingCreation', null)
  ctx.patch.signIn(done.userId, done.lastPasswordReset.getTime(), 'full')
  return { success: true }
}

const stageEmail: WHandler = async (ctx, env) => {
  const uid = uidOf(ctx)
  const email = str(ctx.args, 'email')
  const pass = optStr(ctx.args, 'pass')
  await throttle(env, email)
  const user = await env.users.byId(uid)
  if (user === undefined) throw authRequired('requires authentication')
  const hasPassword = (user.passwordHash ?? '') !== ''
  if (!hasPassword && pass === undefined) return { success: false, reason: 'user must choose a password' }
  if (hasPassword && pass !== undefined)
    return { success: false, reason: 'a password may not be set at this time' }
  const passwordHash = pass === undefined ? null : await hash(env, pass)
  const r = await env.staged.stage({ kind: 'add_email', email, existingUserId: uid, passwordHash })
  ctx.patch.set('pendingAddition', r.secret)
  mail(ctx, env, 'confirm', email, r.secret)
  return { success: true }
}

const completeEmailConfirmation: WHandler = async (ctx, env) => {
  const token = str(ctx.args, 'token')
  const pass = optStr(ctx.args, 'pass')
  const staged = await env.staged.byToken(token)
  if (staged === undefined || staged.existingUserId === null) return { success: false }
  const owner = staged.existingUserId
  const sameUser = ctx.state.userid === owner && ctx.state.auth_level === 'password'
  if (!sameUser) {
    if (pass === undefined) throw authRequired('password required')
    const user = await env.users.byId(owner)
    const against = staged.passwordHash ?? user?.passwordHash ?? null
    if (!(await matches(env, pass, against))) throw authRequired('password mismatch')
  }
  const done = await env.staged.completeEmailConfirmation(token)
  if (done === undefined) return { success: false }
  const user = await env.users.byId(done.userId)
  if (user === undefined) return { success: false }
  for (const f of ['pendingAddition', 'pendingReverification'] as const) {
    if (ctx.state[f] === token) ctx.patch.set(f, null)
  }
  ctx.patch.signIn(done.userId, user.lastPasswordReset.getTime(), 'keep')
  return { success: true }
}

async function stageForExisting(
  ctx: WCtx,
  env: WriterEnv,
  kind: 'reset' | 'transition',
): Promise<{ success: boolean; reason?: string }> {
  const email = str(ctx.args, 'email')
  await throttle(env, email)
  const row = await env.emails.byAddress(email)
  if (row === undefined) return { success: false, reason: 'No such email address.' }
  ctx.patch.logout()
  const passwordHash = kind === 'transition' ? await hash(env, str(ctx.args, 'pass')) : null
  const r = await env.staged.stage({ kind, email: row.address, existingUserId: row.userId, passwordHash })
  ctx.patch.set('pendingReset', r.secret)
  mail(ctx, env, kind, row.address, r.secret)
  return { success: true }
}

const stageReset: WHandler = (ctx, env) => stageForExisting(ctx, env, 'reset')
const stageTransition: WHandler = (ctx, env) => stageForExisting(ctx, env, 'transition')

async function completeResetLike(ctx: WCtx, env: WriterEnv, kind: 'reset' | 'transition'): Promise<unknown> {
  const token = str(ctx.args, 'token')
  const pass = optStr(ctx.args, 'pass')
  const staged = await env.staged.byToken(token)
  if (staged === undefined || staged.kind !== kind) {
    if (token === ctx.state.pendingReset) ctx.patch.set('pendingReset', null)
    return { success: false }
  }
  let newHash: string | undefined
  if (staged.passwordHash !== null) {
    // A password chosen at staging (transition, or a legacy reset): same browser or that password.
    const sameBrowser = token === ctx.state.pendingReset
    if (!sameBrowser) {
      if (pass === undefined) throw authRequired('Provide your password')
      if (!(await matches(env, pass, staged.passwordHash))) throw authRequired('password mismatch')
    }
  } else {
    // A reset: the link proves the address; `pass` is the new password.
    if (pass === undefined) throw authRequired('Provide your password')
    newHash = await hash(env, pass)
  }
  const done = await env.staged.completeReset(token, newHash !== undefined ? { passwordHash: newHash } : {})
  if (token === ctx.state.pendingReset) ctx.patch.set('pendingReset', null)
  if (done === undefined) return { success: false }
  ctx.patch.signIn(done.userId, done.lastPasswordReset.getTime(), 'full')
  return { success: true }
}

const stageReverify: WHandler = async (ctx, env) => {
  const uid = uidOf(ctx)
  const email = str(ctx.args, 'email')
  const row = await env.emails.byAddress(email)
  if (row === undefined || row.userId !== uid)
    return { success: false, reason: "you don't control that email address" }
  if (row.verified) return { success: false, reason: 'email is already verified' }
  await throttle(env, email)
  const r = await env.staged.stage({
    kind: 'reverify',
    email: row.address,
    existingUserId: uid,
    passwordHash: null,
  })
  ctx.patch.set('pendingReverification', r.secret)
  mail(ctx, env, 'reverify', row.address, r.secret)
  return { success: true }
}

const updatePassword: WHandler = async (ctx, env) => {
  const uid = uidOf(ctx)
  const oldpass = str(ctx.args, 'oldpass')
  const newpass = str(ctx.args, 'newpass')
  const user = await env.users.byId(uid)
  if (user === undefined || !(await matches(env, oldpass, user.passwordHash))) return { success: false }
  const newHash = await hash(env, newpass)
  const changed = oldpass !== newpass
  const lpr = await env.users.setPassword(uid, newHash, { endSessions: changed })
  if (lpr === undefined) return { success: false }
  ctx.patch.signIn(uid, lpr.getTime(), 'keep')
  return { success: true }
}

const removeEmail: WHandler = async (ctx, env) => {
  const email = str(ctx.args, 'email')
  if (!(await env.emails.remove(uidOf(ctx), email))) {
    throw new PersonaError(
      'ERR_BAD_REQUEST',
      `authenticated user doesn't have permission to remove specified email ${email}`,
    )
  }
  return { success: true }
}

const accountCancel: WHandler = async (ctx, env) => {
  await env.users.cancelAccount(uidOf(ctx))
  // Unlike Persona (which left it to the next session_context), sign the browser out at once.
  ctx.patch.logout()
  return { success: true }
}

function verifiedEmail(ctx: WCtx): string {
  if (ctx.verified === undefined) throw new PersonaError('ERR_BAD_REQUEST', 'assertion was not verified')
  return ctx.verified.email
}

const addEmailWithAssertion: WHandler = async (ctx, env) => {
  await env.emails.addPrimary(uidOf(ctx), verifiedEmail(ctx))
  return { success: true }
}

const usedAddressAsPrimary: WHandler = async (ctx, env) => {
  if (!(await env.emails.setLastUsedAs(uidOf(ctx), str(ctx.args, 'email'), 'primary'))) {
    throw new PersonaError('ERR_BAD_REQUEST', 'that email does not belong to you')
  }
  return { success: true }
}

const createAccountWithAssertion: WHandler = async (ctx, env) => {
  const r = await env.users.createWithPrimaryEmail(verifiedEmail(ctx))
  return {
    success: true,
    userid: r.userId,
    lastPasswordReset: r.lastPasswordReset.getTime(),
  }
}

const userUsedEmailAs: WHandler = async (ctx, env) => {
  const as = str(ctx.args, 'used_as') === 'primary' ? 'primary' : 'secondary'
  if (!(await env.emails.setLastUsedAs(uidOf(ctx), str(ctx.args, 'email'), as))) {
    throw new PersonaError('ERR_BAD_REQUEST', 'email does not belong to authenticated user')
  }
  return { success: true }
}

const sawIdp: WHandler = async (ctx, env) => {
  await env.idps.saw(str(ctx.args, 'domain'))
  return { success: true }
}

const forgetIdp: WHandler = async (ctx, env) => {
  await env.idps.forget(str(ctx.args, 'domain'))
  return { success: true }
}

const incrementFailedAuthTries: WHandler = async (ctx, env) => {
  const id = ctx.args.userid
  if (typeof id !== 'number') throw new PersonaError('ERR_BAD_REQUEST', 'userid: not a valid user id')
  // The new count comes back so the reader can refuse an attempt past the limit before hashing.
  const tries = await env.users.incrementFailedAuthTries(id)
  return { success: true, ...(tries === undefined ? {} : { tries }) }
}

const resetFailedAuthTries: WHandler = async (ctx, env) => {
  await env.users.resetFailedAuthTries(uidOf(ctx))
  return { success: true }
}

export const WRITER_HANDLERS: Readonly<Record<string, WHandler>> = {
  stage_user: stageUser,
  complete_user_creation: completeUserCreation,
  stage_email: stageEmail,
  complete_email_confirmation: completeEmailConfirmation,
  stage_reset: stageReset,
  complete_reset: (ctx, env) => completeResetLike(ctx, env, 'reset'),
  stage_reverify: stageReverify,
  stage_transition: stageTransition,
  complete_transition: (ctx, env) => completeResetLike(ctx, env, 'transition'),
  update_password: updatePassword,
  remove_email: removeEmail,
  account_cancel: accountCancel,
  add_email_with_assertion: addEmailWithAssertion,
  used_address_as_primary: usedAddressAsPrimary,
  create_account_with_assertion: createAccountWithAssertion,
  user_used_email_as: userUsedEmailAs,
  saw_idp: sawIdp,
  forget_idp: forgetIdp,
  increment_failed_auth_tries: incrementFailedAuthTries,
  reset_failed_auth_tries: resetFailedAuthTries,
}
