// SPDX-License-Identifier: MPL-2.0
// The sign-in dialog at /sign_in (re-implements Persona's dialog state machine, dialog/js/misc/state.js
// and its modules, in one small controller): the relying site opens it with request(); it signs the
// user in to Persona (password, new account, address addition, reset, or a primary IdP) and hands back
// an assertion for the site's origin.

import {
  decodeRedirectRequest,
  REDIRECT_REQUEST_PREFIX,
  type RedirectRequest,
  readDialogMessage,
  redirectReturnUrl,
} from '../lib/dialog-messages.ts'
import {
  announce,
  busy,
  byId,
  clearStatus,
  emailLooksValid,
  field,
  h,
  inputValue,
  passwordProblem,
  showScreen,
  sleep,
} from '../lib/dom.ts'
import { Kpis } from '../lib/kpi.ts'
import { isManageReturn } from '../lib/manage-return.ts'
import { primaryNotice } from '../lib/primary-notice.ts'
import { ProvisioningError, provisionPrimary } from '../lib/provision.ts'
import {
  clearAllSites,
  clearEmails,
  getEmail,
  getSiteEmail,
  setSiteEmail,
  syncEmails,
} from '../lib/storage.ts'
import { getAssertion, NeedsPasswordError, signInWithPrimary } from '../lib/user.ts'
import { isConfirmedEmail, setOwnership, shouldAsk } from '../lib/users-computer.ts'
import { isAuthRequired, type SessionContext, Wsapi, WsapiError } from '../lib/wsapi.ts'
import { type RpParams, validateRpParams } from './rp-params.ts'

const api = new Wsapi()
const kpis = new Kpis(localStorage)
const root = byId('screen', HTMLElement)
const POLL_MS = 2000
const PRIMARY_STATE_KEY = 'persona.primaryFlow'
const REDIRECT_STATE_KEY = 'persona.redirectRequest'

let rpOrigin = ''
let params: RpParams = {}
let ctx: SessionContext | undefined
/** Set in the redirect flow (no popup): the result goes back by navigation, bound to this nonce. */
let redirect: { readonly nonce: string } | undefined
/** Set once an emailed link finished a registration here: Persona then skips "is this your computer?". */
let registrationComplete = false
/** Bumped on every screen change so a stale poll loop stops. */
let screenSeq = 0

interface PrimaryFlow {
  readonly email: string
  readonly auth: string
  readonly prov: string
  readonly issuer: string
  readonly mode: 'signin' | 'add'
}

function screen(name: string, ...children: Parameters<typeof showScreen>[2][]): number {
  kpis.event(`screen.${name}`)
  screenSeq++
  clearStatus()
  showScreen(root, name, ...children)
  return screenSeq
}

function siteLabel(): string {
  return params.siteName ?? new URL(rpOrigin).host
}

function reasonOf(e: unknown): string {
  if (e instanceof WsapiError) {
    if (e.status === 429) return 'Too many emails were sent to that address. Please try again in a minute.'
    if (e.status === 503) return 'Persona is busy right now. Please try again.'
    return e.message
  }
  return e instanceof Error ? e.message : String(e)
}

// ---- the channel to the relying site (the opener) ----

function waitForRequest(): Promise<{ origin: string; raw: unknown }> {
  return new Promise((resolve, reject) => {
    const opener: unknown = window.opener
    if (!(opener && typeof opener === 'object' && 'postMessage' in opener)) {
      reject(new Error('This window must be opened by a site that uses Persona.'))
      return
    }
    window.addEventListener('message', function onMessage(ev: MessageEvent) {
      const m = readDialogMessage(ev, { source: window.opener })
      if (m?.type !== 'request') return
      window.removeEventListener('message', onMessage)
      resolve({ origin: ev.origin, raw: m.params })
    })
    // Nothing secret here, and we cannot know the site's origin before it answers.
    window.opener.postMessage({ persona: 'dialog', type: 'ready' }, '*')
  })
}

/**
 * The request: from the fragment when the site could not open a popup and sent this tab here
 * (Persona's redirect flow; kept in sessionStorage across an IdP's sign-in page), else from the opener.
 */
