// SPDX-License-Identifier: MPL-2.0
// The pages behind the emailed links (re-implements pages/js/verify_secondary_address.js and
// reset_password.js): /verify_email_address (complete_user_creation), /confirm and /add_email_address
// (complete_email_confirmation), /complete_transition (complete_transition) and /reset_password
// (complete_reset, which always takes the new password here).
import { announce, busy, byId, field, h, inputValue, passwordProblem, showScreen } from '../lib/dom.ts'
import { Wsapi, WsapiError } from '../lib/wsapi.ts'

const api = new Wsapi()
const root = byId('screen', HTMLElement)

const COMPLETE_CALL: Record<string, string> = {
  '/verify_email_address': 'complete_user_creation',
  '/confirm': 'complete_email_confirmation',
  '/add_email_address': 'complete_email_confirmation',
  '/complete_transition': 'complete_transition',
  '/reset_password': 'complete_reset',
}

function failure(message: string): void {
  showScreen(
    root,
    'error',
    h('h1', {}, 'This link did not work'),
    h('p', { role: 'alert' }, message),
    h('p', {}, h('a', { href: '/' }, 'Go to your Persona account')),
  )
}

function success(email: string, isReset: boolean): void {
  showScreen(
    root,
    'complete',
    h('h1', { id: 'done' }, isReset ? 'Your password is reset' : 'Your address is confirmed'),
    h(
      'p',
      {},
      h('strong', { class: 'who' }, email),
      isReset ? ' can sign in with the new password.' : ' is ready to use.',
    ),
    h(
      'p',
      {},
      'If you started signing in to a site in another window, it will continue there. You can close this page.',
    ),
    h('p', {}, h('a', { href: '/' }, 'Manage your Persona account')),
  )
  announce(isReset ? 'Password reset.' : 'Address confirmed.')
}

async function complete(call: string, token: string, email: string, pass: string | undefined): Promise<void> {
  try {
    await api.postOk(call, pass === undefined ? { token } : { token, pass })
    success(email, call === 'complete_reset')
  } catch (e) {
    if (e instanceof WsapiError && e.status === 401) {
      announce(
        /mismatch/.test(e.message) ? 'That password is not right.' : 'Please enter your password.',
        'error',
      )
      return
    }
    failure(
      e instanceof WsapiError && e.status === 200
        ? 'This link has already been used, or it expired.'
        : String(e instanceof Error ? e.message : e),
    )
  }
}

function askPassword(call: string, token: string, email: string, isNew: boolean): void {
  const form = h(
    'form',
    { id: 'token-password-form', novalidate: true },
    h('h1', {}, isNew ? 'Choose a new password' : 'Enter your password'),
    h('p', { class: 'who' }, email),
    isNew ? h('p', { class: 'hint', id: 'pw-hint' }, '8 to 80 characters.') : false,
    field('password', isNew ? 'New password' : 'Password', 'password', {
      autofocus: true,
      autocomplete: isNew ? 'new-password' : 'current-password',
      ...(isNew ? { 'aria-describedby': 'pw-hint' } : {}),
    }),
    isNew
      ? field('vpassword', 'Repeat the new password', 'password', { autocomplete: 'new-password' })
      : false,
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, isNew ? 'Save password' : 'Confirm'),
    ),
  )
  form.addEventListener('submit', (ev) => {
    ev.preventDefault()
    const pass = inputValue('password')
    const problem = passwordProblem(pass)
    if (problem) return announce(problem, 'error')
    if (isNew && pass !== inputValue('vpassword')) return announce('The passwords do not match.', 'error')
    void busy(form, 'Saving…', () => complete(call, token, email, pass))
  })
  showScreen(root, 'password', form)
}

async function main(): Promise<void> {
  const call = COMPLETE_CALL[location.pathname]
  const token = new URLSearchParams(location.search).get('token') ?? ''
  if (!call || !/^[A-Za-z0-9]{48}$/.test(token)) {
    failure('The link is incomplete. Please copy the whole link from the email.')
    return
  }
  showScreen(root, 'load', h('h1', {}, 'Checking your link…'))
  let info: Awaited<ReturnType<Wsapi['emailForToken']>>
  try {
    await api.sessionContext()
    info = await api.emailForToken(token)
  } catch (e) {
    failure(e instanceof Error ? e.message : String(e))
    return
  }
  // A reset always takes the new password. The others ask for the account's password only when this
  // browser did not start the flow (must_auth), as Persona's verify page did.
  if (call === 'complete_reset') askPassword(call, token, info.email, true)
  else if (info.mustAuth) askPassword(call, token, info.email, false)
  else await complete(call, token, info.email, undefined)
}

void main()
