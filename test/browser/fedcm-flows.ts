// SPDX-License-Identifier: MPL-2.0
// Signing in to a site with FedCM, where the browser offers it and third-party cookies are blocked:
// include.js's request() goes through the browser's own account chooser (driven through the DevTools
// protocol's FedCm domain: FedCm.enable, FedCm.dialogShown, FedCm.selectAccount), Persona's ID
// assertion endpoint answers with a backed BrowserID assertion the site's backend verifies at /verify,
// a reload keeps the user signed in, a returning user is signed in silently, and signing out (of the
// site, of Persona) turns silent sign-in and the account list off. The site's code is the same.
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, it } from 'node:test'
import type { BrowserContext, CDPSession, Page } from 'playwright-core'
import { type BrowserMode, type CrossSite, PERSONA, PERSONA_HOST, RP } from './cross-site.ts'
import { flowSteps, modeName } from './steps.ts'

const PASSWORD = 'fedcm horse battery'

interface DialogShown {
  readonly dialogId: string
  readonly dialogType: string
  readonly accounts: readonly { readonly accountId: string; readonly email: string }[]
}

export function fedcmFlows(site$: () => CrossSite, mode: BrowserMode): void {
  const run = `${Date.now().toString(36)}-${modeName(mode)}`
  const USER = `carol-${run}@example.com`
  const steps = flowSteps(site$, mode)
  const { SHOTS, freshBrowser, goto, openSite, state, mailedLink, expectSignedIn, signOutOfSite } = steps
  let browser: BrowserContext
  let site: Page
  let cdp: CDPSession
  /** FedCM dialogs the browser showed, in order. */
  const dialogs: DialogShown[] = []
  /** How often the browser itself asked Persona's accounts endpoint, as nginx logged it. */
  async function accountsFetches(): Promise<number> {
    const log = await readFile(join(site$().stack.dir, 'nginx', 'access.log'), 'utf8')
    return log.split('\n').filter((l) => l.includes('"path":"/wsapi/fedcm/accounts"')).length
  }

  before(() => steps.start())
  after(() => steps.close())

  /** The next FedCM dialog the browser shows (after `seen` of them) in `shown`. */
  async function nextDialog(seen: number, shown: readonly DialogShown[] = dialogs): Promise<DialogShown> {
    const deadline = Date.now() + 20_000
    while (Date.now() < deadline) {
      const d = shown[seen]
      if (d) return d
      await new Promise((r) => setTimeout(r, 100))
    }
    throw new Error(`no FedCM dialog after ${seen}`)
  }

  /** The user picks `email` in the browser's account chooser. */
  async function chooseAccount(d: DialogShown, email: string, session: CDPSession = cdp): Promise<void> {
    assert.equal(d.dialogType, 'AccountChooser')
    const index = d.accounts.findIndex((a) => a.email === email)
    assert.ok(index >= 0, `${email} not offered: ${JSON.stringify(d.accounts)}`)
    await session.send('FedCm.selectAccount', { dialogId: d.dialogId, accountIndex: index })
  }

  /** FedCM's DevTools domain on `page`, its dialogs collected into `shown`. */
  async function watchFedcm(ctx: BrowserContext, page: Page, shown: DialogShown[]): Promise<CDPSession> {
    const session = await ctx.newCDPSession(page)
    session.on('FedCm.dialogShown', (d: DialogShown) => {
      shown.push(d)
    })
    // Chromium delays FedCM's refusals by a random time, against timing attacks; not in a test.
    await session.send('FedCm.enable', { disableRejectionDelay: true })
    return session
  }

  /** Events the site logged, by name. */
  async function events(page: Page, event: string): Promise<number> {
    return page.locator(`li[data-event="${event}"]`).count()
  }

  it('a new user: the browser opens Persona to sign up, then its account chooser', {
    timeout: 150_000,
  }, async () => {
    browser = await freshBrowser()
    cdp = await watchFedcm(browser, browser.pages()[0] ?? (await browser.newPage()), dialogs)
    site = await openSite(browser)
    // Nobody is signed in to Persona in this browser: the browser opens FedCM's login URL, Persona's
    // own dialog, where the user makes an account.
    const [login] = await Promise.all([browser.waitForEvent('page'), site.click('#signin')])
    await login.waitForLoadState('domcontentloaded')
    assert.equal(new URL(login.url()).pathname, '/sign_in')
    assert.equal(new URL(login.url()).searchParams.get('fedcm'), 'login')
    await state(login, 'email', '30-fedcm-login-email')
    await login.fill('#email', USER)
    await login.click('button[type=submit]')
    await state(login, 'set_password')
    await login.fill('#password', PASSWORD)
    await login.fill('#vpassword', PASSWORD)
    await login.click('button[type=submit]')
    await state(login, 'check_email')
    const closed = login.waitForEvent('close', { timeout: 60_000 })
    const confirmPage = await browser.newPage()
    await goto(confirmPage, await mailedLink(USER, 'verify_email_address'))
    await state(confirmPage, 'complete')
    await confirmPage.close()
    // Signed in to Persona: the login window closes itself and the browser lists the account.
    await closed
    await chooseAccount(await nextDialog(0), USER)
    await expectSignedIn(site, USER)
    await site.screenshot({ path: join(SHOTS, '31-fedcm-signed-in.png') })
    assert.equal(await events(site, 'login'), 1)
    // FedCM is a trust signal for the Storage Access API: the communication iframe (allowed
    // identity-credentials-get) now gets Persona's cookies without a question.
    const comm = site.frame({ url: `${PERSONA}/communication_iframe` })
    assert.ok(comm, 'the communication iframe')
    await comm.waitForFunction(async () => await document.hasStorageAccess())
    assert.equal(await site.locator(`iframe[src="${PERSONA}/communication_iframe"]`).isVisible(), false)
  })

  it('a reload keeps the user signed in; no logout is heard', { timeout: 60_000 }, async () => {
    await site.reload()
    await site.waitForSelector('body[data-ready="true"]')
    await expectSignedIn(site, USER)
    assert.equal(await events(site, 'logout'), 0)
  })

  it('a returning user signs in again with one choice in the browser, no Persona window', {
    timeout: 60_000,
  }, async () => {
    await signOutOfSite(site)
    const before = dialogs.length
    let popups = 0
    const count = () => popups++
    browser.on('page', count)
    await site.click('#signin')
    await chooseAccount(await nextDialog(before), USER)
    await expectSignedIn(site, USER)
    browser.off('page', count)
    assert.equal(popups, 0, 'FedCM, not the popup')
  })

  it('a site that forgot its session is signed in again silently (FedCM silent mediation)', {
    timeout: 60_000,
  }, async () => {
    const before = dialogs.length
    await site.evaluate(async () => {
      await fetch('/auth/logout', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      })
    })
    const logins = await events(site, 'login')
    await site.reload()
    await site.waitForSelector('li[data-event="login"]')
    await expectSignedIn(site, USER)
    assert.ok(logins >= 1)
    // No choice to make: at most the browser's own "signing you in" notice (auto re-authentication).
    for (const d of dialogs.slice(before)) assert.equal(d.dialogType, 'AutoReauthn')
  })

  it('signing out of the site stops silent sign-in there', { timeout: 60_000 }, async () => {
    await signOutOfSite(site)
    // include.js still asks for a silent sign-in on load; the browser says why it refuses.
    const refused = site.waitForEvent('console', (m) => m.text().includes('preventSilentAccess()'))
    await site.reload()
    await site.waitForSelector('body[data-ready="true"]')
    await refused
    assert.equal(await site.getAttribute('body', 'data-user'), '')
    assert.equal(await events(site, 'login'), 0)
  })

  it("signing out of Persona clears the browser's login status: the next sign-in asks Persona first", {
    timeout: 90_000,
  }, async () => {
    const account = await browser.newPage()
    await goto(account, `${PERSONA}/`)
    await state(account, 'account')
    const out = account.waitForResponse((r) => r.url().endsWith('/wsapi/logout'))
    await account.click('#signout')
    assert.equal((await out).headers()['set-login'], 'logged-out')
    await state(account, 'signin')
    await account.close()
    const accountsAsked = await accountsFetches()
    // Logged out: the browser does not even ask for the accounts; it opens Persona's sign-in instead.
    const [login] = await Promise.all([browser.waitForEvent('page'), site.click('#signin')])
    await login.waitForLoadState('domcontentloaded')
    assert.equal(new URL(login.url()).searchParams.get('fedcm'), 'login')
    assert.equal(await accountsFetches(), accountsAsked)
    await steps.passwordSignIn(login, USER, PASSWORD)
    const before = dialogs.length
    // The first password sign-in on this computer asks how long to stay signed in, as the dialog does.
    await state(login, 'is_this_your_computer')
    await steps.clickAndClose(login, '#this-is-my-computer')
    await chooseAccount(await nextDialog(before), USER)
    await expectSignedIn(site, USER)
  })

  it("an identity provider's user: the account chooser, then Persona's dialog finishes (FedCM continuation)", {
    timeout: 120_000,
  }, async () => {
    const primary = `dora-${run}@idp.test`
    // The IdP's provisioning frame inside Persona's pages needs its cookies (see flows.ts).
    const g = await freshBrowser([PERSONA_HOST])
    const account = g.pages()[0] ?? (await g.newPage())
    await goto(account, `${PERSONA}/`)
    await state(account, 'signin')
    await account.fill('#email', primary)
    await account.click('#signin-form button[type=submit]')
    await state(account, 'verify_primary')
    await account.click('#verify-primary')
    await account.waitForSelector('#idp-submit')
    await account.fill('#password', 'test-password')
    await account.click('#idp-submit')
    await state(account, 'account')
    const shown: DialogShown[] = []
    const page = await g.newPage()
    const session = await watchFedcm(g, page, shown)
    await goto(page, RP)
    await page.waitForSelector('body[data-ready="true"]')
    await page.click('#signin')
    // Persona cannot certify an IdP's address itself: the browser opens the dialog, which makes the
    // assertion with the IdP's certificate and hands it to the browser for this site.
    const continuation = g.waitForEvent('page')
    await chooseAccount(await nextDialog(0, shown), primary, session)
    const dialog = await continuation
    await dialog.waitForLoadState('domcontentloaded')
    assert.equal(new URL(dialog.url()).searchParams.get('fedcm'), 'continue')
    assert.equal(new URL(dialog.url()).searchParams.get('origin'), RP)
    await expectSignedIn(page, primary, 'idp.test')
  })
}
