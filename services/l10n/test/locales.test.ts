// SPDX-License-Identifier: MPL-2.0
// Choosing a locale, formatting a message, and the pseudo-locale.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Catalog } from '../src/catalog.ts'
import { dirOf, negotiate, negotiateHeader, PSEUDO_LOCALE, parseAcceptLanguage } from '../src/locales.ts'
import { Messages } from '../src/messages.ts'
import { pseudoLocalize } from '../src/pseudo.ts'

describe('negotiation', () => {
  const cases: [string | undefined, string][] = [
    ['de-DE,de;q=0.9,en;q=0.8', 'de'],
    ['fr-CA,fr;q=0.9', 'fr'],
    ['pt', 'pt-BR'],
    ['pt-PT', 'pt-BR'],
    ['zh', 'zh-CN'],
    ['zh-Hans-CN', 'zh-CN'],
    ['ar-EG', 'ar'],
    ['es-419', 'es'],
    ['ja-JP', 'ja'],
    ['nl,de;q=0.5', 'de'],
    ['xx;q=1, ja;q=0.1', 'ja'],
    ['en-US', 'en'],
    ['en-XA', PSEUDO_LOCALE],
    ['*', 'en'],
    ['', 'en'],
    [undefined, 'en'],
    ['nl', 'en'],
  ]
  for (const [header, want] of cases) {
    it(`Accept-Language ${JSON.stringify(header)} -> ${want}`, () => {
      assert.equal(negotiateHeader(header), want)
    })
  }

  it('the pseudo-locale is never a match for another English', () => {
    assert.equal(negotiate(['en-GB']), 'en')
    assert.equal(negotiate(['en-XA'], ['en', 'de']), 'en')
  })

  it('a relying site’s lang comes before the browser’s languages', () => {
    assert.equal(negotiate(['ja', 'de']), 'ja')
  })

  it('drops malformed and oversized headers', () => {
    assert.deepEqual(parseAcceptLanguage('de;q=0.5, <script>, fr, ja;q=0'), ['fr', 'de'])
    assert.deepEqual(parseAcceptLanguage('x'.repeat(2000)), [])
  })

  it('knows which locales are right to left', () => {
    assert.equal(dirOf('ar'), 'rtl')
    assert.equal(dirOf('he-IL'), 'rtl')
    assert.equal(dirOf('de'), 'ltr')
    assert.equal(dirOf(PSEUDO_LOCALE), 'ltr')
  })
})

describe('Messages', () => {
  it('formats placeables with bidi isolation, and reports a missing id instead of throwing', () => {
    const missing: string[] = []
    const m = new Messages('ar', ['hello = مرحبًا { $email }\n'], { onMissing: (id) => missing.push(id) })
    assert.equal(m.dir, 'rtl')
    assert.equal(m.format('hello', { email: 'a@b.example' }), 'مرحبًا \u2068a@b.example\u2069')
    assert.equal(m.format('nope'), 'nope')
    assert.deepEqual(missing, ['nope'])
  })

  it('refuses two messages with one id', () => {
    assert.throws(() => new Messages('en', ['ok = fine\n', 'ok = again\n']), /en:/)
  })

  it('the catalog formats each shipped locale from its own files', () => {
    const c = new Catalog('page')
    assert.equal(c.get('de').format('not-found-heading'), 'Seite nicht gefunden')
    assert.equal(c.get('ja').format('not-found-heading'), 'ページが見つかりません')
    assert.equal(c.forAcceptLanguage('ar-SA').dir, 'rtl')
    assert.throws(() => c.get('xx'), /no such locale/)
  })
})

describe('pseudo-locale', () => {
  it('accents every ASCII letter and lengthens the text, leaving placeables alone', () => {
    assert.equal(pseudoLocalize('Sign in'), 'Šîîĝñ îîñ')
    const p = new Catalog('dialog').get(PSEUDO_LOCALE)
    const text = p.format('dialog-pick-heading', { site: 'Example site' })
    assert.match(text, /Example site/)
    assert.doesNotMatch(text.replace('Example site', ''), /[A-Za-z]/)
    const en = new Catalog('dialog').get('en').format('dialog-check-email-confirm')
    assert.ok(p.format('dialog-check-email-confirm').length > en.length * 1.2)
  })
})
