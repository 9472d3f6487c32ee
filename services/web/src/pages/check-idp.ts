// SPDX-License-Identifier: MPL-2.0
// /check_idp: where whoever runs an identity provider types a domain and reads, in plain words of their
// language, whether it supports BrowserID and what is wrong with its support document (the wsapi's
// check_idp: the protocol library's checkSupport, through Persona's proxy, as `make check-idp`).
// ?domain= fills the form and checks at once, and each check is kept in the address, so a result can
// be shared as a link.
import { isValidHostname } from '@persona/browserid/email'
import type { Messages } from '@persona/l10n'
import { announce, busy, byId, clearStatus, field, h, inputValue, showScreen } from '../lib/dom.ts'
import { describeError } from '../lib/errors.ts'
import { domainFromInput, findingText, SEVERITY_MARKS, severityText, verdictText } from '../lib/idp-check.ts'
import { loadMessages, t, tNodes } from '../lib/l10n.ts'
import { type Reply, Wsapi, WsapiError } from '../lib/wsapi.ts'

type Check = Reply<'check_idp'>

const api = new Wsapi()
const root = byId('screen', HTMLElement)

function results(m: Messages, r: Check): HTMLElement {
  const heading = h('h2', { id: 'idp-check-verdict' }, verdictText(m, r.verdict, r.domain))
  return h(
    'section',
    { id: 'idp-check-result', 'data-verdict': r.verdict, 'aria-labelledby': 'idp-check-verdict' },
    heading,
    r.chain.length > 1 && h('p', { class: 'chain' }, t('idp-check-chain', { chain: r.chain.join(' → ') })),
    h(
      'ul',
      { class: 'findings' },
      ...r.findings.map((f) => {
        const detail = f.args.detail
        return h(
          'li',
          { 'data-severity': f.severity, 'data-code': f.code },
          h('span', { class: 'mark', 'aria-hidden': 'true' }, SEVERITY_MARKS[f.severity]),
          h(
            'div',
            { class: 'text' },
            h('span', { class: 'visually-hidden' }, `${severityText(m, f.severity)}: `),
            findingText(m, f),
            typeof detail === 'string' &&
              h(
                'p',
                { class: 'detail' },
                // The fetcher's and the parser's own words: English, and shown as what they are.
                ...tNodes('idp-check-detail', {}, { detail: h('code', { lang: 'en', dir: 'ltr' }, detail) }),
              ),
          ),
        )
      }),
    ),
  )
}

function show(m: Messages, prefill: string, result?: HTMLElement): void {
  const form = h(
    'form',
    { id: 'idp-check-form', novalidate: true },
    h('h1', {}, t('idp-check-heading')),
    h('p', { class: 'hint' }, t('idp-check-intro')),
    field('domain', t('idp-check-field-domain'), 'text', {
      autofocus: result === undefined,
      value: prefill,
      inputmode: 'url',
      autocapitalize: 'none',
      spellcheck: 'false',
      placeholder: 'example.com',
    }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('idp-check-action'))),
  )
  form.addEventListener('submit', (ev) => {
    ev.preventDefault()
    void check(m, inputValue('domain'))
  })
  showScreen(root, result === undefined ? 'check_idp' : 'check_idp_result', form, result)
  if (result !== undefined) {
    const heading = result.querySelector('h2')
    if (heading) {
      heading.tabIndex = -1
      heading.focus()
    }
  }
}

async function check(m: Messages, typed: string): Promise<void> {
  const domain = domainFromInput(typed)
  if (!isValidHostname(domain) || !domain.includes('.')) {
    announce(findingText(m, { code: 'bad-domain', args: { domain: typed.trim() } }), 'error')
    return
  }
  const url = new URL(location.href)
  url.searchParams.set('domain', domain)
  history.replaceState(null, '', url)
  const form = byId('idp-check-form', HTMLFormElement)
  try {
    const r = await busy(form, t('idp-check-checking', { domain }), () => api.get('check_idp', { domain }))
    clearStatus()
    show(m, domain, results(m, r))
    document.body.dataset.checked = r.domain
  } catch (e) {
    announce(
      e instanceof WsapiError && e.status === 429 ? t('idp-check-throttled') : describeError(e),
      'error',
    )
  }
}

void loadMessages().then((m) => {
  const asked = new URL(location.href).searchParams.get('domain') ?? ''
  show(m, asked)
  if (asked !== '') void check(m, asked)
})
