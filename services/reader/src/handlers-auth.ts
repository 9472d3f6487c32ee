// SPDX-License-Identifier: MPL-2.0
// Sign-in calls the reader answers itself (Persona's authenticate_user, auth_with_assertion, cert_key,
// logout, prolong_session, interaction_data): bcrypt on worker threads, lockout counted on the writer,
// certificates from the certifier, and assertions checked here before the writer hears of them.
import { PersonaError } from '@persona/kit'
import { HasherBusyError } from '@persona/wsapi'
import {
  argBool,
  argOptString,
  argString,
  type Ctx,
  durationFor,
  type Handler,
  type ReaderEnv,
  writerCallOf,
} from './context.ts'
import { authOf, clearAuth, signIn } from './session.ts'

function fail(reason: string, code?: string): Record<string, unknown> {
  return { success: false, reason, ...(code !== undefined ? { code } : {}) }
}

function background(ctx: Ctx, p: Promise<unknown>, what: string): void {
  p.catch((err: unknown) => ctx.req.log.warn({ err, call: what }, 'writer.background_failed'))
}

export const authenticateUser: Handler = async (ctx, env) => {
  const email = argString(ctx.args, 'email')
  const pass = argString(ctx.args, 'pass')
  const row = await env.data.email(email)
  const user = row === undefined ? undefined : await env.data.userById(row.userId)
  if (row === undefined || user === undefined) return fail('no such user')
  if (user.failedAuthTries >= env.cfg.MAX_AUTH_ATTEMPTS) return fail('account is locked', 'account locked')
  if (user.passwordHash === null || user.passwordHash === '') return fail('no password set for user')
  const call = writerCallOf(ctx)
  // Every attempt is counted on the master before the password is checked, and refused past the limit:
  // reading the count from the replica and adding to it afterwards would let a burst of parallel guesses
  // all pass the check before any of them was counted. A success sets the count back to zero.
  const reserved = await env.writer.call({
    ...call,
    name: 'increment_failed_auth_tries',
    method: 'GET',
    args: { userid: user.id },
  })
  const tries = Reflect.get(Object(reserved.body), 'tries')
  if (typeof tries !== 'number') throw new PersonaError('ERR_DATABASE_UNAVAILABLE', 'database unavailable')
  if (tries > env.cfg.MAX_AUTH_ATTEMPTS) return fail('account is locked', 'account locked')
  let ok: boolean
  try {
    ok = await env.hasher.verify(pass, user.passwordHash)
  } catch (e) {
    if (e instanceof HasherBusyError) {
      ctx.reply.code(503)
      return fail('server is too busy')
    }
    ctx.req.log.error({ err: e }, 'bcrypt.failed')
    return fail('internal password check error')
  }
  if (!ok) return fail(`password mismatch for user: ${email}`)
  const dur = durationFor(ctx.req, env.cfg, argBool(ctx.args, 'ephemeral'))
  signIn(ctx.s, {
    userid: user.id,
    level: 'password',
    lastPasswordReset: user.lastPasswordReset,
    durationMs: dur.ms,
    now: ctx.now,
  })
  await env.writer.call({ ...call, name: 'reset_failed_auth_tries', method: 'GET', args: {} })
  if (env.hasher.needsRehash(user.passwordHash)) {
    // A hash made with another work factor is replaced, in the background (Persona issue #204).
    background(
      ctx,
      env.writer.call({
        ...call,
        name: 'update_password',
        method: 'POST',
        args: { oldpass: pass, newpass: pass },
      }),
      'update_password',
    )
  }
  return { success: true, userid: user.id, suppress_ask_if_users_computer: dur.suppressAsk }
}

