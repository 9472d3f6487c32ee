// SPDX-License-Identifier: MPL-2.0
// FedCM's disconnect endpoint: the site's "forget me"; answers the account the browser should forget.
import { Type } from 'typebox'
import { defineFedcmEndpoint, formFields } from './define.ts'
import { FEDCM_PATHS } from './paths.ts'

export const FEDCM_DISCONNECT = defineFedcmEndpoint({
  name: 'disconnect',
  method: 'POST',
  path: FEDCM_PATHS.disconnect,
  fields: formFields({
    client_id: Type.String({ minLength: 1, maxLength: 2048 }),
    account_hint: Type.String({ minLength: 1, maxLength: 254 }),
  }),
  response: Type.Object({ account_id: Type.String() }),
  webIdentity: true,
  forOrigin: true,
  credentialed: true,
})
