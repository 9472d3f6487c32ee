// SPDX-License-Identifier: MPL-2.0
// Where each piece of Persona's FedCM identity provider is served (no imports: include.js bundles it).
// The credentialed endpoints live under /wsapi/ because Persona's session cookie has always been scoped
// to that path; the config file names the others relative to itself.
export const FEDCM_PATHS = {
  wellKnown: '/.well-known/web-identity',
  config: '/fedcm/config.json',
  clientMetadata: '/fedcm/client_metadata',
  accounts: '/wsapi/fedcm/accounts',
  assertion: '/wsapi/fedcm/assertion',
  disconnect: '/wsapi/fedcm/disconnect',
  /** The sign-in dialog in its FedCM mode: signs in to Persona, then hands back to the browser. */
  login: '/sign_in?fedcm=login',
  /** The dialog finishing a token the server cannot make (origin and email added). */
  continuation: '/sign_in?fedcm=continue',
} as const
