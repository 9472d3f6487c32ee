// SPDX-License-Identifier: MPL-2.0
// include.js: the navigator.id API relying sites load (re-implements Persona's include_js/_include.js).
// watch/request/logout/get; a hidden communication iframe on Persona's origin keeps the site's idea of
// who is signed in in step with the session; request() opens the dialog popup and talks to it with
// postMessage, checking the popup's window and Persona's origin on every message. Where the browser
// keeps Persona's cookies from the iframe, the iframe may show one question after a sign-in (the
// Storage Access API needs a click inside it); this script only shows and hides the frame.
// Where the browser offers FedCM and Persona is on another site, request() signs in through the
// browser's own account chooser (the popup stays the fallback), watch() signs returning users in with
// FedCM's silent mediation, and logout() turns that off until the next sign-in. Sites change nothing.
import { buildChannel, type Channel } from '../lib/channel.ts'
import {
  decodeRedirectResult,
  encodeRedirectRequest,
  REDIRECT_NONCE_KEY,
  REDIRECT_RESULT_PREFIX,
  readDialogMessage,
} from '../lib/dialog-messages.ts'
import { fedcmFor } from '../lib/fedcm.ts'
import { getNavigatorId, setNavigatorId } from '../lib/navigator-id.ts'

interface WatchOptions {
  loggedInUser?: string | null | false
  loggedInEmail?: string | null | false
  onlogin?: (assertion: string) => void
  onlogout?: () => void
  onmatch?: () => void
  onready?: () => void
  siteName?: string
  siteLogo?: string
  backgroundColor?: string
}

interface RequestOptions {
  siteName?: string
  siteLogo?: string
  backgroundColor?: string
  termsOfService?: string
  privacyPolicy?: string
  tosURL?: string
  privacyURL?: string
  returnTo?: string
  email?: string
  /** A language for the dialog (BCP 47), tried before the browser's own. */
  lang?: string
  /** Persona's experimental options (Firefox Marketplace): the dialog checks them. */
  experimental_forceIssuer?: string
  experimental_allowUnverified?: boolean
  experimental_forceAuthentication?: boolean
  oncancel?: () => void
}

interface NavigatorId {
  watch(options: WatchOptions): void
  request(options?: RequestOptions): void
  logout(callback?: () => void): void
  get(callback: (assertion: string | null) => void, options?: RequestOptions): void
  getVerifiedEmail(callback: (assertion: string | null) => void): void
  _shimmed: boolean
}

/** Persona's origin is wherever this script came from (http://127.0.0.1:8080 in development). */
function personaOrigin(): string {
  const cur = document.currentScript
  const src =
    cur instanceof HTMLScriptElement && cur.src
      ? cur.src
      : [...document.getElementsByTagName('script')]
          .map((s) => s.src)
          .find((s) => /\/include\.js(\?|$)/.test(s))
  return new URL(src ?? 'https://login.persona.org/include.js', location.href).origin
}

function warn(message: string): void {
  console.warn(`navigator.id: ${message}`)
}

