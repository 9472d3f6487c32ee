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
import { describeError } from '../lib/errors.ts'
import { Kpis } from '../lib/kpi.ts'
import { loadMessages, locale, t, tNodes } from '../lib/l10n.ts'
import { isManageReturn } from '../lib/manage-return.ts'
import { primaryNotice } from '../lib/primary-notice.ts'
import { ProvisioningError, provisionPrimary } from '../lib/provision.ts'
import { saveReturnTo } from '../lib/return-to.ts'
import { handOff } from '../lib/site-handoff.ts'
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
import { fedcmContinuation, finishFedcmLogin, isFedcmLogin, resolveFedcmContinuation } from './fedcm-login.ts'
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

/** A failure in the user's language (the server's reasons are English protocol text). */
const reasonOf = describeError

/** Failures of our own making, already worded for the user. */
class UserFacingError extends Error {}

function messageOf(e: unknown): string {
  return e instanceof UserFacingError ? e.message : reasonOf(e)
}

// ---- the channel to the relying site (the opener) ----

function waitForRequest(): Promise<{ origin: string; raw: unknown }> {
  return new Promise((resolve, reject) => {
    const opener: unknown = window.opener
    if (!(opener && typeof opener === 'object' && 'postMessage' in opener)) {
      reject(new UserFacingError(t('dialog-error-no-opener')))
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
  // FedCM's login URL: no site asks here; Persona itself is the site being signed in to.
  if (isFedcmLogin()) return Promise.resolve({ origin: location.origin, raw: {} })
  // FedCM's continuation: the browser opened us for this site and the address chosen in its dialog.
  const continuation = fedcmContinuation()
  if (continuation)
    return Promise.resolve({ origin: continuation.origin, raw: { email: continuation.email } })
  const fresh = decodeRedirectRequest(location.hash, document.referrer)
  if (location.hash.startsWith(REDIRECT_REQUEST_PREFIX)) {
    history.replaceState(null, '', location.pathname)
    if (!fresh) return Promise.reject(new UserFacingError(t('dialog-error-bad-redirect')))
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
  return h(
    'button',
    { type: 'button', class: 'link', 'data-action': 'cancel', onclick: cancel },
    t('action-cancel'),
  )
}

function legal(): HTMLElement | false {
  if (!params.termsOfService || !params.privacyPolicy) return false
  const link = (href: string, id: string) =>
    h('a', { href, target: '_blank', rel: 'noopener noreferrer' }, t(id))
  return h(
    'p',
    { class: 'fine' },
    ...tNodes(
      'dialog-legal',
      { site: siteLabel() },
      {
        terms: link(params.termsOfService, 'dialog-legal-terms'),
        privacy: link(params.privacyPolicy, 'dialog-legal-privacy'),
      },
    ),
  )
}

function showEmail(prefill = ''): void {
  const form = h(
    'form',
    { id: 'email-form', novalidate: true },
    h('h2', {}, t('dialog-email-heading')),
    field('email', t('field-email'), 'email', { value: prefill, autofocus: true, inputmode: 'email' }),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, t('action-next')),
      cancelButton(),
    ),
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
    h('h2', {}, t('dialog-add-heading')),
    field('email', t('field-new-email'), 'email', { autofocus: true, inputmode: 'email' }),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, t('dialog-add-submit')),
      h('button', { type: 'button', class: 'link', onclick: () => void start() }, t('action-back')),
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
    announce(t('error-email-invalid'), 'error')
    return
  }
  try {
    const info = await busy(form, t('status-checking-address'), () =>
      api.addressInfo(email, params.forceIssuer),
    )
    clearStatus()
    if (info.type === 'primary') {
      if (!info.auth || !info.prov) throw new UserFacingError(t('primary-no-pages', { issuer: info.issuer }))
      const flow: PrimaryFlow = { email, auth: info.auth, prov: info.prov, issuer: info.issuer, mode }
      // The site wants proof of presence now: straight to the provider's sign-in page.
      if (params.forceAuthentication) showPrimaryNotice(flow)
      else await runPrimary(flow, false)
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
        showError(t('dialog-error-idp-offline', { email }))
        break
      default:
        showPassword(email)
    }
  } catch (e) {
    announce(messageOf(e), 'error')
  }
}

function showPassword(email: string, note?: string): void {
  const form = h(
    'form',
    { id: 'password-form', novalidate: true },
    h('h2', {}, t('dialog-password-heading')),
    h('p', { class: 'who' }, email),
    note ? h('p', {}, note) : false,
    field('password', t('field-password'), 'password', { autofocus: true, minlength: '8', maxlength: '80' }),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, t('action-sign-in')),
      h(
        'button',
        { type: 'button', class: 'link', id: 'forgot', onclick: () => void forgot(form, email) },
        t('action-forgot-password'),
      ),
      h('button', { type: 'button', class: 'link', onclick: () => showEmail() }, t('action-use-another')),
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
    announce(t('password-length'), 'error')
    return
  }
  try {
    // Short-lived until the user says this computer is theirs (asked below, after signing in).
    const ephemeral = !isConfirmedEmail(localStorage, email)
    const r = await busy(form, t('status-signing-in'), () =>
      api.post('authenticate_user', { email, pass, ephemeral }),
    )
    if (typeof r !== 'object' || r === null || !('success' in r) || r.success !== true) {
      const locked = typeof r === 'object' && r !== null && 'code' in r && r.code === 'account locked'
      announce(t(locked ? 'dialog-error-locked' : 'dialog-error-wrong-password'), 'error')
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
    if (userid === undefined) return showError(t('error-signed-out'))
    try {
      // The session (and any certificate so far) was made short-lived; "yes" gives the session
      // Persona's full length, and the certificates made from now on are long-lived too.
      if (owns) await busy(section, t('dialog-computer-remembering'), () => api.post('prolong_session'))
      setOwnership(localStorage, userid, owns, email, Date.now())
      await finish(email)
    } catch (e) {
      announce(reasonOf(e), 'error')
    }
  }
  const section = h(
    'section',
    { 'aria-labelledby': 'computer-title', 'aria-describedby': 'computer-question' },
    h('h2', { id: 'computer-title' }, t('dialog-computer-heading')),
    h('p', { id: 'computer-question' }, t('dialog-computer-question')),
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
        t('dialog-computer-mine'),
      ),
      h('p', { class: 'hint', id: 'mine-hint' }, t('dialog-computer-mine-hint')),
      h(
        'button',
        {
          type: 'button',
          id: 'not-my-computer',
          'aria-describedby': 'not-mine-hint',
          onclick: () => void answer(false),
        },
        t('dialog-computer-not-mine'),
      ),
      h('p', { class: 'hint', id: 'not-mine-hint' }, t('dialog-computer-not-mine-hint')),
    ),
    h('p', { class: 'fine' }, t('dialog-computer-fine')),
  )
  screen('is_this_your_computer', section)
  announce(t('dialog-computer-announce'))
  byId('this-is-my-computer', HTMLButtonElement).focus()
}

