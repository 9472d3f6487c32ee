// SPDX-License-Identifier: MPL-2.0
// What the Chromium suites of the sign-in experience share: one whole stack (scripts/dev/stack.ts, with
// the example site, the test IdP and the mail catcher) and one browser, a context per person or
// language, and the steps every flow repeats (open the site, open the dialog, read the mailed link).
// Chromium runs blind to the machine's network changes (network-changes.ts): other tests create Docker
// networks and namespaces meanwhile.
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { type Stack, startStack } from '../../scripts/dev/stack.ts'
import { chromiumEnv } from './network-changes.ts'

export const CHROMIUM = '/usr/bin/chromium'
export const SKIP_CHROMIUM = existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed`
export const STEP_MS = 30_000

export interface Mail {
  readonly link: string
  readonly subject: string
  readonly text: string
  readonly html: string
}

export class Harness {
  readonly stack: Stack
  readonly browser: Browser
  readonly #dir: string
  readonly #usedLinks = new Set<string>()
  /** Browser-side errors and warnings, printed by stop(). */
  readonly console: string[] = []

  private constructor(stack: Stack, browser: Browser, dir: string) {
    this.stack = stack
    this.browser = browser
    this.#dir = dir
  }

  /**
   * Starts the stack (cheap hashing, generous budgets: many sign-ups and checks from one address) and
   * Chromium. `opts.shims` adds domains the proxy fetches from local origins (domain -> origin), beside
   * the test IdP's.
   */
  static async start(
    env: Readonly<Record<string, string>> = {},
    opts: { readonly shims?: Readonly<Record<string, string>> } = {},
  ): Promise<Harness> {
    const dir = await mkdtemp(join(tmpdir(), 'persona-browser-'))
    const shims = Object.entries(opts.shims ?? {}).map(([domain, origin]) => `${domain}=${origin}`)
    const stack = await startStack({
      dir,
      web: 'always',
      logLevel: 'warn',
      env: {
        BCRYPT_ROUNDS: '4',
        RATE_EMAIL_PER_HOUR: '1000',
        RATE_SIGNIN_PER_MIN: '1000',
        RATE_IDP_CHECK_PER_MIN: '1000',
        ...env,
      },
      ...(shims.length > 0 ? { parentEnv: { ...process.env, SHIMMED_PRIMARIES: shims.join(',') } } : {}),
    })
    try {
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-sync'],
        env: chromiumEnv(),
      })
      return new Harness(stack, browser, dir)
    } catch (e) {
      await stack.stop()
      throw e
    }
  }

  get urls(): { rp: string; persona: string; mail: string; idp: string } {
    const u = this.stack.urls
    if (!u.exampleRp || !u.testIdp) throw new Error('the stack has no example site or test IdP')
    return { rp: u.exampleRp, persona: u.public, mail: u.mail, idp: u.testIdp }
  }

  /** A browser context in a language (Accept-Language and navigator.language). */
  async newContext(locale = 'en'): Promise<BrowserContext> {
    const ctx = await this.browser.newContext({ locale, viewport: { width: 900, height: 760 } })
    ctx.setDefaultTimeout(STEP_MS)
    ctx.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') this.console.push(`${locale}: ${m.text()}`)
    })
    ctx.on('weberror', (e) => this.console.push(`${locale} page error: ${e.error().message}`))
    return ctx
  }

  /** The example site, with extra request() options (?request=). */
  async openSite(ctx: BrowserContext, request?: Readonly<Record<string, unknown>>): Promise<Page> {
    const page = ctx.pages()[0] ?? (await ctx.newPage())
    const q = request ? `?request=${encodeURIComponent(JSON.stringify(request))}` : ''
    await page.goto(`${this.urls.rp}/${q}`)
    await page.waitForSelector('body[data-ready="true"]')
    return page
  }

  async openDialog(site: Page): Promise<Page> {
    const [popup] = await Promise.all([site.waitForEvent('popup'), site.click('#signin')])
    await popup.waitForLoadState('domcontentloaded')
    return popup
  }

  /** The newest mail to `to` with a link to `path` not used before. */
  async mailTo(to: string, path: string): Promise<Mail> {
    const { mail, persona } = this.urls
    const pattern = new RegExp(`${persona.replace(/[.:/]/g, '\\$&')}/${path}\\?token=[A-Za-z0-9]{48}`)
    const deadline = Date.now() + STEP_MS
    while (Date.now() < deadline) {
      const list = await (await fetch(`${mail}/api/v1/messages?limit=500`)).json()
      for (const m of list.messages ?? []) {
        const recipients: { Address: string }[] = m.To ?? []
        if (!recipients.some((r) => r.Address.toLowerCase() === to.toLowerCase())) continue
        const full = await (await fetch(`${mail}/api/v1/message/${m.ID}`)).json()
        const link = pattern.exec(`${full.Text ?? ''}\n${full.HTML ?? ''}`)?.[0]
        if (link && !this.#usedLinks.has(link)) {
          this.#usedLinks.add(link)
          return {
            link,
            subject: String(full.Subject ?? ''),
            text: String(full.Text ?? ''),
            html: String(full.HTML ?? ''),
          }
        }
      }
      await new Promise((r) => setTimeout(r, 250))
    }
    throw new Error(`no ${path} mail for ${to}`)
  }

  /** Signs a new password account up through the dialog and its mailed link; the context stays signed in. */
  async signUp(ctx: BrowserContext, email: string, password: string): Promise<void> {
    const site = await this.openSite(ctx)
    const dialog = await this.openDialog(site)
    await dialog.waitForSelector('body[data-screen="email"]')
    await dialog.fill('#email', email)
    await dialog.click('button[type=submit]')
    await dialog.waitForSelector('body[data-screen="set_password"]')
    await dialog.fill('#password', password)
    await dialog.fill('#vpassword', password)
    await dialog.click('button[type=submit]')
    await dialog.waitForSelector('body[data-screen="check_email"]')
    const closed = dialog.waitForEvent('close')
    const confirm = await ctx.newPage()
    await confirm.goto((await this.mailTo(email, 'verify_email_address')).link)
    await confirm.waitForSelector('body[data-screen="complete"]')
    await closed
    await confirm.close()
  }

  /**
   * A password account whose second address a password reset then left unverified (what the
   * re-verification flows start from). Returns the account manager's page, signed out.
   */
  async accountWithUnverifiedSecond(
    ctx: BrowserContext,
    user: string,
    second: string,
    password: string,
  ): Promise<Page> {
    await this.signUp(ctx, user, password)
    const page = await ctx.newPage()
    await page.goto(`${this.urls.persona}/`)
    await page.waitForSelector('body[data-screen="account"]')
    await page.fill('#new-email', second)
    await page.click('#add-email-form button[type=submit]')
    await page.waitForSelector('body[data-screen="check_email"]')
    const link = await ctx.newPage()
    await link.goto((await this.mailTo(second, 'confirm')).link)
    await link.waitForSelector('body[data-screen="complete"]')
    // The reset, from the account manager's sign-in form, back to the same password.
    await page.goto(`${this.urls.persona}/`)
    await page.click('#signout')
    await page.waitForSelector('body[data-screen="signin"]')
    await page.fill('#email', user)
    await page.click('#forgot')
    await link.goto((await this.mailTo(user, 'reset_password')).link)
    await link.waitForSelector('body[data-screen="password"]')
    await link.fill('#password', password)
    await link.fill('#vpassword', password)
    await link.click('button[type=submit]')
    await link.waitForSelector('body[data-screen="complete"]')
    await link.close()
    return page
  }

  async stop(): Promise<void> {
    if (this.console.length > 0) console.log(`browser console:\n  ${this.console.slice(-30).join('\n  ')}`)
    await this.browser.close().catch(() => {})
    await this.stack.stop()
    await rm(this.#dir, { recursive: true, force: true })
  }
}

/**
 * Clicks something that ends with the dialog closing itself. The window may close while the click is
 * still being reported, so the click's own "page closed" error is not a failure; not closing is.
 */
export async function clickAndClose(dialog: Page, selector: string): Promise<void> {
  const closed = dialog.waitForEvent('close')
  await dialog.click(selector).catch((e: unknown) => {
    if (!dialog.isClosed()) throw e
  })
  await closed
}

/** Makes a context behave as a browser that refuses cookies to script (Persona's can_set_cookies check). */
export async function refuseCookies(ctx: BrowserContext): Promise<void> {
  await ctx.addInitScript(() => {
    Object.defineProperty(Document.prototype, 'cookie', { get: () => '', set: () => {}, configurable: true })
    Object.defineProperty(Navigator.prototype, 'cookieEnabled', { get: () => false, configurable: true })
  })
}
