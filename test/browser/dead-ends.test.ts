// SPDX-License-Identifier: MPL-2.0
// The places where Persona's dialog and pages used to leave a user stuck, in Chromium against the whole
// stack: an address a password reset left unverified (re-verified from the dialog, in German, and from
// the account manager), the relying site's logo, colour and returnTo, and the experimental options
// forceAuthentication, forceIssuer and allowUnverified reaching the server.
import assert from 'node:assert/strict'
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { Catalog } from '@persona/l10n/catalog'
import { HAVE_OPENSSL, selfSignedCert } from '../fixtures/tls/self-signed.ts'
import { clickAndClose, Harness, SKIP_CHROMIUM } from './harness.ts'

const SHOTS = join(import.meta.dirname, '..', '..', 'test-output', 'screenshots')
const RUN = Date.now().toString(36)
const PASSWORD = 'correct horse battery'
// A 1x1 PNG for the site's logo.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
)

let h: Harness
let logoServer: Server | undefined
let logoUrl = ''
let tlsDir = ''

describe('no dead ends', { skip: SKIP_CHROMIUM }, () => {
  before(
    async () => {
      await mkdir(SHOTS, { recursive: true })
      // The certifier signs for a forced issuer only when the operator lists it.
      h = await Harness.start({ FORCIBLE_ISSUERS: 'marketplace.example' })
      if (HAVE_OPENSSL) {
        tlsDir = await mkdtemp(join(tmpdir(), 'persona-logo-'))
        const { certFile, keyFile } = selfSignedCert(tlsDir, '127.0.0.1')
        const server = createServer(
          { cert: await readFile(certFile), key: await readFile(keyFile) },
          (_req, res) => {
            res.writeHead(200, { 'content-type': 'image/png', 'access-control-allow-origin': '*' })
            res.end(PNG)
          },
        )
        await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
        logoServer = server
        logoUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}/logo.png`
      }
    },
    { timeout: 300_000 },
  )
  after(async () => {
    logoServer?.close()
    await h?.stop()
    if (tlsDir) await rm(tlsDir, { recursive: true, force: true })
  })

  it('an address left unverified by a password reset is confirmed again from the dialog', {
    timeout: 180_000,
  }, async () => {
    const user = `rosa-${RUN}@example.com`
    const second = `rosa-work-${RUN}@example.org`
    const ctx = await h.newContext('de')
    try {
      await h.accountWithUnverifiedSecond(ctx, user, second, PASSWORD)
      const site = await h.openSite(ctx)
      const dialog = await h.openDialog(site)
      await dialog.waitForSelector('body[data-screen="pick_email"]')
      await dialog.check(`input[value="${second}"]`)
      await dialog.click('#signin')
      await dialog.waitForSelector('body[data-screen="reverify"]')
      await dialog.screenshot({ path: join(SHOTS, '30-dialog-reverify-de.png') })
      await dialog.click('#reverify')
      await dialog.waitForSelector('body[data-screen="check_email"]')
      const closed = dialog.waitForEvent('close')
      const mail = await h.mailTo(second, 'confirm')
      const de = new Catalog('mail', undefined, { isolateLtr: false }).get('de')
      assert.equal(mail.subject, de.format('mail-subject-reverify', { site: '127.0.0.1' }))
      const link = await ctx.newPage()
      await link.goto(mail.link)
      await link.waitForSelector('body[data-screen="complete"]')
      await closed
      await site.waitForSelector(`body[data-user="${second}"]`)
      const last = await (await fetch(`${h.urls.rp}/auth/last`)).json()
      assert.equal(last.status, 'okay', JSON.stringify(last))
      assert.equal(last.email, second)
    } finally {
      await ctx.close()
    }
  })

  it('the account manager marks the unverified address and confirms it again', {
    timeout: 180_000,
  }, async () => {
    const user = `sam-${RUN}@example.com`
    const second = `sam-work-${RUN}@example.org`
    const ctx = await h.newContext('en')
    try {
      const page = await h.accountWithUnverifiedSecond(ctx, user, second, PASSWORD)
      await page.fill('#email', user)
      await page.fill('#password', PASSWORD)
      await page.click('#signin-form button[type=submit]')
      await page.waitForSelector('body[data-screen="account"]')
      await page.waitForSelector(`li[data-unverified="true"] >> text=${second}`)
      assert.equal(await page.locator('li[data-unverified="true"]').count(), 1)
      await page.screenshot({ path: join(SHOTS, '31-account-unverified.png') })
      await page.click(`button[aria-label="Confirm ${second} again"]`)
      await page.waitForSelector('#status:has-text("We sent a message")')
      const mail = await h.mailTo(second, 'confirm')
      assert.match(mail.subject, /Confirm your email address again/)
      const link = await ctx.newPage()
      await link.goto(mail.link)
      await link.waitForSelector('body[data-screen="complete"]')
      // The page notices by itself and shows the address as confirmed.
      await page.waitForFunction(() => document.querySelectorAll('li[data-unverified]').length === 0, null, {
        timeout: 20_000,
      })
      // The address sits between bidi isolation marks in the message.
      const status = (await page.textContent('#status')) ?? ''
      assert.equal(status.replace(/[\u2068\u2069]/g, ''), `${second} is confirmed.`)
    } finally {
      await ctx.close()
    }
  })

  it('the site’s logo and colour show in the dialog and the mail; returnTo is offered after the link', {
    timeout: 120_000,
    skip: HAVE_OPENSSL ? false : 'openssl is not installed',
  }, async () => {
    const ctx = await h.browser.newContext({ ignoreHTTPSErrors: true, locale: 'en' })
    try {
      const site = await h.openSite(ctx, {
        siteLogo: logoUrl,
        backgroundColor: '#2e7d32',
        returnTo: '/welcome',
      })
      const dialog = await h.openDialog(site)
      await dialog.waitForSelector('body[data-screen="email"]')
      await dialog.waitForFunction(() => {
        const img = document.getElementById('site-logo')
        return img instanceof HTMLImageElement && !img.hidden && img.complete && img.naturalWidth > 0
      })
      const box = await dialog.locator('#site-logo').boundingBox()
      assert.ok(box && box.width <= 64 && box.height <= 64, `logo is sized: ${JSON.stringify(box)}`)
      const bg = await dialog.evaluate(
        () => getComputedStyle(document.querySelector('.site') ?? document.body).backgroundColor,
      )
      assert.equal(bg, 'rgb(46, 125, 50)')
      await dialog.screenshot({ path: join(SHOTS, '32-dialog-site-logo.png') })
      const user = `uma-${RUN}@example.com`
      await dialog.fill('#email', user)
      await dialog.click('button[type=submit]')
      await dialog.waitForSelector('body[data-screen="set_password"]')
      await dialog.fill('#password', PASSWORD)
      await dialog.fill('#vpassword', PASSWORD)
      await dialog.click('button[type=submit]')
      await dialog.waitForSelector('body[data-screen="check_email"]')
      const mail = await h.mailTo(user, 'verify_email_address')
      assert.ok(mail.html.includes(`<img src="${logoUrl}"`), 'the logo is in the mail')
      assert.match(mail.html, /background:#2e7d32/)
      const link = await ctx.newPage()
      await link.goto(mail.link)
      await link.waitForSelector('body[data-screen="complete"]')
      assert.equal(await link.getAttribute('#return-to', 'href'), `${h.urls.rp}/welcome`)
    } finally {
      await ctx.close()
    }
  })

  it('forceAuthentication asks a signed-in user for the password again', { timeout: 120_000 }, async () => {
    const user = `vic-${RUN}@example.com`
    const ctx = await h.newContext('en')
    try {
      await h.signUp(ctx, user, PASSWORD)
      const site = await h.openSite(ctx, { experimental_forceAuthentication: true, email: user })
      await site.click('#signout').catch(() => {})
      await site.waitForSelector('body[data-user=""]')
      const dialog = await h.openDialog(site)
      // Signed in to Persona, yet no address list: the email screen, then the password.
      await dialog.waitForSelector('body[data-screen="email"]')
      assert.equal(await dialog.inputValue('#email'), user)
      await dialog.click('button[type=submit]')
      await dialog.waitForSelector('body[data-screen="password"]')
      const auth = dialog.waitForRequest((r) => r.url().endsWith('/wsapi/authenticate_user'))
      await dialog.fill('#password', PASSWORD)
      await dialog.click('button[type=submit]')
      assert.equal((await auth).postDataJSON().email, user)
      await dialog.waitForSelector('body[data-screen="is_this_your_computer"]')
      await clickAndClose(dialog, '#this-is-my-computer')
      await site.waitForSelector(`body[data-user="${user}"]`)
    } finally {
      await ctx.close()
    }
  })

  it('every page our support document and discovery name is served', { timeout: 60_000 }, async () => {
    const base = h.urls.persona
    const doc = await (await fetch(`${base}/.well-known/browserid`)).json()
    const disc = await (await fetch(`${base}/wsapi/discovery?domain=plain.example`)).json()
    const named = [doc.authentication, doc.provisioning, disc.authentication, disc.provisioning]
    assert.equal(named.filter((u) => typeof u === 'string').length, 4, JSON.stringify({ doc, disc }))
    for (const u of named) {
      const url = new URL(u, base)
      const res = await fetch(url)
      assert.equal(res.status, 200, `${url.href} answers ${res.status}`)
      assert.match(String(res.headers.get('content-type')), /^text\/html/, url.href)
    }
    // The sign-in page for delegated addresses, in the browser's language.
    const ctx = await h.newContext('de')
    try {
      const page = await ctx.newPage()
      await page.goto(`${base}/auth?email=${encodeURIComponent('kim@delegated.example')}`)
      await page.waitForSelector('body[data-screen="idp_auth"]')
      assert.equal(await page.textContent('h1'), new Catalog('idp').get('de').format('idp-auth-heading'))
      await page.screenshot({ path: join(SHOTS, '33-idp-auth-de.png') })
      // Cancelling goes back to the dialog's return address.
      await page.click('#idp-cancel')
      await page.waitForURL((u) => u.pathname === '/sign_in')
    } finally {
      await ctx.close()
    }
  })

  it('forceIssuer and allowUnverified reach the server', { timeout: 120_000 }, async () => {
    const ctx = await h.newContext('en')
    try {
      const site = await h.openSite(ctx, {
        experimental_forceIssuer: 'marketplace.example',
        experimental_allowUnverified: true,
      })
      const dialog = await h.openDialog(site)
      const info = dialog.waitForRequest((r) => r.url().includes('/wsapi/address_info'))
      const stage = dialog.waitForRequest((r) => r.url().endsWith('/wsapi/stage_user'))
      const cert = dialog.waitForRequest((r) => r.url().endsWith('/wsapi/cert_key'))
      await dialog.waitForSelector('body[data-screen="email"]')
      const user = `wes-${RUN}@example.com`
      await dialog.fill('#email', user)
      await dialog.click('button[type=submit]')
      assert.equal(new URL((await info).url()).searchParams.get('issuer'), 'marketplace.example')
      await dialog.waitForSelector('body[data-screen="set_password"]')
      await dialog.fill('#password', PASSWORD)
      await dialog.fill('#vpassword', PASSWORD)
      await dialog.click('button[type=submit]')
      assert.equal((await stage).postDataJSON().allowUnverified, true)
      // An unverified account signs in at once, without waiting for the mail.
      await dialog.waitForSelector('body[data-screen="is_this_your_computer"]')
      await clickAndClose(dialog, '#this-is-my-computer')
      const body = (await cert).postDataJSON()
      assert.equal(body.forceIssuer, 'marketplace.example')
      assert.equal(body.allowUnverified, true)
      await site.waitForSelector('li[data-event="login"]')
    } finally {
      await ctx.close()
    }
  })
})