function showNewPassword(email: string, purpose: 'new' | 'add' | 'transition'): void {
  const heading = t(purpose === 'new' ? 'dialog-new-password-heading' : 'dialog-choose-password-heading')
  const form = h(
    'form',
    { id: 'new-password-form', novalidate: true },
    h('h2', {}, heading),
    h('p', { class: 'who' }, email),
    h('p', { class: 'hint', id: 'pw-hint' }, t('password-hint')),
    field('password', t('field-password'), 'password', {
      autocomplete: 'new-password',
      autofocus: true,
      'aria-describedby': 'pw-hint',
      minlength: '8',
      maxlength: '80',
    }),
    field('vpassword', t('field-repeat-password'), 'password', { autocomplete: 'new-password' }),
    h(
      'div',
      { class: 'actions' },
      h(
        'button',
        { type: 'submit', class: 'primary' },
        t(purpose === 'new' ? 'dialog-create-account' : 'action-continue'),
      ),
      h(
        'button',
        { type: 'button', class: 'link', onclick: () => showEmail(email) },
        t('action-use-another'),
      ),
    ),
    legal(),
  )
  form.addEventListener('submit', (ev) => {
    ev.preventDefault()
    const pass = inputValue('password')
    const problem = passwordProblem(pass)
    if (problem) return announce(problem, 'error')
    if (pass !== inputValue('vpassword')) return announce(t('password-mismatch'), 'error')
    void stageAndWait(form, email, purpose, pass)
  })
  screen('set_password', form)
}

