// SPDX-License-Identifier: MPL-2.0
// FedCM's ID assertion endpoint: a backed BrowserID assertion for the asking site's origin (its
// backend verifies it at /verify unchanged), or the dialog's URL where only the dialog can make one.
import { Type } from 'typebox'
import { defineFedcmEndpoint, formFields } from './define.ts'
import { FEDCM_PATHS } from './paths.ts'

export const FEDCM_ASSERTION = defineFedcmEndpoint({
  name: 'assertion',
  method: 'POST',
  path: FEDCM_PATHS.assertion,
  fields: formFields({
    client_id: Type.String({ minLength: 1, maxLength: 2048 }),
    account_id: Type.String({ minLength: 3, maxLength: 254 }),
    is_auto_selected: Type.Optional(Type.String({ maxLength: 8 })),
    disclosure_text_shown: Type.Optional(Type.String({ maxLength: 8 })),
    nonce: Type.Optional(Type.String({ maxLength: 2048 })),
    params: Type.Optional(Type.String({ maxLength: 4096 })),
  }),
  response: Type.Union([Type.Object({ token: Type.String() }), Type.Object({ continue_on: Type.String() })]),
  webIdentity: true,
  forOrigin: true,
  credentialed: true,
})
