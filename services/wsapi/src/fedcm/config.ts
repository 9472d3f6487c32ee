// SPDX-License-Identifier: MPL-2.0
// FedCM's config file: every endpoint (relative to the file), the login URL and the branding.
import { Type } from 'typebox'
import { defineFedcmEndpoint } from './define.ts'
import { FEDCM_PATHS } from './paths.ts'

export const FEDCM_CONFIG = defineFedcmEndpoint({
  name: 'config',
  method: 'GET',
  path: FEDCM_PATHS.config,
  fields: null,
  response: Type.Object({
    accounts_endpoint: Type.String(),
    client_metadata_endpoint: Type.String(),
    id_assertion_endpoint: Type.String(),
    disconnect_endpoint: Type.String(),
    login_url: Type.String(),
    supports_use_other_account: Type.Boolean(),
    branding: Type.Object({ name: Type.String(), background_color: Type.String(), color: Type.String() }),
  }),
  webIdentity: false,
  forOrigin: false,
  credentialed: false,
})
