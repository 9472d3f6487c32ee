// SPDX-License-Identifier: MPL-2.0
// The "sign in at your email provider" view, shared by the dialog and the account manager: the address
// is managed by a primary IdP whose silent provisioning failed, so the user must visit its sign-in page.
import { h } from './dom.ts'

export interface PrimaryNoticeOptions {
  readonly email: string
  readonly issuer: string
  /** h1 on a page of its own, h2 inside the dialog under its header. */
  readonly heading: 'h1' | 'h2'
  readonly onContinue: () => void
  readonly onOther: () => void
}

export function primaryNotice(o: PrimaryNoticeOptions): HTMLElement {
  return h(
    'section',
    { 'aria-labelledby': 'primary-title' },
    h(o.heading, { id: 'primary-title' }, `Sign in with ${o.issuer}`),
    h('p', {}, h('strong', {}, o.email), ' is managed by ', h('strong', {}, o.issuer), '.'),
    h('p', {}, `Sign in at ${o.issuer} to confirm it is you; you will come back here afterwards.`),
    h(
      'div',
      { class: 'actions' },
      h(
        'button',
        { type: 'button', class: 'primary', id: 'verify-primary', onclick: o.onContinue },
        `Continue to ${o.issuer}`,
      ),
      h('button', { type: 'button', class: 'link', onclick: o.onOther }, 'Use another address'),
    ),
  )
}
