// SPDX-License-Identifier: MPL-2.0
// FedCM's client metadata endpoint: what the identity provider says about the asking site.
import { Type } from 'typebox'
import { defineFedcmEndpoint, formFields } from './define.ts'
import { FEDCM_PATHS } from './paths.ts'

export const FEDCM_CLIENT_METADATA = defineFedcmEndpoint({
  name: 'client_metadata',
  method: 'GET',
  path: FEDCM_PATHS.clientMetadata,
  fields: formFields({ client_id: Type.String({ minLength: 1, maxLength: 2048 }) }),
  response: Type.Object({}),
  webIdentity: true,
  forOrigin: false,
  credentialed: false,
})
