// SPDX-License-Identifier: MPL-2.0
// The reader's read-only calls (Persona's session_context, have_email, email_for_token, the *_status
// calls, list_emails, ping, discovery): answered from the replica and the session alone.
import { randomBytes } from 'node:crypto'
import { PersonaError } from '@persona/kit'
import { argString, type Handler, type ReaderEnv } from './context.ts'
import { discover } from './primary.ts'
import { authOf, clearAuth, newCsrf } from './session.ts'

async function ownsEmail(env: ReaderEnv, userid: number, email: string): Promise<boolean> {
  const row = await env.data.email(email)
  return row !== undefined && row.userId === userid
}

export const sessionContext: Handler = async (ctx, env) => {
  const { s, now } = ctx
  let csrf = s.get('csrf')
  if (csrf === undefined) {
    csrf = newCsrf()
    s.set('csrf', csrf)
  }
  let auth = authOf(s, now)
  let hasPassword = false
  if (auth !== undefined) {
    const user = await env.data.userById(auth.userid)
    if (user === undefined) {
      clearAuth(s)
      auth = undefined
    } else {
      hasPassword = (user.passwordHash ?? '') !== ''
    }
  }
  const cookies = ctx.req.cookies
  return {
    csrf_token: csrf,
    server_time: now,
    authenticated: auth !== undefined,
    ...(auth !== undefined ? { auth_level: auth.level, userid: auth.userid } : {}),
    has_password: hasPassword,
    domain_key_creation_time: env.keyCreatedAt,
    random_seed: randomBytes(32).toString('base64'),
    data_sample_rate: env.cfg.KPI_SAMPLE_RATE,
    cookies: (cookies !== undefined && cookies.can_set_cookies !== undefined) || auth !== undefined,
  }
}

export const haveEmail: Handler = async (ctx, env) => {
  return { email_known: (await env.data.email(argString(ctx.args, 'email'))) !== undefined }
}

export const emailForToken: Handler = async (ctx, env) => {
  const token = argString(ctx.args, 'token')
  const staged = await env.data.stagedBySecret(token)
  if (staged === undefined) return { success: false, reason: 'no such secret' }
  const { s } = ctx
  let mustAuth = true
  if (token === s.get('pendingCreation') || token === s.get('pendingReset')) mustAuth = false
  else if (token === s.get('pendingReverification') || token === s.get('pendingAddition')) {
    const auth = authOf(s, ctx.now)
    if (auth !== undefined && auth.level === 'password' && auth.userid === staged.existingUserId)
      mustAuth = false
  }
  return { success: true, email: staged.email, must_auth: mustAuth, needs_password: !staged.hasPassword }
}

export const userCreationStatus: Handler = async (ctx, env) => {
  const email = argString(ctx.args, 'email')
  const auth = authOf(ctx.s, ctx.now)
  if (auth !== undefined && (await ownsEmail(env, auth.userid, email)))
    return { status: 'complete', userid: auth.userid }
  const pending = ctx.s.get('pendingCreation')
  if (pending === undefined) return { status: 'mustAuth' }
  if ((await env.data.stagedBySecret(pending)) !== undefined) return { status: 'pending' }
  ctx.s.set('pendingCreation', undefined)
  return { status: 'mustAuth' }
}

export const emailAdditionStatus: Handler = async (ctx, env) => {
  const email = argString(ctx.args, 'email')
  const auth = authOf(ctx.s, ctx.now)
  if (auth !== undefined && (await ownsEmail(env, auth.userid, email))) {
    ctx.s.set('pendingAddition', undefined)
    return { status: 'complete' }
  }
  const pending = ctx.s.get('pendingAddition')
  if (pending === undefined) return { status: 'failed' }
  if ((await env.data.stagedBySecret(pending)) !== undefined) return { status: 'pending' }
  ctx.s.set('pendingAddition', undefined)
  return { status: 'failed' }
}

/** password_reset_status and transition_status share one rule. */
export const resetStatus: Handler = async (ctx, env) => {
  const email = argString(ctx.args, 'email')
  if ((await env.data.stagedByEmail(email)) !== undefined) return { status: 'pending' }
  const auth = authOf(ctx.s, ctx.now)
  if (auth !== undefined && (await ownsEmail(env, auth.userid, email)))
    return { status: 'complete', userid: auth.userid }
  return { status: 'mustAuth' }
}

export const emailReverifyStatus: Handler = async (ctx, env) => {
  const row = await env.data.email(argString(ctx.args, 'email'))
  return { status: row?.verified === true ? 'complete' : 'pending' }
}

export const listEmails: Handler = async (ctx, env) => {
  const auth = authOf(ctx.s, ctx.now)
  if (auth === undefined) throw new PersonaError('ERR_UNAUTHORIZED', 'requires authentication')
  const rows = await env.data.emailsOfUser(auth.userid)
  return { success: true, emails: rows.map((r) => r.address) }
}

export const ping: Handler = async (ctx, env) => {
  ctx.reply.type('text/plain; charset=utf-8')
  try {
    await env.data.ping()
    return 'ok'
  } catch {
    ctx.reply.code(500)
    return 'fail'
  }
}

export const discovery: Handler = async (ctx, env) => {
  const domain = argString(ctx.args, 'domain')
  const d = env.cfg.DISABLE_PRIMARY_SUPPORT
    ? ({ kind: 'secondary', disabled: false } as const)
    : await discover(env.proxy, domain, { requestId: ctx.req.id, ownDomain: env.ownDomain })
  if (d.kind === 'primary') return { 'public-key': d.publicKey, authentication: d.auth, provisioning: d.prov }
  const base = env.cfg.PUBLIC_URL.replace(/\/$/, '')
  return {
    'public-key': env.publicKey,
    authentication: `${base}/auth#NATIVE`,
    provisioning: `${base}/provision`,
  }
}
