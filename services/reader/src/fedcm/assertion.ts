// SPDX-License-Identifier: MPL-2.0
// The ID assertion endpoint: a backed assertion for the asking site, for one of the user's addresses.
import { FEDCM_ASSERTION, FEDCM_PATHS } from '@persona/wsapi'
import { fedcmError, implementFedcm, signedIn } from './context.ts'
import { mintToken } from './token.ts'

export const assertion = implementFedcm(FEDCM_ASSERTION)(async (ctx) => {
  const auth = await signedIn(ctx)
  const row = await ctx.replica.address(ctx.fields.account_id)
  if (row === undefined || row.userId !== auth.userid || !row.verified) {
    throw fedcmError('ERR_FORBIDDEN', 'that address is not one of yours')
  }
  // Persona vouches only for the addresses it verified itself, and only on the password's word; an
  // identity provider's own addresses are certified by that provider: the dialog finishes those
  // (FedCM's continuation), making the assertion for this origin and handing it to the browser.
  if (row.type !== 'secondary' || auth.level !== 'password') {
    const next = new URL(`${ctx.own.origin}${FEDCM_PATHS.continuation}`)
    next.searchParams.set('origin', ctx.site)
    next.searchParams.set('email', row.address)
    return { continue_on: next.href }
  }
  const token = await mintToken(ctx, ctx.now, row.address, ctx.site, ctx.request.id)
  ctx.request.log.info(
    { event: 'reader.fedcm.token', auto: ctx.fields.is_auto_selected === 'true' },
    'fedcm.token',
  )
  return { token }
})