function install(): void {
  const existing = getNavigatorId()
  if (existing?.request && existing._shimmed !== true) return // a native implementation wins
  const ORIGIN = personaOrigin()
  const WINDOW_NAME = '__persona_dialog'
  const WINDOW_FEATURES = 'menubar=0,location=1,resizable=1,scrollbars=1,status=0,width=700,height=480'

  const observers: {
    onlogin?: ((assertion: string) => void) | undefined
    onlogout?: (() => void) | undefined
    onmatch?: (() => void) | undefined
    onready?: (() => void) | undefined
  } = {}
  const displayOpts: Pick<WatchOptions, 'siteName' | 'siteLogo' | 'backgroundColor'> = {}
  let loggedInUser: string | null | undefined
  let compatMode: boolean | undefined
  let chan: Channel | undefined
  let frame: HTMLIFrameElement | undefined
  let waitingForBody = false
  let popup: Window | null = null
  /** A sign-in came back by redirect before the iframe loaded: offer storage access once it has. */
  let offerWhenLoaded = false
  const fedcm = fedcmFor(ORIGIN)
  let fedcmRunning = false
  /** Set once this page heard a login (iframe, dialog or FedCM): no silent FedCM after that. */
  let loginSeen = false

  function checkCompat(requiredMode: boolean): void {
    if (compatMode === undefined) compatMode = requiredMode
    else if (compatMode !== requiredMode) {
      throw new Error('you cannot combine navigator.id.watch() with navigator.id.get() or getVerifiedEmail()')
    }
  }

  function openHiddenIframe(): void {
    if (chan) return
    if (!document.body) {
      if (!waitingForBody) {
        waitingForBody = true
        document.addEventListener('DOMContentLoaded', openHiddenIframe, { once: true })
      }
      return
    }
    const iframe = document.createElement('iframe')
    hideFrame(iframe)
    iframe.title = 'Persona'
    // FedCM users: the browser may let the frame have its cookies without asking (FedCM's trust signal).
    iframe.allow = 'identity-credentials-get'
    iframe.src = `${ORIGIN}/communication_iframe`
    document.body.append(iframe)
    frame = iframe
    const win = iframe.contentWindow
    if (!win) return
    const c = buildChannel({
      window: win,
      origin: ORIGIN,
      scope: 'mozid_ni',
      onReady: () => {
        c.call('loaded').then(
          (state) => {
            observers.onready?.()
            if (offerWhenLoaded) offerStorageAccess()
            // Not awaited: browsers delay FedCM's refusals on purpose (up to a minute), and onready
            // must not wait for that; a silent sign-in is an onlogin like any other, whenever it comes.
            void silentFedcm(state)
          },
          () => {},
        )
      },
    })
    c.bind('storage_access', () => hideFrame(iframe))
    c.bind('logout', () => observers.onlogout?.())
    c.bind('login', (assertion) => {
      if (typeof assertion !== 'string') return
      loginSeen = true
      observers.onlogin?.(assertion)
    })
    c.bind('match', () => observers.onmatch?.())
    if (loggedInUser !== undefined) c.notify('loggedInUser', loggedInUser)
    chan = c
  }

  function hideFrame(iframe: HTMLIFrameElement): void {
    iframe.hidden = true
    iframe.setAttribute('aria-hidden', 'true')
    iframe.tabIndex = -1
    iframe.style.cssText = ''
  }

  /** The iframe's one question, in a corner of the page (styled through the CSSOM, CSP-safe). */
  function showFrame(iframe: HTMLIFrameElement): void {
    iframe.style.cssText =
      'position:fixed;right:16px;bottom:16px;width:min(380px,calc(100vw - 32px));height:170px;' +
      'border:0;border-radius:12px;box-shadow:0 4px 24px rgba(0,0,0,.25);z-index:2147483647;' +
      'background:#fff;color-scheme:light'
    iframe.hidden = false
    iframe.removeAttribute('aria-hidden')
    iframe.removeAttribute('tabindex')
  }

  /** After a sign-in: the iframe asks for storage access if the browser keeps it out, once. */
  function offerStorageAccess(): void {
    offerWhenLoaded = false
    const c = chan
    const iframe = frame
    if (!c || !iframe) return
    c.call('offer_storage_access').then(
      (shown) => {
        if (shown === true) showFrame(iframe)
      },
      () => {},
    )
  }

  /**
   * A returning user, on a page that believes nobody is signed in, where the iframe cannot tell: FedCM
   * signs them in without a word if the browser remembers them here (and never after logout()).
   */
  async function silentFedcm(state: unknown): Promise<void> {
    const access = typeof state === 'object' && state !== null ? Reflect.get(state, 'access') : undefined
    if (!fedcm || access === 'full' || loginSeen || typeof loggedInUser === 'string') return
    if (!observers.onlogout) return // the stateless API never signs in without a request()
    const r = await fedcm.signIn({ mediation: 'silent' })
    if (r.kind !== 'token' || loginSeen) return
    signedIn({ assertion: r.token, email: r.email })
  }

  /** A sign-in the site should hear of (from the dialog, a redirect or FedCM). */
  function signedIn(result: { assertion: string; email: string }): void {
    loginSeen = true
    loggedInUser = result.email
    // Tell the iframe who is signed in now so it does not announce the same login twice.
    chan?.notify('loggedInUser', result.email)
    observers.onlogin?.(result.assertion)
  }

  /** Sends this tab to the dialog with the request in the fragment; false if it cannot. */
  function redirectToDialog(params: Record<string, string | number>): boolean {
    const bytes = crypto.getRandomValues(new Uint8Array(18))
    const nonce = btoa(String.fromCharCode(...bytes))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
    try {
      sessionStorage.setItem(REDIRECT_NONCE_KEY, nonce)
    } catch {
      return false
    }
    location.href = `${ORIGIN}/sign_in${encodeRedirectRequest({ origin: location.origin, nonce, params })}`
    return true
  }

  /** Back from the redirect flow: the dialog's result, if it carries the nonce this tab kept. */
  function takeRedirectResult(): void {
    if (!location.hash.startsWith(REDIRECT_RESULT_PREFIX)) return
    let nonce: string | null = null
    try {
      nonce = sessionStorage.getItem(REDIRECT_NONCE_KEY)
      sessionStorage.removeItem(REDIRECT_NONCE_KEY)
    } catch {
      // no sessionStorage: nothing can match
    }
    const got = decodeRedirectResult(location.hash, nonce)
    history.replaceState(history.state, '', location.pathname + location.search)
    if (!got) {
      warn('ignored a sign-in result that this page did not ask for')
      return
    }
    const result = got.result
    if (!result) return // cancelled: oncancel belonged to the page that left
    // The communication iframe then answers "match" rather than a second login.
    loggedInUser = result.email
    loginSeen = true
    offerWhenLoaded = true
    setTimeout(() => observers.onlogin?.(result.assertion), 0)
  }

  function internalWatch(options: WatchOptions): void {
    if (typeof options !== 'object' || options === null) return
    for (const k of ['onlogin', 'onlogout', 'onmatch', 'onready'] as const) {
      if (options[k] !== undefined && typeof options[k] !== 'function') {
        throw new Error('non-function where function expected in parameters to navigator.id.watch()')
      }
    }
    if (!options.onlogin) throw new Error("'onlogin' is a required argument to navigator.id.watch()")
    if (!options.onlogout && (options.onmatch || 'loggedInUser' in options)) {
      throw new Error('stateless api only allows onlogin and onready options')
    }
    observers.onlogin = options.onlogin
    observers.onlogout = options.onlogout
    observers.onmatch = options.onmatch
    observers.onready = options.onready
    if (options.loggedInEmail !== undefined) {
      if (options.loggedInUser !== undefined)
        throw new Error('you cannot supply *both* loggedInEmail and loggedInUser')
      warn('loggedInEmail has been deprecated')
      options.loggedInUser = options.loggedInEmail
    }
    const u = options.loggedInUser === false ? null : options.loggedInUser
    if (u !== null && u !== undefined && typeof u !== 'string')
      throw new Error('loggedInUser is not a valid type')
    loggedInUser = u
    if (options.siteName) displayOpts.siteName = options.siteName
    if (options.siteLogo) displayOpts.siteLogo = options.siteLogo
    if (options.backgroundColor) displayOpts.backgroundColor = options.backgroundColor
    takeRedirectResult()
    openHiddenIframe()
  }

  /** Only plain data crosses to the dialog; callbacks stay here. */
  function dialogParams(options: RequestOptions, rpApi: string): Record<string, string | number> {
    const out: Record<string, string | number> = { rp_api: rpApi, start_time: Date.now() }
    const siteName = displayOpts.siteName ?? options.siteName
    const siteLogo = displayOpts.siteLogo ?? options.siteLogo
    const backgroundColor = displayOpts.backgroundColor ?? options.backgroundColor
    const termsOfService = options.termsOfService ?? options.tosURL
    const privacyPolicy = options.privacyPolicy ?? options.privacyURL
    const entries = {
      siteName,
      siteLogo,
      backgroundColor,
      termsOfService,
      privacyPolicy,
      returnTo: options.returnTo,
      lang: options.lang,
    }
    for (const [k, v] of Object.entries(entries)) if (typeof v === 'string' && v) out[k] = v
    if (typeof options.email === 'string' && options.email) out.email = options.email
    if (typeof options.experimental_forceIssuer === 'string' && options.experimental_forceIssuer)
      out.experimental_forceIssuer = options.experimental_forceIssuer
    for (const k of ['experimental_allowUnverified', 'experimental_forceAuthentication'] as const) {
      if (options[k] === true) out[k] = 'true'
    }
    return out
  }

  function internalRequest(options: RequestOptions, rpApi: string): void {
    if (options.termsOfService && !options.privacyPolicy)
      warn('termsOfService ignored unless privacyPolicy also defined')
    if (options.privacyPolicy && !options.termsOfService)
      warn('privacyPolicy ignored unless termsOfService also defined')
    if (popup && !popup.closed) {
      popup.focus()
      return
    }
    const params = dialogParams(options, rpApi)
    // FedCM's button flow needs the click that called us; without one, the popup (or redirect) path.
    if (fedcm && hasActivation()) {
      if (fedcmRunning) return
      fedcmRunning = true
      chan?.notify('dialog_running')
      void fedcm
        .signIn({ mediation: 'required', ...(options.email ? { loginHint: options.email } : {}) })
        .then((r) => {
          fedcmRunning = false
          if (r.kind === 'fallback') {
            chan?.notify('dialog_complete', false)
            openDialog(options, params)
            return
          }
          chan?.notify('dialog_complete', false)
          if (r.kind === 'token') {
            signedIn({ assertion: r.token, email: r.email })
            offerStorageAccess()
          } else options.oncancel?.()
        })
      return
    }
    openDialog(options, params)
  }

  function hasActivation(): boolean {
    const ua: unknown = Reflect.get(navigator, 'userActivation')
    return typeof ua === 'object' && ua !== null && Reflect.get(ua, 'isActive') === true
  }

  function openDialog(options: RequestOptions, params: Record<string, string | number>): void {
    const w = window.open(`${ORIGIN}/sign_in`, WINDOW_NAME, WINDOW_FEATURES)
    if (!w) {
      // Popup blocked: with watch() this tab goes to the dialog and comes back to returnTo.
      if (compatMode === false && redirectToDialog(params)) return
      warn('the sign-in window was blocked; call request() from a click handler')
      options.oncancel?.()
      return
    }
    popup = w
    chan?.notify('dialog_running')
    let settled = false

    function done(result: { assertion: string; email: string } | null): void {
      if (settled) return
      settled = true
      window.removeEventListener('message', onMessage)
      clearInterval(closedPoll)
      popup = null
      chan?.notify('dialog_complete', !result)
      if (result) {
        signedIn(result)
        offerStorageAccess()
      } else options.oncancel?.()
    }

    function onMessage(ev: MessageEvent): void {
      const m = readDialogMessage(ev, { source: w, origin: ORIGIN })
      if (m?.type === 'ready') {
        // The dialog says it is ready (again, after an IdP's sign-in page): send the request.
        w?.postMessage({ persona: 'dialog', type: 'request', params }, ORIGIN)
      } else if (m?.type === 'response') {
        done(m.result)
      }
    }

    window.addEventListener('message', onMessage)
    const closedPoll = setInterval(() => {
      if (w.closed) done(null)
    }, 300)
  }

  let apiCalled: string | undefined

  const api: NavigatorId = {
    watch(options) {
      if (this !== api) throw new Error('all navigator.id calls must be made on the navigator.id object')
      checkCompat(false)
      internalWatch(options)
    },
    request(options = {}) {
      if (this !== api) throw new Error('all navigator.id calls must be made on the navigator.id object')
      if (!observers.onlogin) throw new Error('navigator.id.watch must be called before navigator.id.request')
      checkCompat(false)
      if (!options.returnTo) options.returnTo = location.pathname
      const rpApi = observers.onlogout
        ? observers.onready
          ? 'watch_with_onready'
          : 'watch_without_onready'
        : 'stateless'
      internalRequest(options, rpApi)
    },
    logout(callback) {
      if (this !== api) throw new Error('all navigator.id calls must be made on the navigator.id object')
      openHiddenIframe()
      chan?.notify('logout')
      loginSeen = false
      // No silent FedCM sign-in here until the user signs in again.
      fedcm?.preventSilentAccess()
      if (typeof callback === 'function') {
        warn('the logout callback is deprecated; use onlogout of watch()')
        setTimeout(callback, 0)
      }
    },
    get(callback, passed = {}) {
      apiCalled = apiCalled ?? 'get'
      checkCompat(true)
      let cb: ((a: string | null) => void) | undefined = callback
      internalWatch({
        onlogin: (assertion) => {
          cb?.(assertion)
          cb = undefined
        },
        onlogout: () => {},
        ...(passed.siteName ? { siteName: passed.siteName } : {}),
        ...(passed.siteLogo ? { siteLogo: passed.siteLogo } : {}),
        ...(passed.backgroundColor ? { backgroundColor: passed.backgroundColor } : {}),
      })
      internalRequest(
        {
          ...passed,
          oncancel: () => {
            cb?.(null)
            cb = undefined
            observers.onlogin = observers.onlogout = observers.onmatch = observers.onready = undefined
          },
        },
        apiCalled,
      )
      apiCalled = undefined
    },
    getVerifiedEmail(callback) {
      warn('getVerifiedEmail has been deprecated')
      checkCompat(true)
      apiCalled = 'getVerifiedEmail'
      api.get(callback)
    },
    _shimmed: true,
  }
  setNavigatorId(api)
}

install()