function obtainRequest(): Promise<{ origin: string; raw: unknown }> {
  const fresh = decodeRedirectRequest(location.hash, document.referrer)
  if (location.hash.startsWith(REDIRECT_REQUEST_PREFIX)) {
    history.replaceState(null, '', location.pathname)
    if (!fresh)
      return Promise.reject(new Error('This sign-in link is not valid. Please go back and try again.'))
    sessionStorage.setItem(REDIRECT_STATE_KEY, JSON.stringify(fresh))
  }
  const saved = fresh ?? (window.opener ? undefined : savedRedirect())
  if (saved) {
    redirect = { nonce: saved.nonce }
    return Promise.resolve({ origin: saved.origin, raw: saved.params })
  }
  return waitForRequest()
}

function savedRedirect(): RedirectRequest | undefined {
  const raw = sessionStorage.getItem(REDIRECT_STATE_KEY)
  return raw ? decodeRedirectRequest(REDIRECT_REQUEST_PREFIX + encodeURIComponent(raw), '') : undefined
}

function respond(result: { assertion: string; email: string } | null): void {
  if (redirect && rpOrigin) {
    sessionStorage.removeItem(REDIRECT_STATE_KEY)
    location.replace(redirectReturnUrl(params.returnTo, rpOrigin, redirect.nonce, result))
    return
  }
  if (window.opener && rpOrigin) {
    window.opener.postMessage({ persona: 'dialog', type: 'response', result }, rpOrigin)
  }
  window.close()
}

function cancel(): void {
  kpis.event('cancel')
  sessionStorage.removeItem(PRIMARY_STATE_KEY)
  respond(null)
}

// ---- screens ----

function cancelButton(): HTMLButtonElement {
  return h('button', { type: 'button', class: 'link', 'data-action': 'cancel', onclick: cancel }, 'Cancel')
}

function legal(): HTMLElement | false {
  if (!params.termsOfService || !params.privacyPolicy) return false
  return h(
    'p',
    { class: 'fine' },
    `By proceeding, you agree to ${siteLabel()}'s `,
    h('a', { href: params.termsOfService, target: '_blank', rel: 'noopener noreferrer' }, 'Terms'),
    ' and ',
    h('a', { href: params.privacyPolicy, target: '_blank', rel: 'noopener noreferrer' }, 'Privacy Policy'),
    '.',
  )
}

function showEmail(prefill = ''): void {
  const form = h(
    'form',
    { id: 'email-form', novalidate: true },
    h('h2', {}, 'Sign in with your email'),
    field('email', 'Email address', 'email', { value: prefill, autofocus: true, inputmode: 'email' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Next'), cancelButton()),
    legal(),
  )
  form.addEventListener('submit', (ev) => {
    ev.preventDefault()
    void onEmail(form, inputValue('email'), 'signin')
  })
  screen('email', form)
}

function showAddEmail(): void {
  const form = h(
    'form',
    { id: 'add-email-form', novalidate: true },
    h('h2', {}, 'Add an email address'),
    field('email', 'New email address', 'email', { autofocus: true, inputmode: 'email' }),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, 'Add'),
      h('button', { type: 'button', class: 'link', onclick: () => void start() }, 'Back'),
    ),
  )
  form.addEventListener('submit', (ev) => {
    ev.preventDefault()
    void onEmail(form, inputValue('email'), 'add')
  })
  screen('add_email', form)
}

async function onEmail(form: HTMLElement, email: string, mode: 'signin' | 'add'): Promise<void> {
  if (!emailLooksValid(email)) {
    announce('Please enter a valid email address.', 'error')
    return
  }
  try {
    const info = await busy(form, 'Checking your address…', () => api.addressInfo(email))
    clearStatus()
    if (info.type === 'primary') {
      if (!info.auth || !info.prov) throw new Error(`${info.issuer} did not say where to sign in.`)
      await runPrimary({ email, auth: info.auth, prov: info.prov, issuer: info.issuer, mode }, false)
      return
    }
    if (mode === 'add') {
      if (ctx?.has_password) await stageAndWait(form, email, 'add')
      else showNewPassword(email, 'add')
      return
    }
    switch (info.state) {
      case 'unknown':
        showNewPassword(email, 'new')
        break
      case 'transition_no_password':
        showNewPassword(email, 'transition')
        break
      case 'offline':
        showError(`The identity provider for ${email} is offline right now. Please try again later.`)
        break
      default:
        showPassword(email)
    }
  } catch (e) {
    announce(reasonOf(e), 'error')
  }
}

