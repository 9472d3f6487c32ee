// SPDX-License-Identifier: MPL-2.0
// The account manager at / (re-implements pages/js/index.js and manage_account.js): sign in with a
// password or through a primary IdP (its provisioning page, and its sign-in page when needed), list the account's addresses, add and remove one, change the password, sign out, and
// cancel the account.
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
import { loadMessages, t, tLabel, tNodes } from '../lib/l10n.ts'
import { type ManageReturn, saveManageReturn, takeManageReturn } from '../lib/manage-return.ts'
import { primaryNotice } from '../lib/primary-notice.ts'
import { ProvisioningError, provisionPrimary } from '../lib/provision.ts'
import { clearAllSites, clearEmails, removeEmail, syncEmails } from '../lib/storage.ts'
import { signInWithPrimary } from '../lib/user.ts'
import { isAuthRequired, Wsapi } from '../lib/wsapi.ts'

const api = new Wsapi()
const root = byId('screen', HTMLElement)
let seq = 0

const reasonOf = describeError

function screen(name: string, ...children: Parameters<typeof showScreen>[2][]): number {
  seq++
  showScreen(root, name, ...children)
  return seq
}

function showSignIn(prefill = ''): void {
  const form = h(
    'form',
    { id: 'signin-form', novalidate: true },
    h('h1', {}, t('account-signin-heading')),
    field('email', t('field-email'), 'email', { autofocus: true, value: prefill }),
    h('p', { class: 'hint', id: 'primary-hint' }, t('account-signin-primary-hint')),
    field('password', t('field-password'), 'password', {
      'aria-describedby': 'primary-hint',
      required: false,
    }),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, t('action-sign-in')),
      h(
        'button',
        { type: 'button', class: 'link', id: 'forgot', onclick: () => void forgot(form) },
        t('action-forgot-password'),
      ),
    ),
  )
  form.addEventListener('submit', (ev) => {
    ev.preventDefault()
    const email = inputValue('email')
    const pass = inputValue('password')
    if (!emailLooksValid(email)) return announce(t('error-email-invalid'), 'error')
    void busy(form, t('status-signing-in'), async () => {
      const info = await api.addressInfo(email)
      if (info.type === 'primary') {
        if (!info.auth || !info.prov) {
          announce(t('primary-no-pages', { issuer: info.issuer }), 'error')
          return
        }
        await signInPrimary({ email, auth: info.auth, prov: info.prov, issuer: info.issuer }, false)
        return
      }
      if (passwordProblem(pass)) {
        announce(t('password-length'), 'error')
        return
      }
      const r = await api.post('authenticate_user', { email, pass, ephemeral: false })
      if (typeof r === 'object' && r !== null && 'success' in r && r.success === true) {
        api.invalidate()
        await showAccount()
        // "Signing in…" is over: the account itself says so now.
        clearStatus()
      } else {
        announce(t('account-signin-mismatch'), 'error')
      }
    }).catch((e: unknown) => announce(reasonOf(e), 'error'))
  })
  screen('signin', form)
}

/**
 * Signs in to Persona with a primary IdP's certificate: silently when the IdP already knows the
 * user, else (first try only) offers its sign-in page, which comes back to /sign_in#AUTH_RETURN.
 */
async function signInPrimary(flow: ManageReturn, afterAuth: boolean): Promise<void> {
  try {
    const { keys, cert } = await provisionPrimary({ email: flow.email, url: flow.prov, ephemeral: false })
    await signInWithPrimary(api, flow.email, { type: 'primary', keys, cert }, 'signin', false)
    await showAccount()
    announce(t('status-signed-in-as', { email: flow.email }))
  } catch (e) {
    if (e instanceof ProvisioningError && e.code === 'primaryError' && !afterAuth) {
      showPrimaryNotice(flow)
      return
    }
    console.warn('persona: primary sign-in failed', e)
    showSignIn(flow.email)
    announce(t('primary-failed', { issuer: flow.issuer }), 'error')
  }
}

function showPrimaryNotice(flow: ManageReturn): void {
  const go = (): void => {
    saveManageReturn(sessionStorage, flow)
    const url = new URL(flow.auth)
    url.searchParams.set('email', flow.email)
    location.href = url.href
  }
  screen(
    'verify_primary',
    primaryNotice({
      email: flow.email,
      issuer: flow.issuer,
      heading: 'h1',
      onContinue: go,
      onOther: () => showSignIn(),
    }),
  )
  clearStatus()
  byId('verify-primary', HTMLButtonElement).focus()
}

