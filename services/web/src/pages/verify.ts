// SPDX-License-Identifier: MPL-2.0
// The pages behind the emailed links (re-implements pages/js/verify_secondary_address.js and
// reset_password.js): /verify_email_address (complete_user_creation), /confirm and /add_email_address
// (complete_email_confirmation), /complete_transition (complete_transition) and /reset_password
// (complete_reset, which always takes the new password here).
import { announce, busy, byId, field, h, inputValue, passwordProblem, showScreen } from '../lib/dom.ts'
import { describeError } from '../lib/errors.ts'
import { loadMessages, t, tNodes } from '../lib/l10n.ts'
import { takeReturnTo } from '../lib/return-to.ts'
import { Wsapi, WsapiError } from '../lib/wsapi.ts'

const api = new Wsapi()
const root = byId('screen', HTMLElement)

/** The call each landing page completes. */
type CompleteCall =
  | 'complete_user_creation'
  | 'complete_email_confirmation'
  | 'complete_transition'
  | 'complete_reset'

const COMPLETE_CALL: Record<string, CompleteCall> = {
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
    h('h1', {}, t('link-failed-heading')),
    h('p', { role: 'alert' }, message),
    h('p', {}, h('a', { href: '/' }, t('link-go-to-account'))),
  )
}

function success(email: string, isReset: boolean): void {
  const back = takeReturnTo(localStorage, Date.now())
  showScreen(
    root,
    'complete',
    h('h1', { id: 'done' }, t(isReset ? 'link-reset-heading' : 'link-confirmed-heading')),
    h(
      'p',
      {},
      ...tNodes(
        isReset ? 'link-reset-body' : 'link-confirmed-body',
        {},
        {
          email: h('strong', { class: 'who' }, email),
        },
      ),
    ),
    h('p', {}, t('link-continue-elsewhere')),
    back
      ? h(
          'p',
          {},
          h(
            'a',
            { href: back.url, id: 'return-to', class: 'button' },
            t('link-return-to-site', { site: back.site }),
          ),
        )
      : false,
    h('p', {}, h('a', { href: '/' }, t('link-manage-account'))),
  )
  announce(t(isReset ? 'link-reset-announce' : 'link-confirmed-announce'))
}

async function complete(
  call: CompleteCall,
  token: string,
  email: string,
  pass: string | undefined,
): Promise<void> {
  try {
    await api.postOk(call, pass === undefined ? { token } : { token, pass })
    success(email, call === 'complete_reset')
  } catch (e) {
    if (e instanceof WsapiError && e.status === 401) {
      announce(t(/mismatch/.test(e.message) ? 'link-wrong-password' : 'link-need-password'), 'error')
      return
    }
    failure(e instanceof WsapiError && e.status === 200 ? t('link-used-or-expired') : describeError(e))
  }
}

function askPassword(call: CompleteCall, token: string, email: string, isNew: boolean): void {
  const form = h(
    'form',
    { id: 'token-password-form', novalidate: true },
    h('h1', {}, t(isNew ? 'link-new-password-heading' : 'link-password-heading')),
    h('p', { class: 'who' }, email),
    isNew ? h('p', { class: 'hint', id: 'pw-hint' }, t('password-hint')) : false,
    field('password', t(isNew ? 'field-new-password' : 'field-password'), 'password', {
      autofocus: true,
      autocomplete: isNew ? 'new-password' : 'current-password',
      ...(isNew ? { 'aria-describedby': 'pw-hint' } : {}),
    }),
    isNew
      ? field('vpassword', t('field-repeat-new-password'), 'password', { autocomplete: 'new-password' })
      : false,
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, t(isNew ? 'link-save-password' : 'link-confirm')),
    ),
  )
  form.addEventListener('submit', (ev) => {
    ev.preventDefault()
    const pass = inputValue('password')
    const problem = passwordProblem(pass)
    if (problem) return announce(problem, 'error')
    if (isNew && pass !== inputValue('vpassword')) return announce(t('password-mismatch'), 'error')
    void busy(form, t('status-saving'), () => complete(call, token, email, pass))
  })
  showScreen(root, 'password', form)
}

async function main(): Promise<void> {
  await loadMessages()
  const call = COMPLETE_CALL[location.pathname]
  const token = new URLSearchParams(location.search).get('token') ?? ''
  if (!call || !/^[A-Za-z0-9]{48}$/.test(token)) {
    failure(t('link-incomplete'))
    return
  }
  showScreen(root, 'load', h('h1', {}, t('link-checking')))
  let info: Awaited<ReturnType<Wsapi['emailForToken']>>
  try {
    await api.sessionContext()
    info = await api.emailForToken(token)
  } catch (e) {
    failure(
      e instanceof WsapiError && e.call === 'email_for_token' ? t('link-used-or-expired') : describeError(e),
    )
    return
  }
  // A reset always takes the new password. The others ask for the account's password only when this
  // browser did not start the flow (must_auth), as Persona's verify page did.
  if (call === 'complete_reset') askPassword(call, token, info.email, true)
  else if (info.mustAuth) askPassword(call, token, info.email, false)
  else await complete(call, token, info.email, undefined)
}

void main()
