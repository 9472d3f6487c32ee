// SPDX-License-Identifier: MPL-2.0
// The config file: the endpoints relative to it (so it holds for any public origin), and the branding.
import { FEDCM_CONFIG, FEDCM_PATHS } from '@persona/wsapi'
import { implementFedcm } from './context.ts'

export const config = implementFedcm(FEDCM_CONFIG)(async () => ({
  accounts_endpoint: FEDCM_PATHS.accounts,
  client_metadata_endpoint: FEDCM_PATHS.clientMetadata,
  id_assertion_endpoint: FEDCM_PATHS.assertion,
  disconnect_endpoint: FEDCM_PATHS.disconnect,
  login_url: FEDCM_PATHS.login,
  supports_use_other_account: true,
  branding: { name: 'Persona', background_color: '#0b57d0', color: '#ffffff' },
}))