function showPassword(email: string, note?: string): void {
  const form = h(
    'form',
    { id: 'password-form', novalidate: true },
    h('h2', {}, 'Enter your password'),
    h('p', { class: 'who' }, email),
    note ? h('p', {}, note) : false,
    field('password', 'Password', 'password', { autofocus: true, minlength: '8', maxlength: '80' }),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, 'Sign in'),
      h(
        'button',
        { type: 'button', class: 'link', id: 'forgot', onclick: () => void forgot(form, email) },
        'Forgot your password?',
      ),
      h('button', { type: 'button', class: 'link', onclick: () => showEmail() }, 'Use another address'),
    ),
  )
  form.addEventListener('submit', (ev) => {
    ev.preventDefault()
    void signInWithPassword(form, email, inputValue('password'))
  })
  screen('password', form)
}

async function signInWithPassword(form: HTMLElement, email: string, pass: string): Promise<void> {
  if (passwordProblem(pass)) {
    announce('The password must be 8 to 80 characters long.', 'error')
    return
  }
  try {
    // Short-lived until the user says this computer is theirs (asked below, after signing in).
    const ephemeral = !isConfirmedEmail(localStorage, email)
    const r = await busy(form, 'Signing in…', () => api.post('authenticate_user', { email, pass, ephemeral }))
    if (typeof r !== 'object' || r === null || !('success' in r) || r.success !== true) {
      const locked = typeof r === 'object' && r !== null && 'code' in r && r.code === 'account locked'
      announce(
        locked ? 'This account is locked. Reset your password to unlock it.' : 'That password is not right.',
        'error',
      )
      return
    }
    api.invalidate()
    ctx = await api.sessionContext()
    await afterAuthentication(
      email,
      'suppress_ask_if_users_computer' in r && r.suppress_ask_if_users_computer === true,
    )
  } catch (e) {
    announce(reasonOf(e), 'error')
  }
}

/** After a sign-in to Persona in this dialog: ask "is this your computer?" when Persona would. */
async function afterAuthentication(email: string, suppressAsk: boolean): Promise<void> {
  const userid = ctx?.userid
  if (suppressAsk && userid !== undefined) setOwnership(localStorage, userid, true, email, Date.now())
  if (!registrationComplete && shouldAsk(localStorage, userid, Date.now())) {
    showIsThisYourComputer(email)
    return
  }
  await finish(email)
}

function showIsThisYourComputer(email: string): void {
  const answer = async (owns: boolean): Promise<void> => {
    const userid = ctx?.userid
    if (userid === undefined) return showError('You are not signed in any more. Please start again.')
    try {
      // The session (and any certificate so far) was made short-lived; "yes" gives the session
      // Persona's full length, and the certificates made from now on are long-lived too.
      if (owns) await busy(section, 'Remembering you…', () => api.post('prolong_session'))
      setOwnership(localStorage, userid, owns, email, Date.now())
      await finish(email)
    } catch (e) {
      announce(reasonOf(e), 'error')
    }
  }
  const section = h(
    'section',
    { 'aria-labelledby': 'computer-title', 'aria-describedby': 'computer-question' },
    h('h2', { id: 'computer-title' }, 'Remember you?'),
    h('p', { id: 'computer-question' }, 'How long would you like to stay signed in with Persona?'),
    h(
      'div',
      { class: 'choices' },
      h(
        'button',
        {
          type: 'button',
          class: 'primary',
          id: 'this-is-my-computer',
          'aria-describedby': 'mine-hint',
          onclick: () => void answer(true),
        },
        'One month',
      ),
      h('p', { class: 'hint', id: 'mine-hint' }, 'I trust this computer.'),
      h(
        'button',
        {
          type: 'button',
          id: 'not-my-computer',
          'aria-describedby': 'not-mine-hint',
          onclick: () => void answer(false),
        },
        'This session only',
      ),
      h('p', { class: 'hint', id: 'not-mine-hint' }, 'This is not my computer: sign me out within an hour.'),
    ),
    h('p', { class: 'fine' }, 'You can sign out of Persona at any time.'),
  )
  screen('is_this_your_computer', section)
  announce('Signed in. How long would you like to stay signed in?')
  byId('this-is-my-computer', HTMLButtonElement).focus()
}

