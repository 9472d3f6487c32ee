// SPDX-License-Identifier: MPL-2.0
// used_address_as_primary, the reader's half: the address's domain must serve a support document now
// (asked through the proxy, which only the reader can reach); the writer records the use.
import { PersonaError } from '@persona/kit'
import { USED_ADDRESS_AS_PRIMARY } from '@persona/wsapi'
import { implement } from '../context.ts'
import { discover } from '../primary.ts'

export const usedAddressAsPrimary = implement(USED_ADDRESS_AS_PRIMARY)(async (ctx) => {
  const { email } = ctx.args
  const domain = email.slice(email.lastIndexOf('@') + 1)
  const d = await discover(ctx.proxy, domain, { requestId: ctx.request.id, own: ctx.own })
  if (d.kind !== 'primary') throw new PersonaError('ERR_BAD_REQUEST', 'email is not a primary')
  return ctx.writer.call(USED_ADDRESS_AS_PRIMARY, ctx.args)
})
