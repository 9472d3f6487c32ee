// SPDX-License-Identifier: MPL-2.0
// The messages between include.js and the sign-in dialog (Persona used WinChan for the popup and
// `returnTo` for its redirect flow), as pure functions so node:test can check them: which postMessage
// events to accept (right window, right origin, right shape), and the URL fragments of the redirect
// flow used when the popup is blocked (the request to the dialog, the result back to the site,
// bound to a one-time nonce the site kept in its sessionStorage).

export interface SignInResult {
  readonly assertion: string
  readonly email: string
}

export type DialogMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'request'; readonly params: unknown }
  | { readonly type: 'response'; readonly result: SignInResult | null }

/** What a MessageEvent carries that matters here. */
export interface MessageLike {
  readonly source: unknown
  readonly origin: string
  readonly data: unknown
}

export const REDIRECT_REQUEST_PREFIX = '#persona_request='
export const REDIRECT_RESULT_PREFIX = '#persona_result='
/** Where include.js keeps the nonce of a redirect in flight (the site's own sessionStorage). */
export const REDIRECT_NONCE_KEY = 'persona.redirectNonce'

function isObject(v: unknown): v is object {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function prop(o: object, k: string): unknown {
  return Reflect.get(o, k)
}

export function asSignInResult(v: unknown): SignInResult | null {
  if (!isObject(v)) return null
  const assertion = prop(v, 'assertion')
  const email = prop(v, 'email')
  return typeof assertion === 'string' && assertion && typeof email === 'string' && email
    ? { assertion, email }
    : null
}

/**
 * A dialog message from `expect.source`, or undefined. `expect.origin` undefined means any origin
 * (the dialog learns the site's origin from the site's first message); otherwise it must match.
 */
export function readDialogMessage(
  ev: MessageLike,
  expect: { readonly source: unknown; readonly origin?: string | undefined },
): DialogMessage | undefined {
  if (expect.source === null || expect.source === undefined || ev.source !== expect.source) return undefined
  if (expect.origin !== undefined && ev.origin !== expect.origin) return undefined
  const m = ev.data
  if (!isObject(m) || prop(m, 'persona') !== 'dialog') return undefined
  switch (prop(m, 'type')) {
    case 'ready':
      return { type: 'ready' }
    case 'request':
      return { type: 'request', params: isObject(prop(m, 'params')) ? prop(m, 'params') : {} }
    case 'response':
      return { type: 'response', result: asSignInResult(prop(m, 'result')) }
    default:
      return undefined
  }
}

/** An http(s) origin exactly as `URL.origin` writes it, or undefined. */
export function normalOrigin(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined
  try {
    const u = new URL(v)
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined
    return u.origin === v ? v : undefined
  } catch {
    return undefined
  }
}

export interface RedirectRequest {
  readonly origin: string
  readonly nonce: string
  readonly params: unknown
}

export function encodeRedirectRequest(r: RedirectRequest): string {
  return REDIRECT_REQUEST_PREFIX + encodeURIComponent(JSON.stringify(r))
}

/**
 * The request in the dialog's fragment. Nothing proves who wrote it, so the site's origin must also
 * be the page that sent us here (the referrer) when the browser tells us that.
 */
export function decodeRedirectRequest(hash: string, referrer: string): RedirectRequest | undefined {
  if (!hash.startsWith(REDIRECT_REQUEST_PREFIX)) return undefined
  let v: unknown
  try {
    v = JSON.parse(decodeURIComponent(hash.slice(REDIRECT_REQUEST_PREFIX.length)))
  } catch {
    return undefined
  }
  if (!isObject(v)) return undefined
  const origin = normalOrigin(prop(v, 'origin'))
  const nonce = prop(v, 'nonce')
  if (!origin || typeof nonce !== 'string' || !/^[A-Za-z0-9_-]{16,64}$/.test(nonce)) return undefined
  if (referrer) {
    let from: string
    try {
      from = new URL(referrer).origin
    } catch {
      return undefined
    }
    if (from !== origin) return undefined
  }
  const params = prop(v, 'params')
  return { origin, nonce, params: isObject(params) ? params : {} }
}

/** Where the dialog sends the user back: `returnTo` on the site's own origin, else its root. */
export function redirectReturnUrl(
  returnTo: string | undefined,
  origin: string,
  nonce: string,
  result: SignInResult | null,
): string {
  let url = new URL('/', origin)
  if (returnTo) {
    try {
      const u = new URL(returnTo, origin)
      if (u.origin === origin) url = u
    } catch {
      // keep the root
    }
  }
  url.hash = REDIRECT_RESULT_PREFIX.slice(1) + encodeURIComponent(JSON.stringify({ nonce, result }))
  return url.href
}

/**
 * The result in the site's fragment, accepted only with the nonce this site stored before leaving
 * (so a crafted link cannot sign anyone in). undefined: no result for us; null: the user cancelled.
 */
export function decodeRedirectResult(
  hash: string,
  expectedNonce: string | null,
): { readonly result: SignInResult | null } | undefined {
  if (!hash.startsWith(REDIRECT_RESULT_PREFIX) || !expectedNonce) return undefined
  let v: unknown
  try {
    v = JSON.parse(decodeURIComponent(hash.slice(REDIRECT_RESULT_PREFIX.length)))
  } catch {
    return undefined
  }
  if (!isObject(v) || prop(v, 'nonce') !== expectedNonce) return undefined
  return { result: asSignInResult(prop(v, 'result')) }
}
