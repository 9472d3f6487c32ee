// SPDX-License-Identifier: MPL-2.0
// The steps every browser flow shares, for browsers of one mode: a fresh Chromium per person, opening
// the site and the dialog, waiting for a screen (with its screenshot), reading a mailed link, and what
// "signed in" means: the site shows the address and its backend holds the verifier's okay for it.
import assert from 'node:assert/strict'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { type BrowserMode, type CrossSite, PERSONA, RP } from './cross-site.ts'

const ROOT = join(import.meta.dirname, '..', '..')
export const STEP_MS = 30_000

/** A short name of a mode, for addresses and screenshot folders. */
export function modeName(mode: BrowserMode): string {
  return `${mode.fedcm ? 'fedcm-' : ''}3pc-${mode.thirdPartyCookies}`
}

export function flowSteps(site$: () => CrossSite, mode: BrowserMode) {
  const name = modeName(mode)
  // The allowed run keeps the screenshots where they always were; other modes get a subfolder.
  const SHOTS = join(ROOT, 'test-output', 'screenshots', ...(name === '3pc-allowed' ? [] : [name]))
  const contexts: BrowserContext[] = []
  const usedLinks = new Set<string>()
  /** Browser-side errors, printed after the flows. */
  const consoleLines: string[] = []

  function urls(): { mail: string; local: string; idp: string } {
    const s = site$().stack.urls
    if (!s.testIdp) throw new Error('the stack has no test IdP')
    return { mail: s.mail, local: site$().local, idp: s.testIdp }
  }

  async function start(): Promise<void> {
    await mkdir(SHOTS, { recursive: true })
  }

  async function close(): Promise<void> {
    await Promise.all(contexts.map((ctx) => ctx.close().catch(() => {})))
    if (consoleLines.length > 0)
      console.log(`browser console (${name}):\n  ${consoleLines.slice(-40).join('\n  ')}`)
  }

  /** A new Chromium of this mode with its own fresh profile, like another person's computer. */
  async function freshBrowser(thirdPartyCookiesOn?: readonly string[]): Promise<BrowserContext> {
    const ctx = await site$().launch(mode, thirdPartyCookiesOn ? { thirdPartyCookiesOn } : {})
    contexts.push(ctx)
    ctx.setDefaultTimeout(STEP_MS)
    ctx.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') consoleLines.push(`${m.page()?.url()}: ${m.text()}`)
    })
    ctx.on('weberror', (e) => consoleLines.push(`page error: ${e.error().message}`))
    return ctx
  }

  /**
   * page.goto, again when Chromium reports ERR_NETWORK_CHANGED: on a shared machine other tests add and
   * remove network interfaces (namespaces), and Chromium drops navigations under way when they change.
   */
  async function goto(page: Page, url: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await page.goto(url)
        return
      } catch (e) {
        if (attempt >= 3 || !String(e).includes('ERR_NETWORK_CHANGED')) throw e
      }
    }
  }

  async function openSite(ctx: BrowserContext): Promise<Page> {
    const page = ctx.pages()[0] ?? (await ctx.newPage())
    await goto(page, RP)
    await page.waitForSelector('body[data-ready="true"]')
    return page
  }

  async function openDialog(site: Page): Promise<Page> {
    const [popup] = await Promise.all([site.waitForEvent('popup'), site.click('#signin')])
    await popup.waitForLoadState('domcontentloaded')
    return popup
  }

  /** Waits for a dialog (or page) state and saves its screenshot. */
  async function state(page: Page, screen: string, shot?: string): Promise<void> {
    await page.waitForSelector(`body[data-screen="${screen}"]`)
    if (shot) await page.screenshot({ path: join(SHOTS, `${shot}.png`) })
  }

  /** The newest unused link to `path` in mail to `to`, read from the mail catcher. */
  async function mailedLink(to: string, path: string): Promise<string> {
    const { mail } = urls()
    const pattern = new RegExp(`${PERSONA.replace(/[.:/]/g, '\\$&')}/${path}\\?token=[A-Za-z0-9]{48}`)
    const deadline = Date.now() + STEP_MS
    while (Date.now() < deadline) {
      const list = await (await fetch(`${mail}/api/v1/messages?limit=200`)).json()
      for (const m of list.messages ?? []) {
        const recipients: { Address: string }[] = m.To ?? []
        if (!recipients.some((r) => r.Address.toLowerCase() === to.toLowerCase())) continue
        const full = await (await fetch(`${mail}/api/v1/message/${m.ID}`)).json()
        const link = pattern.exec(`${full.Text ?? ''}\n${full.HTML ?? ''}`)?.[0]
        if (link && !usedLinks.has(link)) {
          usedLinks.add(link)
          return link
        }
      }
      await new Promise((r) => setTimeout(r, 250))
    }
    throw new Error(`no ${path} mail for ${to}`)
  }

  /** The site shows the address, and its backend holds the verifier's okay for it and this site. */
  async function expectSignedIn(site: Page, email: string, issuer?: string): Promise<void> {
    await site.waitForSelector(`body[data-user="${email}"]`)
    const last = await site.evaluate(async () => (await fetch('/auth/last')).json())
    assert.equal(last?.status, 'okay', `verifier answer: ${JSON.stringify(last)}`)
    assert.equal(last.email, email)
    assert.equal(last.audience, RP)
    if (issuer) assert.equal(last.issuer, issuer)
  }

  /**
   * Clicks something that ends with the dialog closing itself. The window may close while the click is
   * still being reported, so the click's own "page closed" error is not a failure; not closing is.
   */
  async function clickAndClose(dialog: Page, selector: string): Promise<void> {
    const closed = dialog.waitForEvent('close')
    await dialog.click(selector).catch((e: unknown) => {
      if (!dialog.isClosed()) throw e
    })
    await closed
  }

  async function signOutOfSite(site: Page): Promise<void> {
    const before = await site.locator('li[data-event="logout"]').count()
    await site.click('#signout')
    await site.waitForFunction((n) => document.querySelectorAll('li[data-event="logout"]').length > n, before)
    await site.waitForSelector('body[data-user=""]')
  }

  /** Answers the dialog's email and password screens (ends once the password is sent). */
  async function passwordSignIn(page: Page, email: string, password: string): Promise<void> {
    await state(page, 'email')
    await page.fill('#email', email)
    await page.click('button[type=submit]')
    await state(page, 'password')
    await page.fill('#password', password)
    await page.click('button[type=submit]')
  }

  return {
    SHOTS,
    passwordSignIn,
    urls,
    start,
    close,
    freshBrowser,
    goto,
    openSite,
    openDialog,
    state,
    mailedLink,
    expectSignedIn,
    clickAndClose,
    signOutOfSite,
  }
}
