// SPDX-License-Identifier: MPL-2.0
// FedCM's accounts endpoint: the signed-in user's addresses, for the browser's account chooser.
import { Type } from 'typebox'
import { defineFedcmEndpoint } from './define.ts'
import { FEDCM_PATHS } from './paths.ts'

export const FedcmAccount = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  login_hints: Type.Array(Type.String()),
  domain_hints: Type.Array(Type.String()),
})

export const FEDCM_ACCOUNTS = defineFedcmEndpoint({
  name: 'accounts',
  method: 'GET',
  path: FEDCM_PATHS.accounts,
  fields: null,
  response: Type.Object({ accounts: Type.Array(FedcmAccount) }),
  webIdentity: true,
  forOrigin: false,
  credentialed: true,
})
