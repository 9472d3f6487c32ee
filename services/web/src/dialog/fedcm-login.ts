// SPDX-License-Identifier: MPL-2.0
// The sign-in dialog in FedCM's two windows:
// - the login URL (/sign_in?fedcm=login): the browser opens it when the user is not signed in to
//   Persona (or wants another account). The usual screens sign the user in to Persona; then the
//   browser is told (Login Status API) and the window closes: the browser lists the accounts and asks
//   the ID assertion endpoint itself. No site is named: FedCM keeps it from the IdP here.
// - the continuation (/sign_in?fedcm=continue&origin=…&email=…): the ID assertion endpoint's
//   `continue_on` when only the dialog can vouch for the address chosen (a primary IdP's, or a session
//   below password level). The dialog makes the assertion for that origin as usual and hands it to the
//   browser (IdentityProvider.resolve), which gives it to the site that asked, and no other.

function fedcmMode(): string | null {
  return new URLSearchParams(location.search).get('fedcm')
}

export function isFedcmLogin(): boolean {
  return fedcmMode() === 'login'
}

/** The site and address of a continuation, if this is one (the origin must be a plain origin). */
export function fedcmContinuation(): { readonly origin: string; readonly email: string } | undefined {
  if (fedcmMode() !== 'continue') return undefined
  const q = new URLSearchParams(location.search)
  const origin = q.get('origin') ?? ''
  const email = q.get('email') ?? ''
  try {
    const u = new URL(origin)
    if ((u.protocol !== 'https:' && u.protocol !== 'http:') || u.origin !== origin) return undefined
  } catch {
    return undefined
  }
  return /^[^\s@]+@[^\s@]+$/.test(email) && email.length <= 254 ? { origin, email } : undefined
}

function identityProvider(method: 'close' | 'resolve'): ((...args: unknown[]) => unknown) | undefined {
  const provider: unknown = Reflect.get(window, 'IdentityProvider')
  const f = typeof provider === 'function' ? Reflect.get(provider, method) : undefined
  return typeof f === 'function' ? (...args) => Reflect.apply(f, provider, args) : undefined
}

/** Signed in to Persona: the browser takes it from here. */
export function finishFedcmLogin(): void {
  const login: unknown = Reflect.get(navigator, 'login')
  const setStatus = typeof login === 'object' && login !== null ? Reflect.get(login, 'setStatus') : undefined
  const told =
    typeof setStatus === 'function'
      ? Promise.resolve(Reflect.apply(setStatus, login, ['logged-in']))
      : Promise.resolve()
  void told
    .catch(() => {})
    .finally(() => {
      const close = identityProvider('close')
      if (close) close()
      else window.close()
    })
}

/** The continuation's answer: the assertion goes to the browser, for the site that asked. */
export function resolveFedcmContinuation(assertion: string): void {
  const resolve = identityProvider('resolve')
  if (!resolve) throw new Error('This window was not opened by your browser for a site.')
  resolve(assertion)
}