function showNewPassword(email: string, purpose: 'new' | 'add' | 'transition'): void {
  const heading = purpose === 'new' ? 'Create a password' : 'Choose a password'
  const form = h(
    'form',
    { id: 'new-password-form', novalidate: true },
    h('h2', {}, heading),
    h('p', { class: 'who' }, email),
    h('p', { class: 'hint', id: 'pw-hint' }, '8 to 80 characters.'),
    field('password', 'Password', 'password', {
      autocomplete: 'new-password',
      autofocus: true,
      'aria-describedby': 'pw-hint',
      minlength: '8',
      maxlength: '80',
    }),
    field('vpassword', 'Repeat the password', 'password', { autocomplete: 'new-password' }),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, purpose === 'new' ? 'Create account' : 'Continue'),
      h('button', { type: 'button', class: 'link', onclick: () => showEmail(email) }, 'Use another address'),
    ),
    legal(),
  )
  form.addEventListener('submit', (ev) => {
    ev.preventDefault()
    const pass = inputValue('password')
    const problem = passwordProblem(pass)
    if (problem) return announce(problem, 'error')
    if (pass !== inputValue('vpassword')) return announce('The passwords do not match.', 'error')
    void stageAndWait(form, email, purpose, pass)
  })
  screen('set_password', form)
}

const STAGE = {
  new: { call: 'stage_user', status: 'user_creation_status' },
  add: { call: 'stage_email', status: 'email_addition_status' },
  transition: { call: 'stage_transition', status: 'transition_status' },
  reset: { call: 'stage_reset', status: 'password_reset_status' },
} as const

async function stageAndWait(
  form: HTMLElement,
  email: string,
  purpose: keyof typeof STAGE,
  pass?: string,
): Promise<void> {
  const { call, status } = STAGE[purpose]
  try {
    await busy(form, 'Sending you an email…', () =>
      api.postOk(call, {
        email,
        site: rpOrigin,
        pass,
        ...(params.backgroundColor ? { backgroundColor: params.backgroundColor.slice(1) } : {}),
      }),
    )
    await checkEmail(email, status, purpose)
  } catch (e) {
    announce(reasonOf(e), 'error')
  }
}

function forgot(form: HTMLElement, email: string): Promise<void> {
  return stageAndWait(form, email, 'reset')
}

async function checkEmail(email: string, statusCall: string, purpose: keyof typeof STAGE): Promise<void> {
  const what =
    purpose === 'reset'
      ? 'Click the link in it to choose a new password.'
      : 'Click the link in it to confirm the address. This window will continue on its own.'
  const seq = screen(
    'check_email',
    h(
      'section',
      { 'aria-labelledby': 'check-title' },
      h('h2', { id: 'check-title' }, 'Check your email'),
      h('p', {}, 'We sent a message to ', h('strong', {}, email), '. ', what),
      h('p', { class: 'spinner', 'aria-hidden': 'true' }),
      h('div', { class: 'actions' }, cancelButton()),
    ),
  )
  announce(`Email sent to ${email}. Waiting for you to click the link.`)
  while (seq === screenSeq) {
    await sleep(POLL_MS)
    if (seq !== screenSeq) return
    let st: string
    try {
      st = await api.status(statusCall, email)
    } catch (e) {
      if (!isAuthRequired(e)) continue // a failed poll is retried; the user can cancel
      st = 'mustAuth' // the session ended meanwhile (e.g. a password reset elsewhere)
    }
    if (st === 'pending') continue
    // An emailed link finished here: like Persona, don't ask "is this your computer?" now.
    if (st === 'complete' || st === 'mustAuth') registrationComplete = true
    if (st === 'complete') {
      if (purpose === 'new') kpis.set('new_account', true)
      api.invalidate()
      ctx = await api.sessionContext()
      await finish(email)
    } else if (st === 'mustAuth') {
      showPassword(email, 'Your address is confirmed. Enter your password to finish signing in.')
    } else {
      showError('That did not work. Please start again.')
    }
    return
  }
}