const STAGE = {
  new: { call: 'stage_user', status: 'user_creation_status' },
  add: { call: 'stage_email', status: 'email_addition_status' },
  transition: { call: 'stage_transition', status: 'transition_status' },
  reset: { call: 'stage_reset', status: 'password_reset_status' },
  reverify: { call: 'stage_reverify', status: 'email_reverify_status' },
} as const

async function stageAndWait(
  form: HTMLElement,
  email: string,
  purpose: keyof typeof STAGE,
  pass?: string,
): Promise<void> {
  const { call, status } = STAGE[purpose]
  try {
    const r = await busy(form, t('status-sending-email'), () =>
      api.postOk(call, {
        email,
        site: rpOrigin,
        pass,
        ...(params.backgroundColor ? { backgroundColor: params.backgroundColor.slice(1) } : {}),
        ...(params.siteLogo ? { siteLogo: params.siteLogo } : {}),
        ...(purpose === 'new' && params.allowUnverified ? { allowUnverified: true } : {}),
      }),
    )
    // The page behind the link offers the way back to the site, in this browser.
    if (params.returnTo) saveReturnTo(localStorage, { url: params.returnTo, site: siteLabel() }, Date.now())
    // experimental_allowUnverified: the account exists already, unconfirmed; sign in without waiting.
    if ('unverified' in r && r.unverified === true && pass !== undefined) {
      const auth = await api.postOk('authenticate_user', {
        email,
        pass,
        ephemeral: true,
        allowUnverified: true,
      })
      api.invalidate()
      ctx = await api.sessionContext()
      await afterAuthentication(email, auth.suppress_ask_if_users_computer === true)
      return
    }
    await checkEmail(email, status, purpose)
  } catch (e) {
    announce(reasonOf(e), 'error')
  }
}

function forgot(form: HTMLElement, email: string): Promise<void> {
  return stageAndWait(form, email, 'reset')
}

async function checkEmail(
  email: string,
  statusCall: (typeof STAGE)[keyof typeof STAGE]['status'],
  purpose: keyof typeof STAGE,
): Promise<void> {
  const what = t(
    purpose === 'reset'
      ? 'dialog-check-email-reset'
      : purpose === 'reverify'
        ? 'dialog-check-email-reverify'
        : 'dialog-check-email-confirm',
  )
  const seq = screen(
    'check_email',
    h(
      'section',
      { 'aria-labelledby': 'check-title' },
      h('h2', { id: 'check-title' }, t('dialog-check-email-heading')),
      h('p', {}, ...tNodes('dialog-check-email-sent', {}, { email: h('strong', {}, email) }), ' ', what),
      h('p', { class: 'spinner', 'aria-hidden': 'true' }),
      h('div', { class: 'actions' }, cancelButton()),
    ),
  )
  announce(t('dialog-check-email-announce', { email }))
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
      showPassword(email, t('dialog-confirmed-enter-password'))
    } else {
      showError(t('dialog-error-start-again'))
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
    h('legend', {}, t('dialog-pick-legend')),
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
    h('h2', {}, t('dialog-pick-heading', { site: siteLabel() })),
    list,
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'primary', id: 'signin' }, t('action-sign-in')),
      h(
        'button',
        { type: 'button', class: 'link', id: 'add-email', onclick: showAddEmail },
        t('dialog-pick-add'),
      ),
      h(
        'button',
        { type: 'button', class: 'link', id: 'not-me', onclick: () => void notMe(form) },
        t('dialog-pick-not-me'),
      ),
      cancelButton(),
    ),
    legal(),
  )
  form.addEventListener('submit', (ev) => {
    ev.preventDefault()
    const checked = form.querySelector<HTMLInputElement>('input[name=email]:checked')
    if (!checked) return announce(t('dialog-pick-none'), 'error')
    void busy(form, t('status-signing-in'), () => finish(checked.value))
  })
  screen('pick_email', form)
  const radio = form.querySelector<HTMLInputElement>('input[name=email]:checked')
  radio?.focus()
}

