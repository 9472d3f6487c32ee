// SPDX-License-Identifier: MPL-2.0
// include.js's side of FedCM (W3C Federated Credential Management): where the browser offers
// navigator.credentials.get({identity}), a site's sign-in goes through the browser's own account
// chooser, and a returning user is signed in silently; Persona's ID assertion endpoint answers with
// the same backed BrowserID assertion the dialog would make. No global type augmentation: the API is
// reached through Reflect and checked at run time.
import { FEDCM_PATHS } from '@persona/wsapi/fedcm/paths'

export type FedcmOutcome =
  | { readonly kind: 'token'; readonly token: string; readonly email: string }
  /** The user closed the browser's dialog, or the browser would not show it. */
  | { readonly kind: 'cancelled' }
  /** Persona's endpoints could not finish (e.g. an address only the dialog can vouch for). */
  | { readonly kind: 'fallback' }

export interface Fedcm {
  /** `active`: the sign-in button's flow (needs the user's click); `silent`: returning users only. */
  signIn(opts: {
    readonly mediation: 'silent' | 'required'
    readonly loginHint?: string
  }): Promise<FedcmOutcome>
  /** After a sign-out: no silent sign-in until the user signs in again. */
  preventSilentAccess(): void
}

/**
 * Same site, roughly: the same host, or one a subdomain of the other. There Persona's cookies are
 * first-party in the site's frames and the popup and iframe need no help; FedCM is for the rest.
 */
export function sameSite(a: string, b: string): boolean {
  return a === b || a.endsWith(`.${b}`) || b.endsWith(`.${a}`)
}

function b64urlJson(part: string): unknown {
  const b64 = part.replace(/-/g, '+').replace(/_/g, '/')
  try {
    return JSON.parse(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)))
  } catch {
    return undefined
  }
}

/** The address a backed assertion's (first) certificate names, if it names one. */
export function emailOfToken(token: string): string | undefined {
  const payload = token.split('~')[0]?.split('.')[1]
  const claims = payload === undefined ? undefined : b64urlJson(payload)
  if (typeof claims !== 'object' || claims === null) return undefined
  const principal: unknown = Reflect.get(claims, 'principal')
  const email =
    typeof principal === 'object' && principal !== null ? Reflect.get(principal, 'email') : undefined
  return typeof email === 'string' ? email : undefined
}

interface CredentialsLike {
  get(options: object): Promise<unknown>
  preventSilentAccess?(): Promise<void>
}

function credentials(): CredentialsLike | undefined {
  const c: unknown = Reflect.get(navigator, 'credentials')
  return typeof c === 'object' && c !== null && typeof Reflect.get(c, 'get') === 'function'
    ? {
        get: (o) => Reflect.apply(Reflect.get(c, 'get'), c, [o]),
        preventSilentAccess: () => Reflect.apply(Reflect.get(c, 'preventSilentAccess'), c, []),
      }
    : undefined
}

/** FedCM for a site that uses Persona at `personaOrigin`, or undefined where it does not apply. */
export function fedcmFor(personaOrigin: string): Fedcm | undefined {
  const creds = credentials()
  if (typeof Reflect.get(window, 'IdentityCredential') !== 'function' || !creds || !window.isSecureContext) {
    return undefined
  }
  if (sameSite(new URL(personaOrigin).hostname, location.hostname)) return undefined
  const provider = { configURL: `${personaOrigin}${FEDCM_PATHS.config}`, clientId: location.origin }
  return {
    async signIn(opts) {
      const identity = {
        providers: [{ ...provider, ...(opts.loginHint ? { loginHint: opts.loginHint } : {}) }],
        ...(opts.mediation === 'required' ? { mode: 'active' } : {}),
      }
      try {
        const cred = await creds.get({ identity, mediation: opts.mediation })
        const token = typeof cred === 'object' && cred !== null ? Reflect.get(cred, 'token') : undefined
        const email = typeof token === 'string' ? emailOfToken(token) : undefined
        return typeof token === 'string' && email ? { kind: 'token', token, email } : { kind: 'cancelled' }
      } catch (e) {
        // The ID assertion endpoint's own error: the dialog can still do what FedCM could not.
        const name = typeof e === 'object' && e !== null ? Reflect.get(e, 'name') : undefined
        return name === 'IdentityCredentialError' ? { kind: 'fallback' } : { kind: 'cancelled' }
      }
    },
    preventSilentAccess() {
      creds.preventSilentAccess?.().catch(() => {})
    },
  }
}
