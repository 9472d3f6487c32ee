// SPDX-License-Identifier: MPL-2.0
// Persona's sign-in flows in a real browser, as one relying site on the real web sees them: Chromium
// (driven by playwright-core) on https://rp.test, Persona on https://persona.test, the whole stack behind
// nginx (cross-site.ts). The same flows run once per browser mode (third-party cookies allowed, blocked);
// each ends with the site's backend holding the verifier's `okay` for the right address, and every
// dialog state is saved as a screenshot under test-output/screenshots/ (other modes in a subfolder).
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, it } from 'node:test'
import type { BrowserContext, Page } from 'playwright-core'
import { type BrowserMode, type CrossSite, PERSONA, PERSONA_HOST, RP } from './cross-site.ts'
import { flowSteps, modeName, STEP_MS } from './steps.ts'

const PASSWORD = 'correct horse battery'
const NEW_PASSWORD = 'staple battery horse'
const THIRD_PASSWORD = 'battery staple correct'

/** Registers the flows (in the caller's describe) for browsers of one mode; `env` is ready by then. */
export function signinFlows(site$: () => CrossSite, mode: BrowserMode): void {
  const name = modeName(mode)
  const run = `${Date.now().toString(36)}-${name}`
  const USER = `alice-${run}@example.com`
  const SECOND = `alice-second-${run}@example.org`
  const PRIMARY_USER = `bob-${run}@idp.test`
  const steps = flowSteps(site$, mode)
  const { SHOTS, urls, freshBrowser, goto, openSite, openDialog, state, mailedLink, expectSignedIn } = steps
  const { clickAndClose, signOutOfSite, passwordSignIn } = steps
  let a: BrowserContext
  let b: BrowserContext

  before(() => steps.start())
  after(() => steps.close())

  const COMM_FRAME = `iframe[src="${PERSONA}/communication_iframe"]`
  /**
   * A primary IdP's provisioning page runs in a frame of Persona's pages (BrowserID's design), so with
   * third-party cookies blocked it cannot see the IdP's own sign-in. Those flows need the user's gesture
   * in the browser itself: allowing third-party cookies on persona.test (the eye icon in the address
   * bar). The blocked run gives the browsers of these flows that exception; nothing else has it.
   */
  const IDP_COOKIES_ON = mode.thirdPartyCookies === 'blocked' ? [PERSONA_HOST] : undefined

  /**
   * With third-party cookies blocked, the communication iframe asks once, after a sign-in, to stay
   * connected (its button is the click the Storage Access API needs). The user allows; headless
   * Chromium has no permission prompt to click, so the DevTools protocol gives the browser's own
   * "Allow" for persona.test embedded in rp.test, as the user would in the prompt the click opens.
   * The DevTools session stays attached: its permission lasts as long as it does, like the grant a
   * real prompt stores.
   */
  async function allowStorageAccess(ctx: BrowserContext, site: Page): Promise<void> {
    const iframe = site.locator(COMM_FRAME)
    await iframe.waitFor({ state: 'visible' })
    const prompt = site.frameLocator(COMM_FRAME)
    await prompt.locator('body[data-screen="storage_access"]').waitFor()
    await site.screenshot({ path: join(SHOTS, '22-site-storage-access-prompt.png') })
    const cdp = await ctx.newCDPSession(site)
    await cdp.send('Browser.setPermission', {
      permission: { name: 'storage-access' },
      setting: 'granted',
      origin: RP,
      embeddedOrigin: PERSONA,
    })
    await prompt.locator('#persona-allow').click()
    await iframe.waitFor({ state: 'hidden' })
  }

  /** exp - iat (ms) of the certificate Persona's origin stored in this browser for `email`. */
  async function storedCertLifetimeMs(ctx: BrowserContext, email: string): Promise<number> {
    const page = await ctx.newPage()
    try {
      // Any page of Persona's origin reads its localStorage; the support document loads no script.
      await goto(page, `${PERSONA}/.well-known/browserid`)
      const cert = await page.evaluate((e) => {
        const all: unknown = JSON.parse(localStorage.getItem('persona.emails') ?? '{}')
        const entry: unknown = typeof all === 'object' && all !== null ? Reflect.get(all, e) : undefined
        const c: unknown =
          typeof entry === 'object' && entry !== null ? Reflect.get(entry, 'cert') : undefined
        return typeof c === 'string' ? c : ''
      }, email)
      const payload = cert.split('.')[1]
      assert.ok(payload, `no certificate stored for ${email}`)
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
      assert.equal(typeof claims.iat, 'number')
      assert.equal(typeof claims.exp, 'number')
      return claims.exp - claims.iat
    } finally {
      await page.close()
    }
  }

  /** Answers "Remember you?" (shown after signing in to Persona on a computer for the first time). */
  async function answerComputer(dialog: Page, mine: boolean, shot?: string): Promise<void> {
    await state(dialog, 'is_this_your_computer', shot)
    await clickAndClose(dialog, mine ? '#this-is-my-computer' : '#not-my-computer')
  }

  it('a new user signs up and confirms with the emailed link', { timeout: 120_000 }, async () => {
    a = await freshBrowser()
    const site = await openSite(a)
    const dialog = await openDialog(site)
    await state(dialog, 'email', '01-dialog-email')
    await dialog.fill('#email', USER)
    await dialog.click('button[type=submit]')
    await state(dialog, 'set_password', '02-dialog-set-password')
    await dialog.fill('#password', PASSWORD)
    await dialog.fill('#vpassword', PASSWORD)
    await dialog.click('button[type=submit]')
    await state(dialog, 'check_email', '03-dialog-check-email')
    const closed = dialog.waitForEvent('close', { timeout: STEP_MS })
    const link = await mailedLink(USER, 'verify_email_address')
    const confirmPage = await a.newPage()
    await goto(confirmPage, link)
    await state(confirmPage, 'complete', '04-page-address-confirmed')
    await closed
    await expectSignedIn(site, USER)
    await confirmPage.close()
    if (mode.thirdPartyCookies === 'blocked') await allowStorageAccess(a, site)
  })

  it('signing out calls onlogout; signing in again picks the remembered address', {
    timeout: 90_000,
  }, async () => {
    const site = await openSite(a)
    await expectSignedIn(site, USER)
    await signOutOfSite(site)
    const status = await site.evaluate(async () => (await fetch('/auth/status')).json())
    assert.equal(status.email, null)
    const dialog = await openDialog(site)
    await state(dialog, 'pick_email', '05-dialog-pick-email')
    assert.equal(await dialog.isChecked(`input[value="${USER}"]`), true)
    await clickAndClose(dialog, '#signin')
    await expectSignedIn(site, USER)
  })

  it('a site that forgot its session is told onlogin again by the communication iframe', {
    timeout: 60_000,
  }, async () => {
    const site = await openSite(a)
    await expectSignedIn(site, USER)
    // The site's own session ends (server side), but the user is still signed in to Persona.
    await site.evaluate(async () => {
      await fetch('/auth/logout', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      })
    })
    await site.reload()
    await site.waitForSelector('li[data-event="login"]')
    await site.waitForSelector('li[data-event="verified"]')
    await expectSignedIn(site, USER)
  })

  it('a returning user on another computer signs in with the password', { timeout: 90_000 }, async () => {
    b = await freshBrowser()
    const site = await openSite(b)
    const dialog = await openDialog(site)
    await state(dialog, 'email')
    await dialog.fill('#email', USER)
    await dialog.click('button[type=submit]')
    await state(dialog, 'password', '06-dialog-password')
    await dialog.fill('#password', 'not the password')
    await dialog.click('button[type=submit]')
    await dialog.waitForSelector('#status.error')
    await dialog.screenshot({ path: join(SHOTS, '07-dialog-wrong-password.png') })
    await dialog.fill('#password', PASSWORD)
    await dialog.click('button[type=submit]')
    const prolonged = dialog.waitForResponse((r) => r.url().endsWith('/wsapi/prolong_session'))
    await answerComputer(dialog, true, '16-dialog-is-this-your-computer')
    assert.equal((await prolonged).status(), 200)
    await expectSignedIn(site, USER)
    if (mode.thirdPartyCookies === 'blocked') {
      // The iframe's one question; this user says "Not now", so this browser never gives it access.
      await site.locator(COMM_FRAME).waitFor({ state: 'visible' })
      await site.frameLocator(COMM_FRAME).locator('#persona-later').click()
      await site.locator(COMM_FRAME).waitFor({ state: 'hidden' })
    }
    // "One month": the certificate is Persona's long-lived one (24 h), not the one-hour one.
    assert.ok((await storedCertLifetimeMs(b, USER)) > 60 * 60 * 1000)
  })

  it('a signed-in user adds a second address and signs in with it', { timeout: 120_000 }, async () => {
    const site = await openSite(b)
    // With third-party cookies blocked, this browser's iframe cannot see Persona's session: the site
    // keeps its own state rather than hearing a logout Persona cannot vouch for.
    await expectSignedIn(site, USER)
    assert.equal(await site.locator('li[data-event="logout"]').count(), 0)
    await signOutOfSite(site)
    const dialog = await openDialog(site)
    await state(dialog, 'pick_email')
    await dialog.click('#add-email')
    await state(dialog, 'add_email', '08-dialog-add-email')
    await dialog.fill('#email', SECOND)
    await dialog.click('button[type=submit]')
    await state(dialog, 'check_email', '09-dialog-check-email-addition')
    const closed = dialog.waitForEvent('close', { timeout: STEP_MS })
    const confirmPage = await b.newPage()
    await goto(confirmPage, await mailedLink(SECOND, 'confirm'))
    await state(confirmPage, 'complete')
    await closed
    await expectSignedIn(site, SECOND)
    await confirmPage.close()
  })

  it('a user who forgot the password resets it from the dialog', { timeout: 120_000 }, async () => {
    const c = await freshBrowser()
    const site = await openSite(c)
    const dialog = await openDialog(site)
    await state(dialog, 'email')
    await dialog.fill('#email', USER)
    await dialog.click('button[type=submit]')
    await state(dialog, 'password')
    await dialog.click('#forgot')
    await state(dialog, 'check_email', '10-dialog-check-email-reset')
    const closed = dialog.waitForEvent('close', { timeout: STEP_MS })
    const resetPage = await c.newPage()
    await goto(resetPage, await mailedLink(USER, 'reset_password'))
    await state(resetPage, 'password', '11-page-reset-password')
    await resetPage.fill('#password', NEW_PASSWORD)
    await resetPage.fill('#vpassword', NEW_PASSWORD)
    await resetPage.click('button[type=submit]')
    await state(resetPage, 'complete')
    await closed
    await expectSignedIn(site, USER)
  })

  it('after a password reset elsewhere, the other browser is signed out of the site (onlogout)', {
    timeout: 60_000,
  }, async () => {
    const site = await openSite(a)
    // The site still has its own session, so it passes loggedInUser; Persona's session has ended.
    await site.waitForSelector('li[data-event="logout"]')
    await site.waitForSelector('body[data-user=""]')
    const status = await site.evaluate(async () => (await fetch('/auth/status')).json())
    assert.equal(status.email, null)
  })

  it('the old navigator.id.get() API signs in too', { timeout: 60_000 }, async () => {
    const site = a.pages()[0] ?? (await a.newPage())
    await goto(site, `${RP}/legacy`)
    const [dialog] = await Promise.all([site.waitForEvent('popup'), site.click('#get')])
    await passwordSignIn(dialog, USER, NEW_PASSWORD)
    await answerComputer(dialog, true)
    await expectSignedIn(site, USER)
  })

  it('a primary IdP user signs in through the IdP', { timeout: 120_000 }, async () => {
    // The dialog loads the IdP's pages from address_info's auth/prov URLs; with SHIMMED_PRIMARIES the
    // reader must build them from the shimmed origin (the proxy's x-idp-origin), not https://idp.test.
    const info = await (
      await fetch(`${urls().local}/wsapi/address_info?email=${encodeURIComponent(PRIMARY_USER)}`)
    ).json()
    assert.equal(info.type, 'primary')
    assert.equal(
      new URL(info.prov).origin,
      urls().idp,
      `address_info must point at the shimmed IdP origin, got prov=${info.prov}`,
    )
    const d = await freshBrowser(IDP_COOKIES_ON)
    const site = await openSite(d)
    const dialog = await openDialog(site)
    await state(dialog, 'email')
    await dialog.fill('#email', PRIMARY_USER)
    await dialog.click('button[type=submit]')
    await state(dialog, 'verify_primary', '12-dialog-verify-primary')
    await dialog.click('#verify-primary')
    await dialog.waitForSelector('#idp-submit')
    assert.equal(await dialog.inputValue('#email'), PRIMARY_USER)
    await dialog.screenshot({ path: join(SHOTS, '13-idp-sign-in.png') })
    await dialog.fill('#password', 'test-password')
    await dialog.click('#idp-submit')
    await answerComputer(dialog, true)
    await expectSignedIn(site, PRIMARY_USER, 'idp.test')
  })

  it('the account manager signs a primary IdP user in through the IdP, then silently', {
    timeout: 90_000,
  }, async () => {
    const g = await freshBrowser(IDP_COOKIES_ON)
    const page = g.pages()[0] ?? (await g.newPage())
    await goto(page, `${PERSONA}/`)
    await state(page, 'signin')
    await page.fill('#email', PRIMARY_USER)
    await page.click('#signin-form button[type=submit]')
    // No session at the IdP yet in this browser: its sign-in page, in this tab.
    await state(page, 'verify_primary', '18-account-verify-primary')
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'verify-primary')
    await page.click('#verify-primary')
    await page.waitForSelector('#idp-submit')
    assert.equal(new URL(page.url()).origin, urls().idp)
    assert.equal(await page.inputValue('#email'), PRIMARY_USER)
    await page.fill('#password', 'test-password')
    await page.click('#idp-submit')
    await state(page, 'account', '19-account-primary-user')
    assert.equal(new URL(page.url()).pathname, '/')
    assert.deepEqual(await page.locator('#emails .who').allTextContents(), [PRIMARY_USER])
    // An account without a password has no "change password" form.
    assert.equal(await page.locator('#password-form').count(), 0)
    const ctx = await page.evaluate(async () => (await fetch('/wsapi/session_context')).json())
    assert.equal(ctx.authenticated, true)
    assert.equal(ctx.auth_level, 'assertion')
    // Signed out of Persona but still at the IdP: the provisioning page signs in without a detour.
    await page.click('#signout')
    await state(page, 'signin')
    await page.fill('#email', PRIMARY_USER)
    await page.click('#signin-form button[type=submit]')
    await state(page, 'account')
    assert.equal(new URL(page.url()).origin, PERSONA)
    assert.deepEqual(await page.locator('#emails .who').allTextContents(), [PRIMARY_USER])
  })

  it('a cancelled dialog calls oncancel, and the new password works afterwards', {
    timeout: 90_000,
  }, async () => {
    const e = await freshBrowser()
    const site = await openSite(e)
    const cancels = () => site.locator('li[data-event="cancel"]').count()
    // The dialog's own Cancel button.
    let dialog = await openDialog(site)
    await state(dialog, 'email')
    await clickAndClose(dialog, '[data-action="cancel"]')
    await site.waitForSelector('li[data-event="cancel"]')
    assert.equal(await cancels(), 1)
    // Closing the window.
    dialog = await openDialog(site)
    await state(dialog, 'email')
    await dialog.close()
    await site.waitForFunction(() => document.querySelectorAll('li[data-event="cancel"]').length === 2)
    assert.equal(await site.locator('body[data-user=""]').count(), 1)
    assert.equal(await site.locator('li[data-event="login"]').count(), 0)
    // The site still signs in afterwards, with the password chosen at the reset, by keyboard only:
    // each screen puts the focus in its first field.
    dialog = await openDialog(site)
    await state(dialog, 'email')
    assert.equal(await dialog.evaluate(() => document.activeElement?.id), 'email')
    await dialog.keyboard.type(USER)
    await dialog.keyboard.press('Enter')
    await state(dialog, 'password')
    assert.equal(await dialog.evaluate(() => document.activeElement?.id), 'password')
    await dialog.keyboard.type(NEW_PASSWORD)
    await dialog.keyboard.press('Enter')
    await state(dialog, 'is_this_your_computer')
    assert.equal(await dialog.evaluate(() => document.activeElement?.id), 'this-is-my-computer')
    const closed = dialog.waitForEvent('close')
    await dialog.keyboard.press('Enter').catch((e: unknown) => {
      if (!dialog.isClosed()) throw e
    })
    await closed
    await expectSignedIn(site, USER)
  })

  it('"This session only" gives a certificate of at most one hour, and is not asked again', {
    timeout: 90_000,
  }, async () => {
    const f = await freshBrowser()
    const site = await openSite(f)
    let dialog = await openDialog(site)
    await state(dialog, 'email')
    await dialog.fill('#email', USER)
    await dialog.click('button[type=submit]')
    await state(dialog, 'password')
    const auth = dialog.waitForRequest((r) => r.url().endsWith('/wsapi/authenticate_user'))
    await dialog.fill('#password', NEW_PASSWORD)
    await dialog.click('button[type=submit]')
    // A first sign-in on a computer is short-lived until the user says otherwise.
    assert.equal((await auth).postDataJSON().ephemeral, true)
    const certKey = dialog.waitForRequest((r) => r.url().endsWith('/wsapi/cert_key'))
    await answerComputer(dialog, false, '17-dialog-not-my-computer')
    assert.equal((await certKey).postDataJSON().ephemeral, true)
    await expectSignedIn(site, USER)
    const lifetime = await storedCertLifetimeMs(f, USER)
    assert.ok(lifetime > 0 && lifetime <= 60 * 60 * 1000, `certificate lifetime ${lifetime} ms`)
    // Signing in again on this computer picks the address without asking again.
    await signOutOfSite(site)
    dialog = await openDialog(site)
    await state(dialog, 'pick_email')
    await dialog.check(`input[value="${USER}"]`)
    const certCalls: string[] = []
    dialog.on('request', (r) => {
      if (r.url().endsWith('/wsapi/cert_key')) certCalls.push(r.url())
    })
    await clickAndClose(dialog, '#signin')
    await expectSignedIn(site, USER)
    // The one-hour certificate was still good, so none was asked for.
    assert.deepEqual(certCalls, [])
  })
  it('with the popup blocked, the tab goes to the dialog and back to returnTo, signed in', {
    timeout: 90_000,
  }, async () => {
    const h = await freshBrowser()
    const site = h.pages()[0] ?? (await h.newPage())
    let popups = 0
    h.on('page', () => popups++)
    await goto(site, `${RP}/?nopopup=1`)
    await site.waitForSelector('body[data-ready="true"]')
    // Cancel first: back at the site, signed out, nothing delivered.
    await site.click('#signin')
    await state(site, 'email')
    await site.click('[data-action="cancel"]')
    await site.waitForURL((u) => u.origin === RP)
    await site.waitForSelector('body[data-ready="true"]')
    assert.equal(new URL(site.url()).hash, '')
    assert.equal(await site.getAttribute('body', 'data-user'), '')
    assert.equal(await site.locator('li[data-event="login"]').count(), 0)
    await goto(site, `${RP}/?nopopup=1`)
    await site.waitForSelector('body[data-ready="true"]')
    await site.click('#signin')
    await state(site, 'email', '20-dialog-redirect-email')
    const at = new URL(site.url())
    assert.equal(at.origin, PERSONA)
    assert.equal(at.pathname, '/sign_in')
    assert.equal(at.hash, '', 'the request is taken out of the address bar')
    assert.equal(await site.textContent('#site-name'), 'Example site')
    await passwordSignIn(site, USER, NEW_PASSWORD)
    await state(site, 'is_this_your_computer')
    await site.click('#this-is-my-computer')
    await site.waitForURL((u) => u.origin === RP)
    await expectSignedIn(site, USER)
    assert.equal(new URL(site.url()).hash, '', 'the result is taken out of the address bar')
    assert.equal(await site.locator('li[data-event="login"]').count(), 1)
    assert.equal(popups, 0)
  })

  it('a sign-in result in a link the site did not ask for is ignored', { timeout: 60_000 }, async () => {
    const i = await freshBrowser()
    const site = i.pages()[0] ?? (await i.newPage())
    const forged = encodeURIComponent(
      JSON.stringify({
        nonce: 'AAAAAAAAAAAAAAAAAAAAAAAA',
        result: { assertion: 'x.y.z~a.b.c', email: USER },
      }),
    )
    await goto(site, `${RP}/#persona_result=${forged}`)
    await site.waitForSelector('body[data-ready="true"]')
    assert.equal(await site.locator('li[data-event="login"]').count(), 0)
    assert.equal(await site.getAttribute('body', 'data-user'), '')
    assert.equal(new URL(site.url()).hash, '')
    // A forged request to the dialog, claiming another site than the page that sent it, is refused.
    const claim = encodeURIComponent(
      JSON.stringify({ origin: 'https://bank.example', nonce: 'BBBBBBBBBBBBBBBBBBBBBBBB', params: {} }),
    )
    await site.evaluate((to) => {
      location.href = to
    }, `${PERSONA}/sign_in#persona_request=${claim}`)
    await state(site, 'error', '21-dialog-redirect-refused')
  })

  it('a sampled dialog records coarse events, and the next dialog posts them as interaction_data', {
    timeout: 60_000,
  }, async () => {
    const j = await freshBrowser()
    const site = await openSite(j)
    let dialog = await openDialog(site)
    await state(dialog, 'email')
    await clickAndClose(dialog, '[data-action="cancel"]')
    const posted = j.waitForEvent('request', (r) => r.url().endsWith('/wsapi/interaction_data'))
    dialog = await openDialog(site)
    const req = await posted
    assert.equal((await req.response())?.status(), 200)
    const body = req.postDataJSON()
    assert.equal(typeof body.csrf, 'string')
    assert.equal(body.data.length, 1, 'one finished session, the current one is kept for later')
    const kpi = body.data[0]
    const allowed = ['event_stream', 'lang', 'screen_size', 'sample_rate', 'timestamp', 'number_emails']
    allowed.push('new_account', 'email_type', 'rp_api')
    for (const k of Object.keys(kpi)) assert.ok(allowed.includes(k), `unexpected KPI field ${k}`)
    assert.equal(kpi.sample_rate, 1)
    assert.equal(kpi.timestamp % 600_000, 0, 'server time rounded down to 10 minutes')
    assert.equal(kpi.rp_api, 'watch_with_onready')
    assert.equal(kpi.lang, 'en')
    const names = kpi.event_stream.map((e: [string, number]) => e[0])
    assert.ok(names.includes('screen.email') && names.includes('cancel'), names.join(','))
    for (const [, at] of kpi.event_stream) assert.ok(Number.isInteger(at) && at >= 0)
    await state(dialog, 'email')
    await clickAndClose(dialog, '[data-action="cancel"]')
  })

  it('the account manager on a phone: list, remove, change password, sign out, cancel', {
    timeout: 90_000,
  }, async () => {
    const page = await b.newPage()
    await page.setViewportSize({ width: 390, height: 844 })
    await goto(page, `${PERSONA}/`)
    await state(page, 'signin', '14-account-sign-in-phone')
    await page.fill('#email', USER)
    await page.fill('#password', NEW_PASSWORD)
    await page.click('#signin-form button[type=submit]')
    await state(page, 'account', '15-account-phone')
    assert.deepEqual((await page.locator('#emails .who').allTextContents()).sort(), [USER, SECOND].sort())
    page.once('dialog', (d) => void d.accept())
    await page.click(`button[aria-label="Remove ${SECOND}"]`)
    await page.waitForFunction((gone) => {
      const shown = [...document.querySelectorAll('#emails .who')].map((e) => e.textContent)
      return shown.length === 1 && !shown.includes(gone)
    }, SECOND)
    await page.fill('#old-password', NEW_PASSWORD)
    await page.fill('#new-password', THIRD_PASSWORD)
    await page.click('#password-form button[type=submit]')
    await page.waitForSelector('#status:has-text("Your password was changed.")')
    await page.click('#signout')
    await state(page, 'signin')
    await page.fill('#email', USER)
    await page.fill('#password', NEW_PASSWORD)
    await page.click('#signin-form button[type=submit]')
    await page.waitForSelector('#status.error')
    await page.fill('#password', THIRD_PASSWORD)
    await page.click('#signin-form button[type=submit]')
    await state(page, 'account')
    await page.check('#cancel-confirm')
    await page.click('#cancel-form button[type=submit]')
    await state(page, 'signin')
    const info = await (
      await fetch(`${urls().local}/wsapi/address_info?email=${encodeURIComponent(USER)}`)
    ).json()
    assert.equal(info.state, 'unknown')
  })
}
