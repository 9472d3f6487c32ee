// SPDX-License-Identifier: MPL-2.0
// used_address_as_primary, the writer's half: records the use (the reader checked the domain is a
// primary now, services/reader/src/calls/used-address-as-primary.ts).
import { PersonaError } from '@persona/kit'
import { USED_ADDRESS_AS_PRIMARY } from '@persona/wsapi'
import { implement, signedIn } from '../context.ts'

export const usedAddressAsPrimary = implement(USED_ADDRESS_AS_PRIMARY)(async (ctx) => {
  if (!(await ctx.addresses.setLastUsedAs(signedIn(ctx), ctx.args.email, 'primary'))) {
    throw new PersonaError('ERR_BAD_REQUEST', 'that email does not belong to you')
  }
  return { success: true }
})
