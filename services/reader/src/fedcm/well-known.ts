// SPDX-License-Identifier: MPL-2.0
// /.well-known/web-identity: our one config file, and our accounts endpoint and login URL.
import { FEDCM_PATHS, FEDCM_WELL_KNOWN } from '@persona/wsapi'
import { implementFedcm } from './context.ts'

export const wellKnown = implementFedcm(FEDCM_WELL_KNOWN)(async (ctx) => {
  const at = (path: string) => `${ctx.own.origin}${path}`
  return {
    provider_urls: [at(FEDCM_PATHS.config)],
    accounts_endpoint: at(FEDCM_PATHS.accounts),
    login_url: at(FEDCM_PATHS.login),
  }
})