async function notMe(form: HTMLElement): Promise<void> {
  try {
    await busy(form, t('status-signing-out'), () => api.postOk('logout'))
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

function showReverify(email: string): void {
  const section = h(
    'section',
    { 'aria-labelledby': 'reverify-title' },
    h('h2', { id: 'reverify-title' }, t('dialog-reverify-heading')),
    h('p', {}, ...tNodes('dialog-reverify-explain', {}, { email: h('strong', {}, email) })),
    h(
      'div',
      { class: 'actions' },
      h(
        'button',
        {
          type: 'button',
          class: 'primary',
          id: 'reverify',
          onclick: () => void stageAndWait(section, email, 'reverify'),
        },
        t('dialog-reverify-send'),
      ),
      h('button', { type: 'button', class: 'link', onclick: () => void start() }, t('action-use-another')),
      cancelButton(),
    ),
  )
  screen('reverify', section)
}

/** The dialog cannot keep a session without cookies: say so, and how to fix it (Persona had this too). */
function showCookiesDisabled(): void {
  screen(
    'cookies_disabled',
    h(
      'section',
      { 'aria-labelledby': 'cookies-title' },
      h('h2', { id: 'cookies-title' }, t('dialog-cookies-heading')),
      h('p', { role: 'alert' }, t('dialog-cookies-explain', { persona: location.host })),
      h(
        'div',
        { class: 'actions' },
        h(
          'button',
          { type: 'button', class: 'primary', onclick: () => void start().catch(onStartError) },
          t('action-try-again'),
        ),
        cancelButton(),
      ),
    ),
  )
}

function onStartError(e: unknown): void {
  showError(messageOf(e))
}

function showError(message: string): void {
  screen(
    'error',
    h(
      'section',
      { 'aria-labelledby': 'error-title' },
      h('h2', { id: 'error-title' }, t('dialog-error-heading')),
      h('p', { role: 'alert' }, message),
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'button', class: 'primary', onclick: () => void start() }, t('action-try-again')),
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
      h('h2', {}, t('dialog-provisioning-heading', { issuer: flow.issuer })),
      h('p', { class: 'spinner', 'aria-hidden': 'true' }),
    ),
  )
  announce(t('primary-asking', { issuer: flow.issuer, email: flow.email }))
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
      console.warn('persona: primary sign-in failed', e)
      showError(t('primary-failed', { issuer: flow.issuer }))
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
  if (isFedcmLogin()) {
    finishFedcmLogin()
    return
  }
  let assertion: string
  try {
    assertion = await getAssertion(api, email, rpOrigin, {
      ...(params.forceIssuer ? { forceIssuer: params.forceIssuer } : {}),
      ...(params.allowUnverified ? { allowUnverified: true } : {}),
    })
  } catch (e) {
    if (e instanceof NeedsPasswordError) {
      showPassword(email)
      return
    }
    // After a password reset the account's other addresses must be confirmed again (Persona's
    // stage_reverify): offer the mail instead of an error.
    if (e instanceof WsapiError && /\(re\)verification/.test(e.message)) {
      showReverify(email)
      return
    }
    if (e instanceof ProvisioningError) {
      const info = await api.addressInfo(email)
      if (info.type === 'primary' && info.auth && info.prov) {
        showPrimaryNotice({ email, auth: info.auth, prov: info.prov, issuer: info.issuer, mode: 'signin' })
        return
      }
    }
    showError(messageOf(e))
    return
  }
  setSiteEmail(rpOrigin, email)
  const info = getEmail(email)
  // The site's communication iframe may not see what we just stored (partitioned storage): tell it.
  if (window.opener)
    handOff(window.opener, location.origin, { origin: rpOrigin, email, ...(info ? { info } : {}) })
  kpis.set('email_type', info?.type ?? 'secondary')
  kpis.event('assertion_generated')
  screen(
    'signed_in',
    h(
      'section',
      {},
      h('h2', {}, t('dialog-signed-in-heading')),
      h('p', {}, t('dialog-signed-in-body', { site: siteLabel(), email })),
    ),
  )
  announce(t('status-signed-in-as', { email }))
  if (fedcmContinuation()) resolveFedcmContinuation(assertion)
  else respond({ assertion, email })
}

