// SPDX-License-Identifier: MPL-2.0
// The accounts endpoint: the signed-in user's verified addresses, one FedCM account each.
import { domainFromEmail } from '@persona/browserid'
import { FEDCM_ACCOUNTS } from '@persona/wsapi'
import { implementFedcm, signedIn } from './context.ts'

export const accounts = implementFedcm(FEDCM_ACCOUNTS)(async (ctx) => {
  const auth = await signedIn(ctx)
  const rows = await ctx.replica.addressesOf(auth.userid)
  const list = rows
    .filter((r) => r.verified)
    .map((r) => {
      const domain = domainFromEmail(r.address)
      return {
        id: r.address,
        email: r.address,
        name: r.address,
        login_hints: [r.address],
        domain_hints: domain === null ? [] : [domain],
      }
    })
  ctx.setLogin(list.length > 0 ? 'logged-in' : 'logged-out')
  return { accounts: list }
})
