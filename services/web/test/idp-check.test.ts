// SPDX-License-Identifier: MPL-2.0
// Unit test of how the IdP checker reads (src/lib/idp-check.ts): every finding checkSupport can report,
// every document problem and every verdict formats in every locale without a missing message or
// placeable, and what an operator types becomes the domain to check.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { FINDING_CODES, type FindingArgs, type FindingCode } from '@persona/browserid'
import { ALL_LOCALES } from '@persona/l10n'
import { Catalog } from '@persona/l10n/catalog'
import { domainFromInput, findingText, verdictText } from '../src/lib/idp-check.ts'

/** Values of the kind checkSupport gives each finding. */
const ARGS: Readonly<Record<FindingCode, FindingArgs>> = {
  'bad-domain': { domain: 'not a domain' },
  unreachable: { domain: 'a.example', url: 'https://a.example/.well-known/browserid', detail: 'x' },
  'no-document': { domain: 'a.example' },
  'delegate-missing': { domain: 'b.example', from: 'a.example' },
  'bad-document': { domain: 'a.example', problem: 'missing-provisioning', detail: 'x' },
  disabled: { domain: 'a.example' },
  'delegation-loop': { chain: 'a.example → b.example → a.example' },
  delegates: { domain: 'a.example', authority: 'b.example' },
  'too-many-delegations': { max: 6 },
  supported: { domain: 'a.example' },
  key: { algorithm: 'RS256', bits: 2048 },
  'weak-key': { bits: 1024, min: 2048 },
  pages: { authentication: 'https://a.example/sign_in', provisioning: 'https://a.example/provision' },
  'same-pages': {},
}
const PROBLEMS = [
  'too-large',
  'not-json',
  'not-object',
  'bad-authority',
  'missing-authentication',
  'missing-provisioning',
  'bad-authentication-path',
  'bad-provisioning-path',
  'missing-public-key',
  'bad-public-key',
]

describe('IdP checker text', () => {
  it('every finding, problem and verdict reads in every locale, its values in place', () => {
    for (const locale of ALL_LOCALES) {
      const missing: string[] = []
      const m = new Catalog('idp', (l, id) => missing.push(`${l}: ${id}`), { isolateLtr: false }).get(locale)
      for (const code of FINDING_CODES) {
        const text = findingText(m, { code, args: ARGS[code] })
        for (const [name, v] of Object.entries(ARGS[code])) {
          // Every value the message names shows (numbers in the locale's digits grouping).
          if (name === 'detail' || name === 'problem' || (name === 'domain' && code === 'unreachable'))
            continue
          const shown =
            typeof v === 'number' ? new Intl.NumberFormat(locale === 'en-XA' ? 'en' : locale).format(v) : v
          assert.ok(text.includes(shown), `${locale} ${code}: ${name} not in ${JSON.stringify(text)}`)
        }
      }
      const variants = new Set(
        PROBLEMS.map((problem) =>
          findingText(m, { code: 'bad-document', args: { domain: 'a.example', problem } }),
        ),
      )
      assert.equal(variants.size, PROBLEMS.length, `${locale}: one sentence per document problem`)
      for (const v of ['primary', 'secondary', 'disabled', 'broken']) {
        assert.ok(verdictText(m, v, 'a.example').includes('a.example'), `${locale} ${v}`)
      }
      assert.deepEqual(missing, [], `${locale}: missing messages`)
    }
  })

  it('a DSA key says no size; an unknown code reads as the general error', () => {
    const m = new Catalog('idp', undefined, { isolateLtr: false }).get('en')
    assert.equal(
      findingText(m, { code: 'key', args: { algorithm: 'DS128', bits: 0 } }),
      'Its public key: DS128.',
    )
    assert.equal(findingText(m, { code: 'from-the-future', args: {} }), m.format('error-generic'))
  })

  it('takes the domain out of what an operator types', () => {
    const cases: [string, string][] = [
      ['example.com', 'example.com'],
      ['  Example.COM. ', 'example.com'],
      ['https://idp.example.org/.well-known/browserid', 'idp.example.org'],
      ['http://idp.example.org:8443/x?y#z', 'idp.example.org'],
      ['kim@mail.example.net', 'mail.example.net'],
      ['mailto:kim@mail.example.net', 'mail.example.net'],
      ['', ''],
    ]
    for (const [typed, want] of cases) assert.equal(domainFromInput(typed), want, typed)
  })
})
