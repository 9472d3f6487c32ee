// SPDX-License-Identifier: MPL-2.0
// address_info: is an address primary or secondary now, who issues for it, and which state the dialog
// should show (unknown, known, transition_*, offline, unverified). Records primary sightings on the
// writer (saw_idp / forget_idp) without waiting.
import { ADDRESS_INFO, FORGET_IDP, type ReplyOf, SAW_IDP } from '@persona/wsapi'
import { background, implement } from '../context.ts'
import { type Discovery, discover } from '../primary.ts'

type Reply = ReplyOf<typeof ADDRESS_INFO>

function domainOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase()
}

export const addressInfo = implement(ADDRESS_INFO)(async (ctx) => {
  const { email, issuer } = ctx.args
  const forced = issuer !== undefined && issuer !== 'default' ? issuer : undefined
  const domain = domainOf(email)
  const grace = ctx.cfg.IDP_OFFLINE_GRACE_MS

  let d: Discovery
  if (forced !== undefined || ctx.cfg.DISABLE_PRIMARY_SUPPORT) d = { kind: 'secondary', disabled: false }
  else d = await discover(ctx.proxy, domain, { requestId: ctx.request.id, own: ctx.own })

  const [row, lastSeen] = await Promise.all([ctx.replica.address(email), ctx.replica.idpLastSeen(domain)])
  const user = row === undefined ? undefined : await ctx.replica.account(row.userId)

  const seenRecently = lastSeen !== undefined && ctx.now - lastSeen <= grace
  let out: Omit<Reply, 'state'>
  if (d.kind === 'primary') {
    out = { type: 'primary', issuer: d.authority, auth: d.auth, prov: d.prov }
    background(ctx, ctx.writer.call(SAW_IDP, { domain }), SAW_IDP.name)
  } else {
    out = { type: 'secondary', issuer: forced ?? ctx.own.issuer, disabled: d.disabled }
    if (lastSeen !== undefined && (!seenRecently || d.disabled)) {
      background(ctx, ctx.writer.call(FORGET_IDP, { domain }), FORGET_IDP.name)
    }
  }

  if (row === undefined || user === undefined) return { ...out, state: 'unknown' }
  const hasPassword = (user.passwordHash ?? '') !== ''
  return { ...out, normalizedEmail: row.address, state: stateOf(d, row, hasPassword, forced, seenRecently) }
})

/** Persona's rules, first match wins (persona-wsapi.md, address_info). */
function stateOf(
  d: Discovery,
  row: { readonly type: 'primary' | 'secondary'; readonly verified: boolean },
  hasPassword: boolean,
  forced: string | undefined,
  seenRecently: boolean,
): Reply['state'] {
  if (forced !== undefined) return hasPassword ? 'known' : 'transition_no_password'
  if (d.kind === 'secondary' && !d.disabled && seenRecently) return 'offline'
  if (d.kind === 'secondary' && !row.verified) return 'unverified'
  const nowPrimary = d.kind === 'primary'
  const wasPrimary = row.type === 'primary'
  if (nowPrimary && !wasPrimary) return 'transition_to_primary'
  if (!nowPrimary && wasPrimary) return hasPassword ? 'transition_to_secondary' : 'transition_no_password'
  if (!nowPrimary && !hasPassword) return 'transition_no_password'
  return 'known'
}