function renderHeader(): void {
  const host = new URL(rpOrigin).host
  if (params.siteLogo) {
    const logo = byId('site-logo', HTMLImageElement)
    // A logo that fails to load leaves no broken image behind.
    logo.addEventListener('error', () => {
      logo.hidden = true
    })
    logo.src = params.siteLogo
    logo.hidden = false
  }
  byId('site-name', HTMLElement).textContent = params.siteName ?? host
  byId('site-origin', HTMLElement).textContent = params.siteName ? host : ''
  if (params.backgroundColor)
    document.documentElement.style.setProperty('--site-color', params.backgroundColor)
  document.title = t('page-title-sign-in-to', { site: params.siteName ?? host })
}

async function start(): Promise<void> {
  clearStatus()
  // The server reports whether this cookie came back (Persona's can_set_cookies).
  // biome-ignore lint/suspicious/noDocumentCookie: a constant test cookie; the Cookie Store API is not everywhere
  document.cookie = 'can_set_cookies=1; path=/; SameSite=Strict'
  ctx = await api.sessionContext(true)
  if (!ctx.cookies || !navigator.cookieEnabled) {
    showCookiesDisabled()
    return
  }
  if (ctx.authenticated) {
    // A site that asks for a fresh sign-in gets the password screen even for a signed-in user.
    if (!params.forceAuthentication) {
      const emails = await api.listEmails()
      syncEmails(emails)
      kpis.set('number_emails', emails.length)
      if (emails.length > 0) {
        // A FedCM continuation: the user already chose this address in the browser's own dialog.
        const chosen = fedcmContinuation()?.email
        if (chosen && emails.includes(chosen)) return finish(chosen)
        await showPick(emails)
        return
      }
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
  await loadMessages()
  screen('load', h('p', { class: 'spinner', 'aria-label': t('status-loading') }))
  let req: { origin: string; raw: unknown }
  try {
    req = await obtainRequest()
  } catch (e) {
    showError(messageOf(e))
    return
  }
  rpOrigin = req.origin
  params = validateRpParams(req.raw, rpOrigin)
  // A site may ask for its own language; the user's own preferences come next.
  if (params.lang) {
    await loadMessages([params.lang]).catch((e: unknown) => console.warn(e))
    api.acceptLanguage = locale()
  }
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
        announce(t('primary-cancelled', { issuer: flow.issuer }), 'error')
        return
      }
      await runPrimary(flow, true)
      return
    }
  }
  try {
    await start()
  } catch (e) {
    showError(messageOf(e))
  }
}

void main()
