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
import { type ManageReturn, saveManageReturn, takeManageReturn } from '../lib/manage-return.ts'
import { primaryNotice } from '../lib/primary-notice.ts'
import { ProvisioningError, provisionPrimary } from '../lib/provision.ts'
import { clearAllSites, clearEmails, removeEmail, syncEmails } from '../lib/storage.ts'
import { signInWithPrimary } from '../lib/user.ts'
import { isAuthRequired, Wsapi, WsapiError } from '../lib/wsapi.ts'

const api = new Wsapi()
const root = byId('screen', HTMLElement)
let seq = 0

function reasonOf(e: unknown): string {
  if (e instanceof WsapiError && e.status === 429)
    return 'Too many emails were sent to that address. Try again in a minute.'
  return e instanceof Error ? e.message : String(e)
}

function screen(name: string, ...children: Parameters<typeof showScreen>[2][]): number {
  seq++
  showScreen(root, name, ...children)
  return seq
}

function showSignIn(prefill = ''): void {
  const form = h(
    'form',
    { id: 'signin-form', novalidate: true },
    h('h1', {}, 'Sign in to your Persona account'),
    field('email', 'Email address', 'email', { autofocus: true, value: prefill }),
    h(
      'p',
      { class: 'hint', id: 'primary-hint' },
      'If your email provider supports Persona, leave the password empty: you sign in with your provider.',
    ),
    field('password', 'Password', 'password', { 'aria-describedby': 'primary-hint', required: false }),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, 'Sign in'),
      h(
        'button',
        { type: 'button', class: 'link', id: 'forgot', onclick: () => void forgot(form) },
        'Forgot your password?',
      ),
    ),
  )
  form.addEventListener('submit', (ev) => {
    ev.preventDefault()
    const email = inputValue('email')
    const pass = inputValue('password')
    if (!emailLooksValid(email)) return announce('Please enter a valid email address.', 'error')
    void busy(form, 'Signing in…', async () => {
      const info = await api.addressInfo(email)
      if (info.type === 'primary') {
        if (!info.auth || !info.prov) throw new Error(`${info.issuer} did not say where to sign in.`)
        await signInPrimary({ email, auth: info.auth, prov: info.prov, issuer: info.issuer }, false)
        return
      }
      if (passwordProblem(pass)) {
        announce('The password must be 8 to 80 characters long.', 'error')
        return
      }
      const r = await api.post('authenticate_user', { email, pass, ephemeral: false })
      if (typeof r === 'object' && r !== null && 'success' in r && r.success === true) {
        api.invalidate()
        await showAccount()
      } else {
        announce('That email and password do not match an account.', 'error')
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
    announce(`Signed in as ${flow.email}.`)
  } catch (e) {
    if (e instanceof ProvisioningError && e.code === 'primaryError' && !afterAuth) {
      showPrimaryNotice(flow)
      return
    }
    showSignIn(flow.email)
    announce(`${flow.issuer} could not sign you in: ${reasonOf(e)}`, 'error')
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
    announce(`${flow.issuer} did not sign you in.`, 'error')
    return true
  }
  screen('provisioning', h('p', { class: 'spinner', 'aria-hidden': 'true' }))
  announce(`Asking ${flow.issuer} to vouch for ${flow.email}…`)
  await signInPrimary(flow, true)
  return true
}

async function forgot(form: HTMLElement): Promise<void> {
  const email = inputValue('email')
  if (!emailLooksValid(email)) return announce('Enter your email address first.', 'error')
  try {
    await busy(form, 'Sending you an email…', () =>
      api.postOk('stage_reset', { email, site: location.origin }),
    )
    announce(`We sent a message to ${email}. Click the link in it to choose a new password.`)
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
  const list = h(
    'ul',
    { class: 'email-list', id: 'emails' },
    ...emails.map((e) =>
      h(
        'li',
        {},
        h('span', { class: 'who' }, e),
        h(
          'button',
          {
            type: 'button',
            class: 'link danger',
            'aria-label': `Remove ${e}`,
            onclick: () => void remove(e),
          },
          'Remove',
        ),
      ),
    ),
  )
  const addForm = h(
    'form',
    { id: 'add-email-form', novalidate: true },
    h('h2', {}, 'Add an email address'),
    field('new-email', 'New email address', 'email'),
    !ctx.has_password
      ? field('add-password', 'Choose a password', 'password', { autocomplete: 'new-password' })
      : false,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Add address')),
  )
  addForm.addEventListener('submit', (ev) => {
    ev.preventDefault()
    void addEmail(addForm, inputValue('new-email'), ctx.has_password ? undefined : inputValue('add-password'))
  })
  const pwForm = h(
    'form',
    { id: 'password-form', novalidate: true },
    h('h2', {}, 'Change your password'),
    field('old-password', 'Current password', 'password'),
    field('new-password', 'New password', 'password', { autocomplete: 'new-password' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Change password')),
  )
  pwForm.addEventListener('submit', (ev) => {
    ev.preventDefault()
    void changePassword(pwForm)
  })
  const cancelForm = h(
    'form',
    { id: 'cancel-form' },
    h('h2', {}, 'Cancel your account'),
    h('p', {}, 'This removes every address and forgets the account. It cannot be undone.'),
    h(
      'div',
      { class: 'choice' },
      h('input', { type: 'checkbox', id: 'cancel-confirm', required: true }),
      h('label', { for: 'cancel-confirm' }, 'Yes, cancel my account'),
    ),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'danger' }, 'Cancel account')),
  )
  cancelForm.addEventListener('submit', (ev) => {
    ev.preventDefault()
    void cancelAccount(cancelForm)
  })
  screen(
    'account',
    h('h1', { tabindex: '-1' }, 'Your Persona account'),
    h(
      'section',
      { 'aria-labelledby': 'emails-title' },
      h('h2', { id: 'emails-title' }, 'Your email addresses'),
      list,
    ),
    h('section', {}, addForm),
    ctx.has_password ? h('section', {}, pwForm) : false,
    h('section', {}, cancelForm),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', id: 'signout', onclick: () => void signOut() }, 'Sign out'),
    ),
  )
}

async function remove(email: string): Promise<void> {
  if (!window.confirm(`Remove ${email} from your account?`)) return
  try {
    await api.postOk('remove_email', { email })
    removeEmail(email)
    await showAccount()
    announce(`${email} was removed.`)
  } catch (e) {
    announce(reasonOf(e), 'error')
  }
}

async function addEmail(form: HTMLElement, email: string, pass: string | undefined): Promise<void> {
  if (!emailLooksValid(email)) return announce('Please enter a valid email address.', 'error')
  if (pass !== undefined && passwordProblem(pass))
    return announce('The password must be 8 to 80 characters long.', 'error')
  try {
    await busy(form, 'Sending you an email…', () =>
      api.postOk('stage_email', { email, site: location.origin, pass }),
    )
  } catch (e) {
    announce(reasonOf(e), 'error')
    return
  }
  const mine = screen(
    'check_email',
    h('h1', {}, 'Check your email'),
    h('p', {}, 'We sent a message to ', h('strong', {}, email), '. Click the link in it to add the address.'),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', onclick: () => void showAccount() }, 'Back to your account'),
    ),
  )
  announce(`Email sent to ${email}.`)
  while (mine === seq) {
    await sleep(2000)
    if (mine !== seq) return
    const st = await api.status('email_addition_status', email).catch(() => 'pending')
    if (st === 'pending') continue
    await showAccount()
    announce(
      st === 'complete' ? `${email} was added.` : `${email} could not be added.`,
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
    const ok = await busy(form, 'Changing your password…', async () => {
      const r = await api.post('update_password', { oldpass, newpass })
      return typeof r === 'object' && r !== null && 'success' in r && r.success === true
    })
    if (!ok) return announce('The current password is not right.', 'error')
    for (const el of form.querySelectorAll('input')) el.value = ''
    announce('Your password was changed.')
  } catch (e) {
    announce(reasonOf(e), 'error')
  }
}

async function cancelAccount(form: HTMLElement): Promise<void> {
  const confirmBox = document.getElementById('cancel-confirm')
  if (!(confirmBox instanceof HTMLInputElement) || !confirmBox.checked) {
    return announce('Tick the box to confirm.', 'error')
  }
  try {
    await busy(form, 'Cancelling your account…', () => api.postOk('account_cancel'))
    clearEmails()
    clearAllSites()
    api.invalidate()
    showSignIn()
    announce('Your account was cancelled.')
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
  announce('You are signed out.')
}

clearStatus()
resumePrimary(location.hash)
  .then((resumed) => (resumed ? undefined : showAccount()))
  .catch((e: unknown) => {
    showSignIn()
    announce(reasonOf(e), 'error')
  })