async function showPick(emails: readonly string[]): Promise<void> {
  const preferred = getSiteEmail(rpOrigin) ?? params.email
  const selected = preferred && emails.includes(preferred) ? preferred : emails[0]
  const list = h(
    'fieldset',
    { class: 'emails' },
    h('legend', {}, 'Choose an email address'),
    ...emails.map((e, i) =>
      h(
        'div',
        { class: 'choice' },
        h('input', { type: 'radio', name: 'email', id: `email_${i}`, value: e, checked: e === selected }),
        h('label', { for: `email_${i}` }, e),
      ),
    ),
  )
  const form = h(
    'form',
    { id: 'pick-form' },
    h('h2', {}, `Sign in to ${siteLabel()}`),
    list,
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'primary', id: 'signin' }, 'Sign in'),
      h(
        'button',
        { type: 'button', class: 'link', id: 'add-email', onclick: showAddEmail },
        'Add another email address',
      ),
      h(
        'button',
        { type: 'button', class: 'link', id: 'not-me', onclick: () => void notMe(form) },
        'This is not me',
      ),
      cancelButton(),
    ),
    legal(),
  )
  form.addEventListener('submit', (ev) => {
    ev.preventDefault()
    const checked = form.querySelector<HTMLInputElement>('input[name=email]:checked')
    if (!checked) return announce('Please choose an address.', 'error')
    void busy(form, 'Signing in…', () => finish(checked.value))
  })
  screen('pick_email', form)
  const radio = form.querySelector<HTMLInputElement>('input[name=email]:checked')
  radio?.focus()
}

async function notMe(form: HTMLElement): Promise<void> {
  try {
    await busy(form, 'Signing out…', () => api.postOk('logout'))
  } catch (e) {
    // an expired session answers "requires authentication": already signed out
    if (!isAuthRequired(e)) return announce(reasonOf(e), 'error')
  }
  clearEmails()
  clearAllSites()
  api.invalidate()
  ctx = await api.sessionContext()
  clearStatus()
  showEmail()
}

function showError(message: string): void {
  screen(
    'error',
    h(
      'section',
      { 'aria-labelledby': 'error-title' },
      h('h2', { id: 'error-title' }, 'Something went wrong'),
      h('p', { role: 'alert' }, message),
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'button', class: 'primary', onclick: () => void start() }, 'Try again'),
        cancelButton(),
      ),
    ),
  )
}

// ---- primary IdPs ----

async function runPrimary(flow: PrimaryFlow, afterAuth: boolean): Promise<void> {
  screen(
    'provisioning',
    h(
      'section',
      {},
      h('h2', {}, `Checking with ${flow.issuer}`),
      h('p', { class: 'spinner', 'aria-hidden': 'true' }),
    ),
  )
  announce(`Asking ${flow.issuer} to vouch for ${flow.email}…`)
  try {
    const ephemeral = !isConfirmedEmail(localStorage, flow.email)
    const { keys, cert } = await provisionPrimary({ email: flow.email, url: flow.prov, ephemeral })
    const r = await signInWithPrimary(api, flow.email, { type: 'primary', keys, cert }, flow.mode, ephemeral)
    ctx = await api.sessionContext()
    if (flow.mode === 'add') await finish(flow.email)
    else await afterAuthentication(flow.email, r.suppress_ask_if_users_computer === true)
  } catch (e) {
    if (e instanceof ProvisioningError && e.code === 'primaryError' && !afterAuth) {
      showPrimaryNotice(flow)
    } else {
      showError(`${flow.issuer} could not sign you in: ${reasonOf(e)}`)
    }
  }
}

function showPrimaryNotice(flow: PrimaryFlow): void {
  const go = (): void => {
    // The site's origin travels with the flow: whoever asks when we come back must be the same site.
    sessionStorage.setItem(PRIMARY_STATE_KEY, JSON.stringify({ ...flow, rpOrigin }))
    const url = new URL(flow.auth)
    url.searchParams.set('email', flow.email)
    location.href = url.href
  }
  screen(
    'verify_primary',
    primaryNotice({
      email: flow.email,
      issuer: flow.issuer,
      heading: 'h2',
      onContinue: go,
      onOther: () => showEmail(),
    }),
  )
}

/**
 * The flow saved before the trip to the IdP's sign-in page, only when `origin` (the site asking now) is
 * the site that started it: otherwise the window the dialog reports to may have been navigated to
 * another site meanwhile, which must not receive an assertion it never asked the user for.
 */
function takePrimaryFlow(origin: string): PrimaryFlow | undefined {
  const raw = sessionStorage.getItem(PRIMARY_STATE_KEY)
  sessionStorage.removeItem(PRIMARY_STATE_KEY)
  if (!raw) return undefined
  try {
    const v: unknown = JSON.parse(raw)
    if (typeof v !== 'object' || v === null) return undefined
    const get = (k: string): unknown => Reflect.get(v, k)
    const email = get('email')
    const auth = get('auth')
    const prov = get('prov')
    const issuer = get('issuer')
    const mode = get('mode')
    if (get('rpOrigin') !== origin) return undefined
    if (typeof email !== 'string' || typeof auth !== 'string' || typeof prov !== 'string') return undefined
    return {
      email,
      auth,
      prov,
      issuer: typeof issuer === 'string' ? issuer : new URL(prov).host,
      mode: mode === 'add' ? 'add' : 'signin',
    }
  } catch {
    return undefined
  }
}

