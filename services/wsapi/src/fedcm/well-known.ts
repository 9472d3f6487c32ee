// SPDX-License-Identifier: MPL-2.0
// FedCM's well-known file: the config files this identity provider serves, and (for browsers that skip
// the well-known check for a known config) the accounts endpoint and login URL.
import { Type } from 'typebox'
import { defineFedcmEndpoint } from './define.ts'
import { FEDCM_PATHS } from './paths.ts'

export const FEDCM_WELL_KNOWN = defineFedcmEndpoint({
  name: 'well-known',
  method: 'GET',
  path: FEDCM_PATHS.wellKnown,
  fields: null,
  response: Type.Object({
    provider_urls: Type.Array(Type.String()),
    accounts_endpoint: Type.String(),
    login_url: Type.String(),
  }),
  webIdentity: false,
  forOrigin: false,
  credentialed: false,
})
