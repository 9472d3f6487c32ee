// SPDX-License-Identifier: MPL-2.0
// Disconnect: Persona keeps nothing per site on the server; the browser forgets the connection itself,
// once told which account it was.
import { FEDCM_DISCONNECT } from '@persona/wsapi'
import { fedcmError, implementFedcm, signedIn } from './context.ts'

export const disconnect = implementFedcm(FEDCM_DISCONNECT)(async (ctx) => {
  const auth = await signedIn(ctx)
  const row = await ctx.replica.address(ctx.fields.account_hint)
  if (row === undefined || row.userId !== auth.userid) throw fedcmError('ERR_BAD_REQUEST', 'no such account')
  return { account_id: row.address }
})
