// SPDX-License-Identifier: MPL-2.0
// Tiny DOM helpers for the dialog and pages: element building without innerHTML, one screen at a
// time with focus moved to it, and a polite live region for progress and errors (screen readers).
import { isValidEmail } from '@persona/browserid/email'
import { t } from './l10n.ts'

type Child = Node | string | false | null | undefined
type Attrs = Record<string, string | boolean | ((ev: Event) => void) | undefined>

/** Builds an element; `on*` attributes become listeners, booleans toggle attributes. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue
    if (typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v)
    else if (v === true) el.setAttribute(k, '')
    else el.setAttribute(k, v)
  }
  for (const c of children) if (c !== false && c !== null && c !== undefined) el.append(c)
  return el
}

export function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const el = document.getElementById(id)
  if (!(el instanceof type)) throw new TypeError(`missing #${id}`)
  return el
}

/** Replaces the content of `root` with a new screen and moves focus into it. */
export function showScreen(root: HTMLElement, name: string, ...children: Child[]): void {
  root.replaceChildren(
    ...children.filter((c): c is Node | string => c !== false && c !== null && c !== undefined),
  )
  root.dataset.screen = name
  document.body.dataset.screen = name
  const target =
    root.querySelector<HTMLElement>('[autofocus]') ??
    root.querySelector<HTMLElement>('input:not([type=hidden]), button') ??
    root.querySelector<HTMLElement>('h1, h2')
  if (target) {
    if (!target.matches('input, button, a, select, textarea')) target.tabIndex = -1
    target.focus()
  }
}

/** Announces progress (polite) or an error (assertive) in the page's live region. */
export function announce(text: string, kind: 'info' | 'error' = 'info'): void {
  const region = document.getElementById('status')
  if (!region) return
  region.textContent = text
  region.className = kind === 'error' ? 'status error' : 'status'
  region.setAttribute('role', kind === 'error' ? 'alert' : 'status')
}

export function clearStatus(): void {
  announce('')
}

/** A labelled input; the label is a real <label for>. */
export function field(
  id: string,
  label: string,
  type: 'email' | 'password' | 'text',
  extra: Attrs = {},
): HTMLDivElement {
  const autocomplete = type === 'email' ? 'email' : type === 'password' ? 'current-password' : 'off'
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    h('input', { id, name: id, type, required: true, autocomplete, ...extra }),
  )
}

export function inputValue(id: string): string {
  const el = document.getElementById(id)
  return el instanceof HTMLInputElement ? el.value.trim() : ''
}

/** Disables a form's controls while a request runs, and says so. */
export async function busy<T>(form: HTMLElement, label: string, work: () => Promise<T>): Promise<T> {
  const controls = [...form.querySelectorAll<HTMLButtonElement | HTMLInputElement>('button, input')]
  for (const c of controls) c.disabled = true
  form.setAttribute('aria-busy', 'true')
  announce(label)
  try {
    return await work()
  } finally {
    for (const c of controls) c.disabled = false
    form.removeAttribute('aria-busy')
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}

/** Passwords as Persona accepted them: 8 to 80 characters. The problem in the user's language. */
export function passwordProblem(pass: string): string | undefined {
  if (pass.length < 8) return t('password-too-short')
  if (pass.length > 80) return t('password-too-long')
  return undefined
}

/** The address rule the server applies (the protocol library's), checked before asking it. */
export function emailLooksValid(email: string): boolean {
  return isValidEmail(email)
}
