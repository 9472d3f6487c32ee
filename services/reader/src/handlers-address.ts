// SPDX-License-Identifier: MPL-2.0
// address_info (Persona's lib/wsapi/address_info.js): is an address primary or secondary now, who
// issues for it, and which state the dialog should show (unknown, known, transition_*, offline,
// unverified). Records primary sightings on the writer (saw_idp / forget_idp) without waiting.
import { argOptString, argString, type Ctx, type Handler, type ReaderEnv, writerCallOf } from './context.ts'
import { type Discovery, discover } from './primary.ts'

function domainOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase()
}

/** Fire-and-forget writer call: logged on failure, never delays the answer. */
function background(ctx: Ctx, env: ReaderEnv, name: 'saw_idp' | 'forget_idp', domain: string): void {
  env.writer
    .call({ ...writerCallOf(ctx), name, method: 'GET', args: { domain } })
    .catch((err: unknown) => ctx.req.log.warn({ err, call: name }, 'writer.background_failed'))
}

export const addressInfo: Handler = async (ctx, env) => {
  const email = argString(ctx.args, 'email')
  const issuerArg = argOptString(ctx.args, 'issuer')
  const forced = issuerArg !== undefined && issuerArg !== 'default' ? issuerArg : undefined
  const domain = domainOf(email)

  let d: Discovery
  if (forced !== undefined || env.cfg.DISABLE_PRIMARY_SUPPORT) d = { kind: 'secondary', disabled: false }
  else d = await discover(env.proxy, domain, { requestId: ctx.req.id, ownDomain: env.ownDomain })

  const [row, lastSeen] = await Promise.all([env.data.email(email), env.data.idpLastSeen(domain)])
  const user = row === undefined ? undefined : await env.data.userById(row.userId)

  const out: Record<string, unknown> = {}
  if (d.kind === 'primary') {
    Object.assign(out, { type: 'primary', issuer: d.authority, auth: d.auth, prov: d.prov })
    background(ctx, env, 'saw_idp', domain)
  } else {
    Object.assign(out, { type: 'secondary', issuer: forced ?? env.issuer, disabled: d.disabled })
    const stale = lastSeen !== undefined && ctx.now - lastSeen > env.cfg.IDP_OFFLINE_GRACE_MS
    if (lastSeen !== undefined && (stale || d.disabled)) background(ctx, env, 'forget_idp', domain)
  }

  if (row === undefined || user === undefined) return { ...out, state: 'unknown' }
  out.normalizedEmail = row.address
  const hasPassword = (user.passwordHash ?? '') !== ''
  let state: string
  if (forced !== undefined) state = hasPassword ? 'known' : 'transition_no_password'
  else if (
    d.kind === 'secondary' &&
    !d.disabled &&
    lastSeen !== undefined &&
    ctx.now - lastSeen <= env.cfg.IDP_OFFLINE_GRACE_MS
  )
    state = 'offline'
  else if (d.kind === 'secondary' && !row.verified) state = 'unverified'
  else {
    const nowPrimary = d.kind === 'primary'
    const wasPrimary = row.type === 'primary'
    if (nowPrimary && !wasPrimary) state = 'transition_to_primary'
    else if (!nowPrimary && wasPrimary)
      state = hasPassword ? 'transition_to_secondary' : 'transition_no_password'
    else if (!nowPrimary && !hasPassword) state = 'transition_no_password'
    else state = 'known'
  }
  return { ...out, state }
}
