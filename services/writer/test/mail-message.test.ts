// SPDX-License-Identifier: MPL-2.0
// The verification mail's text: the language comes from the asking browser's Accept-Language, English
// otherwise; Arabic mail is right to left; the site's logo (https only) and colour reach the HTML.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { LOCALES } from '@persona/l10n'
import { composeMail, composeNotice } from '../src/mail-message.ts'

const LINK = 'https://login.persona.test/verify_email_address?token=abc'
const base = { kind: 'new', to: 'lena@example.com', site: 'rp.example', link: LINK } as const

describe('verification mail', () => {
  it('is written in the browser’s language, with English as the fallback', () => {
    const subjects = new Set<string>()
    for (const { code } of LOCALES) {
      const m = composeMail({ ...base, acceptLanguage: `${code},en;q=0.1` })
      assert.equal(m.locale, code)
      assert.match(m.subject, /^\u2068?rp\.example/)
      assert.ok(m.text.includes(LINK) && m.html.includes(LINK), code)
      assert.ok(m.text.includes('lena@example.com'), code)
      subjects.add(m.subject)
    }
    // en, de, fr, es, pt-BR, ja, zh-CN, ar: every subject its own.
    assert.equal(subjects.size, LOCALES.length)
    assert.equal(composeMail({ ...base, acceptLanguage: 'nl-NL' }).locale, 'en')
    assert.equal(composeMail(base).subject, 'rp.example: Complete sign-in')
    assert.match(composeMail({ ...base, acceptLanguage: 'de-CH' }).subject, /Anmeldung abschließen/)
  })

  it('keeps English subjects free of bidi marks, and isolates placeables in Arabic', () => {
    assert.doesNotMatch(composeMail(base).subject, /[\u2068\u2069]/)
    const ar = composeMail({ ...base, acceptLanguage: 'ar' })
    assert.match(ar.html, /<html lang="ar" dir="rtl">/)
    assert.match(ar.text, /\u2068lena@example\.com\u2069/)
  })

  it('says each kind of message in its own words', () => {
    const intros = new Set(
      (['new', 'confirm', 'reverify', 'reset', 'transition'] as const).map(
        (kind) => composeMail({ ...base, kind }).text.split('\n')[0],
      ),
    )
    assert.equal(intros.size, 5)
    assert.match(composeMail({ ...base, kind: 'reverify' }).subject, /again/)
  })

  it('shows the site’s https logo and colour, with readable text on it', () => {
    const light = composeMail({ ...base, siteLogo: 'https://rp.example/logo.png', backgroundColor: 'ffee00' })
    assert.match(light.html, /<img src="https:\/\/rp\.example\/logo\.png"/)
    assert.match(light.html, /background:#ffee00;color:#1d2329/)
    assert.match(composeMail({ ...base, backgroundColor: 'fe0' }).html, /background:#ffee00;/)
    const dark = composeMail({ ...base, backgroundColor: '#102030' })
    assert.match(dark.html, /background:#102030;color:#ffffff/)
    assert.doesNotMatch(composeMail({ ...base, siteLogo: 'http://rp.example/logo.png' }).html, /<img/)
    assert.doesNotMatch(composeMail({ ...base, siteLogo: 'javascript:alert(1)' }).html, /<img/)
  })

  it('escapes what the request carries', () => {
    const m = composeMail({ ...base, to: '"<b>"@example.com', siteLogo: 'https://x.example/"><script>' })
    assert.doesNotMatch(m.html, /<b>|<script>/)
  })

  it('tells an account’s owner of wrong passwords in the language of the browser that tried', () => {
    const subjects = new Set<string>()
    for (const { code } of LOCALES) {
      const n = composeNotice({
        kind: 'signin-failures',
        to: 'lena@example.com',
        failures: 5,
        acceptLanguage: code,
      })
      assert.equal(n.locale, code)
      assert.ok(n.text.includes('lena@example.com') && n.text.includes('5'), code)
      assert.doesNotMatch(n.text, /token=|https?:/, 'a notice carries no link')
      subjects.add(n.subject)
    }
    assert.equal(subjects.size, LOCALES.length)
    const escaped = composeNotice({ kind: 'signin-failures', to: '"<b>"@example.com', failures: 5 })
    assert.doesNotMatch(escaped.html, /<b>/)
  })
})