// ---- finishing ----

async function finish(email: string): Promise<void> {
  let assertion: string
  try {
    assertion = await getAssertion(api, email, rpOrigin)
  } catch (e) {
    if (e instanceof NeedsPasswordError) {
      showPassword(email)
      return
    }
    if (e instanceof ProvisioningError) {
      const info = await api.addressInfo(email)
      if (info.type === 'primary' && info.auth && info.prov) {
        showPrimaryNotice({ email, auth: info.auth, prov: info.prov, issuer: info.issuer, mode: 'signin' })
        return
      }
    }
    showError(reasonOf(e))
    return
  }
  setSiteEmail(rpOrigin, email)
  kpis.set('email_type', getEmail(email)?.type ?? 'secondary')
  kpis.event('assertion_generated')
  screen(
    'signed_in',
    h('section', {}, h('h2', {}, 'Signed in'), h('p', {}, `Signing you in to ${siteLabel()} as ${email}…`)),
  )
  announce(`Signed in as ${email}.`)
  respond({ assertion, email })
}

function renderHeader(): void {
  const host = new URL(rpOrigin).host
  byId('site-name', HTMLElement).textContent = params.siteName ?? host
  byId('site-origin', HTMLElement).textContent = params.siteName ? host : ''
  if (params.backgroundColor)
    document.documentElement.style.setProperty('--site-color', params.backgroundColor)
  document.title = `Sign in to ${params.siteName ?? host} · Persona`
}

async function start(): Promise<void> {
  clearStatus()
  ctx = await api.sessionContext(true)
  if (ctx.authenticated) {
    const emails = await api.listEmails()
    syncEmails(emails)
    kpis.set('number_emails', emails.length)
    if (emails.length > 0) {
      await showPick(emails)
      return
    }
  } else {
    clearEmails()
  }
  showEmail(params.email ?? '')
}

/**
 * Sends what earlier sampled dialogs recorded (Persona did this at the next dialog too), then decides
 * whether this one is sampled. Best effort: a failure never stops signing in.
 */
async function startKpis(raw: unknown): Promise<void> {
  try {
    const c = await api.sessionContext()
    const finished = kpis.takeFinished()
    if (finished.length > 0) await api.post('interaction_data', { data: finished })
    const rpApi = typeof raw === 'object' && raw !== null ? Reflect.get(raw, 'rp_api') : undefined
    kpis.begin(c.data_sample_rate, c.server_time, {
      lang: document.documentElement.lang || null,
      screen_size: { width: window.screen.width, height: window.screen.height },
      ...(typeof rpApi === 'string' && rpApi.length <= 40 ? { rp_api: rpApi } : {}),
    })
  } catch {
    // KPIs are optional
  }
}

async function main(): Promise<void> {
  // The account manager's trip to a primary IdP lands here too: hand it back to `/`.
  if (isManageReturn(sessionStorage, location.hash)) {
    location.replace(`/${location.hash}`)
    return
  }
  screen('load', h('p', { class: 'spinner', 'aria-label': 'Loading' }))
  let req: { origin: string; raw: unknown }
  try {
    req = await obtainRequest()
  } catch (e) {
    showError(reasonOf(e))
    return
  }
  rpOrigin = req.origin
  params = validateRpParams(req.raw, rpOrigin)
  await startKpis(req.raw)
  renderHeader()
  const hash = location.hash
  if (hash.startsWith('#AUTH_RETURN')) {
    history.replaceState(null, '', location.pathname)
    // Resumed only for the site that started it; anyone else gets the ordinary dialog, which names
    // the asking site and waits for the user.
    const flow = takePrimaryFlow(rpOrigin)
    if (flow) {
      ctx = await api.sessionContext(true)
      if (hash === '#AUTH_RETURN_CANCEL') {
        showEmail(flow.email)
        announce(`${flow.issuer} did not sign you in.`, 'error')
        return
      }
      await runPrimary(flow, true)
      return
    }
  }
  try {
    await start()
  } catch (e) {
    showError(reasonOf(e))
  }
}

void main()