export const authWithAssertion: Handler = async (ctx, env) => {
  const checked = await env.assertions.check(argString(ctx.args, 'assertion'), ctx.req.id)
  if (!checked.ok) return fail(checked.reason)
  const dur = durationFor(ctx.req, env.cfg, argBool(ctx.args, 'ephemeral'))
  const call = writerCallOf(ctx)
  const row = await env.data.email(checked.email)
  if (row !== undefined) {
    const user = await env.data.userById(row.userId)
    if (user === undefined) return fail('no such user')
    const current = authOf(ctx.s, ctx.now)
    // A password-level session for this user is never downgraded.
    if (!(current?.userid === user.id && current.level === 'password')) {
      signIn(ctx.s, {
        userid: user.id,
        level: 'assertion',
        lastPasswordReset: user.lastPasswordReset,
        durationMs: dur.ms,
        now: ctx.now,
      })
    }
    if (row.type !== 'primary') {
      background(
        ctx,
        env.writer.call({
          ...call,
          name: 'user_used_email_as',
          method: 'POST',
          args: { email: row.address, used_as: 'primary' },
        }),
        'user_used_email_as',
      )
    }
    return { success: true, userid: user.id, suppress_ask_if_users_computer: dur.suppressAsk }
  }
  const created = await env.writer.call({
    ...call,
    name: 'create_account_with_assertion',
    method: 'POST',
    args: { assertion: argString(ctx.args, 'assertion') },
    verified: { email: checked.email, issuer: checked.issuer },
  })
  const body = created.body
  if (
    created.status !== 200 ||
    typeof body !== 'object' ||
    body === null ||
    !('userid' in body) ||
    typeof body.userid !== 'number' ||
    !('lastPasswordReset' in body) ||
    typeof body.lastPasswordReset !== 'number'
  ) {
    return fail('internal error creating account')
  }
  signIn(ctx.s, {
    userid: body.userid,
    level: 'assertion',
    lastPasswordReset: body.lastPasswordReset,
    durationMs: dur.ms,
    now: ctx.now,
  })
  return { success: true, userid: body.userid, suppress_ask_if_users_computer: dur.suppressAsk }
}

export const certKey: Handler = async (ctx, env) => {
  const auth = authOf(ctx.s, ctx.now)
  if (auth === undefined) throw new PersonaError('ERR_UNAUTHORIZED', 'requires authentication')
  const email = argString(ctx.args, 'email')
  const row = await env.data.email(email)
  if (row === undefined || row.userId !== auth.userid) {
    throw new PersonaError('ERR_BAD_REQUEST', 'that email does not belong to you')
  }
  const allowUnverified = argBool(ctx.args, 'allowUnverified')
  if (!row.verified && !allowUnverified) {
    throw new PersonaError('ERR_FORBIDDEN', 'that email requires (re)verification')
  }
  const forceIssuer = argOptString(ctx.args, 'forceIssuer')
  let res: Awaited<ReturnType<typeof env.certifier.call>>
  try {
    res = await env.certifier.call('/wsapi/cert_key', {
      method: 'POST',
      body: {
        email: row.address,
        pubkey: argString(ctx.args, 'pubkey'),
        ephemeral: argBool(ctx.args, 'ephemeral'),
        ...(forceIssuer !== undefined ? { forceIssuer } : {}),
        unverified: !row.verified,
      },
      requestId: ctx.req.id,
      token: env.cfg.CERTIFIER_TOKEN,
    })
  } catch (e) {
    throw new PersonaError('ERR_INTERNAL', "can't contact keysigner", {
      cause: e,
      detail: 'certifier unreachable',
    })
  }
  if (res.status === 400) {
    const reason =
      typeof res.body === 'object' &&
      res.body !== null &&
      'reason' in res.body &&
      typeof res.body.reason === 'string'
        ? res.body.reason
        : 'bad request'
    throw new PersonaError('ERR_BAD_REQUEST', reason)
  }
  if (res.status !== 200 || typeof res.body !== 'string') {
    throw new PersonaError('ERR_BAD_GATEWAY', 'certification generation error', {
      detail: `certifier ${res.status}`,
    })
  }
  if (row.type !== 'secondary') {
    background(
      ctx,
      env.writer.call({
        ...writerCallOf(ctx),
        name: 'user_used_email_as',
        method: 'POST',
        args: { email: row.address, used_as: 'secondary' },
      }),
      'user_used_email_as',
    )
  }
  ctx.reply.type('text/plain; charset=utf-8')
  return res.body
}

export const logout: Handler = async (ctx) => {
  clearAuth(ctx.s)
  return { success: true }
}

export const prolongSession: Handler = async (ctx, env) => {
  const auth = authOf(ctx.s, ctx.now)
  const lpr = ctx.s.get('lastPasswordReset')
  if (auth === undefined) throw new PersonaError('ERR_UNAUTHORIZED', 'requires authentication')
  const dur = durationFor(ctx.req, env.cfg, false)
  signIn(ctx.s, {
    userid: auth.userid,
    level: auth.level,
    lastPasswordReset: lpr ?? 0,
    durationMs: dur.ms,
    now: ctx.now,
  })
  ctx.reply.type('text/plain; charset=utf-8')
  return 'OK'
}

export const interactionData: Handler = async () => ({ success: true })

/** Used by the forwarding path for calls that need an assertion checked first. */
export async function checkAssertionArg(ctx: Ctx, env: ReaderEnv) {
  return env.assertions.check(argString(ctx.args, 'assertion'), ctx.req.id)
}
