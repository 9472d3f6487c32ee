// SPDX-License-Identifier: MPL-2.0
// The "sign in at your email provider" view, shared by the dialog and the account manager: the address
// is managed by a primary IdP whose silent provisioning failed, so the user must visit its sign-in page.
import { h } from './dom.ts'
import { t, tNodes } from './l10n.ts'

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
    h(o.heading, { id: 'primary-title' }, t('primary-heading', { issuer: o.issuer })),
    h(
      'p',
      {},
      ...tNodes(
        'primary-managed',
        {},
        { email: h('strong', {}, o.email), issuer: h('strong', {}, o.issuer) },
      ),
    ),
    h('p', {}, t('primary-explain', { issuer: o.issuer })),
    h(
      'div',
      { class: 'actions' },
      h(
        'button',
        { type: 'button', class: 'primary', id: 'verify-primary', onclick: o.onContinue },
        t('primary-continue', { issuer: o.issuer }),
      ),
      h('button', { type: 'button', class: 'link', onclick: o.onOther }, t('action-use-another')),
    ),
  )
}
