// SPDX-License-Identifier: MPL-2.0
// The dialog in every language, in Chromium against the whole stack: one stack, one browser, and one
// browser context per locale (its Accept-Language and navigator.language). Every dialog screen a user
// stops at is reached (not the loading spinner, nor "signed in" in the instant before the dialog
// closes), screenshot to test-output/l10n/<locale>/, and read: no English message is left on it (for
// the pseudo-locale: no unaccented word at all, which also catches text that never was a message),
// `lang` and `dir` match, and Arabic is laid out right to left. The account manager and the pages
// behind mailed links are read the same way in the pseudo-locale (and screenshot in Arabic too).
import assert from 'node:assert/strict'
import { mkdir, readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { ALL_LOCALES, dirOf, PSEUDO_LOCALE } from '@persona/l10n'
import { Catalog } from '@persona/l10n/catalog'
import type { Page } from 'playwright-core'
import { clickAndClose, Harness, refuseCookies, SKIP_CHROMIUM } from './harness.ts'

const ROOT = join(import.meta.dirname, '..', '..')
const SHOTS = join(ROOT, 'test-output', 'l10n')
const RUN = Date.now().toString(36)
const PASSWORD = 'correct horse battery'
const USER = `lena-${RUN}@example.com`
/** USER's second address, unverified by a password reset: the re-verification screen. */
const SECOND = `lena-work-${RUN}@example.org`
const PRIMARY_USER = `pia-${RUN}@idp.test`
const SITE_NAME = 'Example site'

let h: Harness

/**
 * English text that must not appear on a localized screen: the literal parts of every English message
 * the dialog can show (placeables cut out), whole words only. The brand name is the same everywhere.
 */
const ENGLISH_FRAGMENTS: readonly RegExp[] = (() => {
  const en = new Catalog('dialog').get('en')
  const ids = new Set<string>()
  for (const m of new Catalog('dialog').get('en').ids()) ids.add(m)
  const out = new Set<string>()
  for (const id of ids) {
    // Every placeable becomes a marker, whatever its name.
    const anyArg = new Proxy(
      {},
      {
        get: () => '\uE000',
        has: () => true,
        getOwnPropertyDescriptor: () => ({ value: '\uE000', configurable: true, enumerable: true }),
      },
    )
    for (const part of en.format(id, anyArg).split(/[\uE000\u2068\u2069]/)) {
      const frag = part.replace(/[·.,:;?!…’'"()]/g, ' ').trim()
      if (frag.length >= 4 && frag !== 'Persona') out.add(frag)
    }
  }
  return [...out].map(
    (f) => new RegExp(`(^|[^\\p{L}])${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\p{L}])`, 'u'),
  )
})()

/** The text a user sees or hears on the page: rendered text, labels, the title. */
async function shownText(page: Page): Promise<string> {
  return page.evaluate(() => {
    // biome-ignore lint/performance/useDomNodeTextContent: only what is rendered, not hidden nodes
    const parts = [document.title, document.body.innerText]
    for (const el of document.querySelectorAll('[aria-label], [placeholder], [title], img[alt]')) {
      for (const a of ['aria-label', 'placeholder', 'title', 'alt']) parts.push(el.getAttribute(a) ?? '')
    }
    return parts.join('\n')
  })
}

/** Waits for a dialog screen, saves its screenshot and checks that nothing on it is left in English. */
async function screen(page: Page, locale: string, name: string, n: number): Promise<void> {
  await page.waitForSelector(`body[data-screen="${name}"]`)
  await page.waitForFunction((l) => document.documentElement.lang === l, locale)
  assert.equal(
    await page.evaluate(() => document.documentElement.dir),
    dirOf(locale),
    `${locale} ${name}: dir`,
  )
  await page.screenshot({ path: join(SHOTS, locale, `${String(n).padStart(2, '0')}-${name}.png`) })
  if (locale === 'en') return
  // Values that are the same in every language: addresses, the site, the IdP, the brand.
  const text = (await shownText(page))
    .replace(/[\w.+-]+@[\w.-]+/g, ' ')
    .replaceAll(SITE_NAME, ' ')
    .replace(/\b127\.0\.0\.1(:\d+)?\b|\bidp\.test\b|\bPersona\b/g, ' ')
  const leaks = ENGLISH_FRAGMENTS.filter((re) => re.test(text)).map((re) => re.source)
  assert.deepEqual(leaks, [], `${locale} ${name}: English left on screen:\n${text}`)
  if (locale === PSEUDO_LOCALE) {
    // Every message is accented here, so a plain ASCII word is text that bypassed the messages.
    const plain = text.match(/(?<![\p{L}])[A-Za-z]{2,}(?![\p{L}])/gu) ?? []
    assert.deepEqual(plain, [], `${name}: unlocalized text under the pseudo-locale:\n${text}`)
  }
}

/** A page (not the dialog): its language and direction, a screenshot, and no text outside the messages. */
async function pageScreen(page: Page, locale: string, name: string): Promise<void> {
  assert.equal(await page.evaluate(() => document.documentElement.lang), locale, `${locale} ${name}: lang`)
  assert.equal(
    await page.evaluate(() => document.documentElement.dir),
    dirOf(locale),
    `${locale} ${name}: dir`,
  )
  await page.screenshot({ path: join(SHOTS, locale, `page-${name}.png`), fullPage: true })
  if (locale !== PSEUDO_LOCALE) return
  const text = (await shownText(page))
    .replace(/[\w.+-]+@[\w.-]+/g, ' ')
    .replace(/\b127\.0\.0\.1(:\d+)?\b|\bexample\.com\b|\bPersona\b|\bBrowserID\b/g, ' ')
  const plain = text.match(/(?<![\p{L}])[A-Za-z]{2,}(?![\p{L}])/gu) ?? []
  assert.deepEqual(plain, [], `${name}: unlocalized text under the pseudo-locale:\n${text}`)
}

const MAIL = new Catalog('mail', undefined, { isolateLtr: false })

async function expectMailIn(to: string, locale: string): Promise<void> {
  const mail = await h.mailTo(to, 'verify_email_address')
  const m = MAIL.get(locale)
  assert.equal(mail.subject, m.format('mail-subject-new', { site: '127.0.0.1' }), `${locale} mail subject`)
  assert.ok(mail.text.includes(m.format('mail-open-link')), `${locale} mail body:\n${mail.text}`)
}

describe('the dialog in every language', { skip: SKIP_CHROMIUM }, () => {
  before(
    async () => {
      h = await Harness.start()
      // One password account for every locale's "returning user" screens, with a second address that
      // a password reset left unverified (the re-verification screen).
      const ctx = await h.newContext('en')
      await h.accountWithUnverifiedSecond(ctx, USER, SECOND, PASSWORD)
      await ctx.close()
    },
    { timeout: 300_000 },
  )

  after(async () => {
    await h?.stop()
  })

  for (const locale of ALL_LOCALES) {
    it(`every dialog screen in ${locale}`, { timeout: 180_000 }, async () => {
      const dir = join(SHOTS, locale)
      await mkdir(dir, { recursive: true })
      // This run's screens only (numbered; other suites' screenshots here stay).
      for (const f of await readdir(dir)) if (/^\d\d-.*\.png$/.test(f)) await rm(join(dir, f))
      const ctx = await h.newContext(locale)
      try {
        let n = 0
        // A new user: address, password, check your email.
        const site = await h.openSite(ctx)
        let dialog = await h.openDialog(site)
        await screen(dialog, locale, 'email', ++n)
        await dialog.fill('#email', 'not an address')
        await dialog.click('button[type=submit]')
        await dialog.waitForSelector('#status.error')
        await screen(dialog, locale, 'email', ++n)
        const newUser = `new-${locale.toLowerCase()}-${RUN}@example.com`
        await dialog.fill('#email', newUser)
        await dialog.click('button[type=submit]')
        await screen(dialog, locale, 'set_password', ++n)
        await dialog.fill('#password', PASSWORD)
        await dialog.fill('#vpassword', `${PASSWORD}!`)
        await dialog.click('button[type=submit]')
        await dialog.waitForSelector('#status.error')
        await screen(dialog, locale, 'set_password', ++n)
        await dialog.fill('#vpassword', PASSWORD)
        await dialog.click('button[type=submit]')
        await screen(dialog, locale, 'check_email', ++n)
        await clickAndClose(dialog, '[data-action="cancel"]')
        // The mail is in the language of the browser that asked for it.
        await expectMailIn(newUser, locale)

        // A returning user: password (wrong, then right), "remember you?", then the address list.
        dialog = await h.openDialog(site)
        await screen(dialog, locale, 'email', ++n)
        await dialog.fill('#email', USER)
        await dialog.click('button[type=submit]')
        await screen(dialog, locale, 'password', ++n)
        await dialog.fill('#password', 'not the password')
        await dialog.click('button[type=submit]')
        await dialog.waitForSelector('#status.error')
        await screen(dialog, locale, 'password', ++n)
        await dialog.fill('#password', PASSWORD)
        await dialog.click('button[type=submit]')
        await screen(dialog, locale, 'is_this_your_computer', ++n)
        await clickAndClose(dialog, '#this-is-my-computer')
        await site.waitForSelector(`body[data-user="${USER}"]`)
        await site.click('#signout')
        await site.waitForSelector('body[data-user=""]')

        dialog = await h.openDialog(site)
        await screen(dialog, locale, 'pick_email', ++n)
        // The address a password reset left unverified: confirm it again.
        await dialog.check(`input[value="${SECOND}"]`)
        await dialog.click('#signin')
        await screen(dialog, locale, 'reverify', ++n)
        await dialog.click('#reverify ~ button.link')
        await screen(dialog, locale, 'pick_email', ++n)
        await dialog.click('#add-email')
        await screen(dialog, locale, 'add_email', ++n)
        await dialog.click('form button.link')
        await screen(dialog, locale, 'pick_email', ++n)
        await dialog.click('#not-me')
        await screen(dialog, locale, 'email', ++n)
        // An address its own provider vouches for: the dialog asks the provider (its provisioning page
        // held back until the screen is read), which does not know this browser yet.
        let release = () => {}
        const held = new Promise<void>((r) => {
          release = r
        })
        await dialog.route(`${h.urls.idp}/provision`, async (route) => {
          await held
          await route.continue()
        })
        await dialog.fill('#email', PRIMARY_USER)
        await dialog.click('button[type=submit]')
        await screen(dialog, locale, 'provisioning', ++n)
        release()
        await screen(dialog, locale, 'verify_primary', ++n)
        await dialog.close()

        // A forged request: the error screen.
        const claim = encodeURIComponent(
          JSON.stringify({ origin: 'https://bank.example', nonce: 'B'.repeat(24), params: {} }),
        )
        const tab = await ctx.newPage()
        await tab.goto(`${h.urls.rp}/`)
        await tab.evaluate((to) => {
          location.href = to
        }, `${h.urls.persona}/sign_in#persona_request=${claim}`)
        await screen(tab, locale, 'error', ++n)
        await tab.close()
      } finally {
        await ctx.close()
      }
      // A browser that refuses cookies: the dialog says so instead of failing later.
      const noCookies = await h.newContext(locale)
      try {
        await refuseCookies(noCookies)
        const dialog = await h.openDialog(await h.openSite(noCookies))
        await screen(dialog, locale, 'cookies_disabled', 99)
      } finally {
        await noCookies.close()
      }
    })
  }

  it('every page in the pseudo-locale and in Arabic: lang, dir, nothing outside the messages', {
    timeout: 120_000,
  }, async () => {
    const token = 'A'.repeat(48)
    for (const locale of [PSEUDO_LOCALE, 'ar']) {
      const ctx = await h.newContext(locale)
      try {
        const page = await ctx.newPage()
        const visit = async (path: string, name: string) => {
          await page.goto(`${h.urls.persona}${path}`)
          await page.waitForSelector('body[data-screen]:not([data-screen="load"])')
          await pageScreen(page, locale, name)
        }
        // The account manager, signed out then signed in (the second address marked unverified).
        await visit('/', 'account-signin')
        await page.fill('#email', USER)
        await page.fill('#password', PASSWORD)
        await page.click('#signin-form button[type=submit]')
        await page.waitForSelector('body[data-screen="account"]')
        // Nothing still says "Signing in…" once the account shows.
        await page.waitForFunction(() => document.getElementById('status')?.textContent === '')
        await pageScreen(page, locale, 'account')
        // The pages behind mailed links, with a link that was never sent, and one cut short.
        for (const path of ['verify_email_address', 'confirm', 'add_email_address', 'complete_transition']) {
          await visit(`/${path}?token=${token}`, `link-${path}`)
        }
        await visit('/reset_password', 'link-reset_password-cut-short')
        // Persona's own sign-in page for domains that delegate to us, with an address and without.
        await visit(`/auth?email=${encodeURIComponent(USER)}`, 'idp-auth')
        await visit('/auth', 'idp-auth-no-email')
        await visit('/check_idp', 'check_idp')
      } finally {
        await ctx.close()
      }
    }
  })

  it('Arabic is laid out right to left: actions start at the right edge', { timeout: 60_000 }, async () => {
    const positions: Record<string, { primary: number; cancel: number; heading: number }> = {}
    for (const locale of ['en', 'ar']) {
      const ctx = await h.newContext(locale)
      try {
        const dialog = await h.openDialog(await h.openSite(ctx))
        await dialog.waitForSelector('body[data-screen="email"]')
        const box = async (sel: string) => {
          const b = await dialog.locator(sel).first().boundingBox()
          if (!b) throw new Error(`${sel} is not shown`)
          return b
        }
        const primary = await box('button.primary')
        const cancel = await box('[data-action="cancel"]')
        const heading = await box('#screen h2')
        const card = await box('.card')
        positions[locale] = {
          primary: primary.x + primary.width / 2,
          cancel: cancel.x + cancel.width / 2,
          // Distance of the heading from the card's start edge (left in English, right in Arabic).
          heading: locale === 'ar' ? card.x + card.width - (heading.x + heading.width) : heading.x - card.x,
        }
        if (locale === 'ar') {
          await dialog.screenshot({ path: join(SHOTS, 'ar', '00-rtl-layout.png') })
          const align = await dialog.evaluate(
            () => getComputedStyle(document.querySelector('#screen h2') ?? document.body).direction,
          )
          assert.equal(align, 'rtl')
        }
        await dialog.close()
      } finally {
        await ctx.close()
      }
    }
    const { en, ar } = positions
    assert.ok(en && ar)
    assert.ok(en.primary < en.cancel, 'English: the main button comes first, on the left')
    assert.ok(ar.primary > ar.cancel, 'Arabic: the main button comes first, on the right')
    assert.ok(ar.heading < 40 && en.heading < 40, 'headings start at the start edge in both')
  })

  it('a site’s lang option chooses the dialog’s language over the browser’s', {
    timeout: 60_000,
  }, async () => {
    const ctx = await h.newContext('de')
    try {
      const site = await h.openSite(ctx, { lang: 'ja' })
      const dialog = await h.openDialog(site)
      await screen(dialog, 'ja', 'email', 99)
      assert.equal(
        await dialog.textContent('#screen h2'),
        new Catalog('dialog').get('ja').format('dialog-email-heading'),
      )
      // The mail follows the dialog's language, not the browser's.
      const to = `lang-option-${RUN}@example.com`
      await dialog.fill('#email', to)
      await dialog.click('button[type=submit]')
      await dialog.waitForSelector('body[data-screen="set_password"]')
      await dialog.fill('#password', PASSWORD)
      await dialog.fill('#vpassword', PASSWORD)
      await dialog.click('button[type=submit]')
      await dialog.waitForSelector('body[data-screen="check_email"]')
      await expectMailIn(to, 'ja')
    } finally {
      await ctx.close()
    }
  })
})