/** Back from the IdP's sign-in page (the dialog's /sign_in sent this tab here with the hash). */
async function resumePrimary(hash: string): Promise<boolean> {
  if (!hash.startsWith('#AUTH_RETURN')) return false
  history.replaceState(null, '', location.pathname)
  const flow = takeManageReturn(sessionStorage)
  if (!flow) return false
  if (hash === '#AUTH_RETURN_CANCEL') {
    showSignIn(flow.email)
    announce(t('primary-cancelled', { issuer: flow.issuer }), 'error')
    return true
  }
  screen('provisioning', h('p', { class: 'spinner', 'aria-hidden': 'true' }))
  announce(t('primary-asking', { issuer: flow.issuer, email: flow.email }))
  await signInPrimary(flow, true)
  return true
}

async function forgot(form: HTMLElement): Promise<void> {
  const email = inputValue('email')
  if (!emailLooksValid(email)) return announce(t('account-forgot-need-email'), 'error')
  try {
    await busy(form, t('status-sending-email'), () =>
      api.postOk('stage_reset', { email, site: location.origin }),
    )
    announce(t('account-forgot-sent', { email }))
  } catch (e) {
    announce(reasonOf(e), 'error')
  }
}

async function showAccount(): Promise<void> {
  const ctx = await api.sessionContext(true)
  if (!ctx.authenticated) {
    clearEmails()
    showSignIn()
    return
  }
  const emails = await api.listEmails()
  syncEmails(emails)
  // After a password reset the other addresses wait for re-verification (address_info says so).
  const unverified = new Set(
    (
      await Promise.all(
        emails.map((e) =>
          api.addressInfo(e).then(
            (i) => (i.state === 'unverified' ? e : undefined),
            () => undefined,
          ),
        ),
      )
    ).filter((e): e is string => e !== undefined),
  )
  const list = h(
    'ul',
    { class: 'email-list', id: 'emails' },
    ...emails.map((e) =>
      h(
        'li',
        unverified.has(e) ? { 'data-unverified': 'true' } : {},
        h('span', { class: 'who' }, e),
        unverified.has(e) ? h('span', { class: 'badge' }, t('account-unverified')) : false,
        unverified.has(e)
          ? h(
              'button',
              {
                type: 'button',
                class: 'link',
                'aria-label': tLabel('account-reverify-label', { email: e }),
                onclick: () => void reverify(e),
              },
              t('account-reverify'),
            )
          : false,
        h(
          'button',
          {
            type: 'button',
            class: 'link danger',
            'aria-label': tLabel('account-remove-label', { email: e }),
            onclick: () => void remove(e),
          },
          t('account-remove'),
        ),
      ),
    ),
  )
  const addForm = h(
    'form',
    { id: 'add-email-form', novalidate: true },
    h('h2', {}, t('account-add-heading')),
    field('new-email', t('field-new-email'), 'email'),
    !ctx.has_password
      ? field('add-password', t('account-add-choose-password'), 'password', { autocomplete: 'new-password' })
      : false,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('account-add-submit'))),
  )
  addForm.addEventListener('submit', (ev) => {
    ev.preventDefault()
    void addEmail(addForm, inputValue('new-email'), ctx.has_password ? undefined : inputValue('add-password'))
  })
  const pwForm = h(
    'form',
    { id: 'password-form', novalidate: true },
    h('h2', {}, t('account-password-heading')),
    field('old-password', t('field-current-password'), 'password'),
    field('new-password', t('field-new-password'), 'password', { autocomplete: 'new-password' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('account-password-submit'))),
  )
  pwForm.addEventListener('submit', (ev) => {
    ev.preventDefault()
    void changePassword(pwForm)
  })
  const cancelForm = h(
    'form',
    { id: 'cancel-form' },
    h('h2', {}, t('account-cancel-heading')),
    h('p', {}, t('account-cancel-explain')),
    h(
      'div',
      { class: 'choice' },
      h('input', { type: 'checkbox', id: 'cancel-confirm', required: true }),
      h('label', { for: 'cancel-confirm' }, t('account-cancel-confirm')),
    ),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'danger' }, t('account-cancel-submit')),
    ),
  )
  cancelForm.addEventListener('submit', (ev) => {
    ev.preventDefault()
    void cancelAccount(cancelForm)
  })
  screen(
    'account',
    h('h1', { tabindex: '-1' }, t('account-heading')),
    h(
      'section',
      { 'aria-labelledby': 'emails-title' },
      h('h2', { id: 'emails-title' }, t('account-emails-heading')),
      list,
      unverified.size > 0 ? h('p', { class: 'hint' }, t('account-unverified-hint')) : false,
    ),
    h('section', {}, addForm),
    ctx.has_password ? h('section', {}, pwForm) : false,
    h('section', {}, cancelForm),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', id: 'signout', onclick: () => void signOut() }, t('action-sign-out')),
    ),
  )
}

