// SPDX-License-Identifier: MPL-2.0
// /auth: Persona's own authentication page for addresses of domains that delegate to us (the support
// document and discovery name it): the dialog sends the user here with ?email=; a Persona password
// signs them in (authenticate_user), then back to the dialog (completeAuthentication), or they cancel
// (raiseAuthenticationFailure).
import '../authentication-api.ts'
import { announce, busy, byId, field, h, inputValue, passwordProblem, showScreen } from '../lib/dom.ts'
import { describeError } from '../lib/errors.ts'
import { loadMessages, t, tNodes } from '../lib/l10n.ts'
import { getNavigatorId } from '../lib/navigator-id.ts'
import { Wsapi } from '../lib/wsapi.ts'

const api = new Wsapi()
const root = byId('screen', HTMLElement)

function method(name: string): (...args: unknown[]) => void {
  const id = getNavigatorId()
  const f: unknown = id?.[name]
  if (typeof f !== 'function') throw new TypeError(`navigator.id.${name} is missing`)
  return (...args: unknown[]) => Reflect.apply(f, id, args)
}

function showForm(email: string): void {
  const form = h(
    'form',
    { id: 'idp-auth-form', novalidate: true },
    h('h1', {}, t('idp-auth-heading')),
    h('p', {}, ...tNodes('idp-auth-explain', {}, { email: h('strong', { class: 'who' }, email) })),
    field('password', t('field-password'), 'password', { autofocus: true }),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, t('action-sign-in')),
      h(
        'button',
        {
          type: 'button',
          class: 'link',
          id: 'idp-cancel',
          onclick: () => method('raiseAuthenticationFailure')('cancelled'),
        },
        t('action-cancel'),
      ),
    ),
  )
  form.addEventListener('submit', (ev) => {
    ev.preventDefault()
    const pass = inputValue('password')
    const problem = passwordProblem(pass)
    if (problem) return announce(problem, 'error')
    void busy(form, t('status-signing-in'), async () => {
      const r = await api.post('authenticate_user', { email, pass, ephemeral: false })
      if (typeof r === 'object' && r !== null && 'success' in r && r.success === true) {
        method('completeAuthentication')()
      } else {
        announce(t('idp-auth-wrong'), 'error')
      }
    }).catch((e: unknown) => announce(describeError(e), 'error'))
  })
  showScreen(root, 'idp_auth', form)
}

void loadMessages().then(() => {
  method('beginAuthentication')((email: unknown) => {
    if (typeof email === 'string' && /^[^\s@]+@[^\s@]+$/.test(email)) showForm(email)
    else showScreen(root, 'error', h('h1', {}, t('idp-auth-no-email')))
  })
})