/** Sends the re-verification mail for an address and waits for its link to be opened. */
async function reverify(email: string): Promise<void> {
  try {
    await api.postOk('stage_reverify', { email, site: location.origin })
  } catch (e) {
    announce(reasonOf(e), 'error')
    return
  }
  announce(t('account-reverify-sent', { email }))
  const mine = seq
  while (mine === seq) {
    await sleep(2000)
    if (mine !== seq) return
    const st = await api.status('email_reverify_status', email).catch(() => 'pending')
    if (st !== 'complete') continue
    await showAccount()
    announce(t('account-reverified', { email }))
    return
  }
}

async function remove(email: string): Promise<void> {
  if (!window.confirm(t('account-remove-confirm', { email }))) return
  try {
    await api.postOk('remove_email', { email })
    removeEmail(email)
    await showAccount()
    announce(t('account-removed', { email }))
  } catch (e) {
    announce(reasonOf(e), 'error')
  }
}

async function addEmail(form: HTMLElement, email: string, pass: string | undefined): Promise<void> {
  if (!emailLooksValid(email)) return announce(t('error-email-invalid'), 'error')
  if (pass !== undefined && passwordProblem(pass)) return announce(t('password-length'), 'error')
  try {
    await busy(form, t('status-sending-email'), () =>
      api.postOk('stage_email', { email, site: location.origin, pass }),
    )
  } catch (e) {
    announce(reasonOf(e), 'error')
    return
  }
  const mine = screen(
    'check_email',
    h('h1', {}, t('account-check-email-heading')),
    h('p', {}, ...tNodes('account-check-email-add', {}, { email: h('strong', {}, email) })),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', onclick: () => void showAccount() }, t('account-back')),
    ),
  )
  announce(t('account-email-sent', { email }))
  while (mine === seq) {
    await sleep(2000)
    if (mine !== seq) return
    const st = await api.status('email_addition_status', email).catch(() => 'pending')
    if (st === 'pending') continue
    await showAccount()
    announce(
      t(st === 'complete' ? 'account-added' : 'account-add-failed', { email }),
      st === 'complete' ? 'info' : 'error',
    )
    return
  }
}

async function changePassword(form: HTMLElement): Promise<void> {
  const oldpass = inputValue('old-password')
  const newpass = inputValue('new-password')
  const problem = passwordProblem(newpass)
  if (problem) return announce(problem, 'error')
  try {
    const ok = await busy(form, t('account-password-changing'), async () => {
      const r = await api.post('update_password', { oldpass, newpass })
      return typeof r === 'object' && r !== null && 'success' in r && r.success === true
    })
    if (!ok) return announce(t('account-password-wrong'), 'error')
    for (const el of form.querySelectorAll('input')) el.value = ''
    announce(t('account-password-changed'))
  } catch (e) {
    announce(reasonOf(e), 'error')
  }
}

async function cancelAccount(form: HTMLElement): Promise<void> {
  const confirmBox = document.getElementById('cancel-confirm')
  if (!(confirmBox instanceof HTMLInputElement) || !confirmBox.checked) {
    return announce(t('account-cancel-tick'), 'error')
  }
  try {
    await busy(form, t('account-cancelling'), () => api.postOk('account_cancel'))
    clearEmails()
    clearAllSites()
    api.invalidate()
    showSignIn()
    announce(t('account-cancelled'))
  } catch (e) {
    announce(reasonOf(e), 'error')
  }
}

async function signOut(): Promise<void> {
  try {
    await api.postOk('logout')
  } catch (e) {
    if (!isAuthRequired(e)) return announce(reasonOf(e), 'error')
  }
  clearEmails()
  clearAllSites()
  api.invalidate()
  showSignIn()
  announce(t('account-signed-out'))
}

loadMessages()
  .then(() => {
    clearStatus()
    return resumePrimary(location.hash)
  })
  .then((resumed) => (resumed ? undefined : showAccount()))
  .catch((e: unknown) => {
    showSignIn()
    announce(reasonOf(e), 'error')
  })
