// SPDX-License-Identifier: MPL-2.0
// Persona as an identity provider, in Chromium against the whole stack:
// - /provision through the real provisioning channel, for a domain that delegates to us: the dialog's
//   own provisioning code (hidden frame, vep_prov channel, WebCrypto key), on Persona's origin where the
//   dialog runs, loads the page discovery names and gets a certificate for an address this browser's
//   password session owns, which the verifier accepts through the delegation; a provisioning failure
//   for any other address, or with no session. (Our dialog itself signs such an address in with its
//   password flow, sign-up included, and never needs /provision: asserted too.)
// - /check_idp: the test IdP, a broken support document, a delegation loop and a domain delegating to
//   us, each explained; the page in every language (screenshots in test-output/l10n/<locale>/).
import assert from 'node:assert/strict'
import { mkdir } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { generateKeyPair } from '@persona/browserid'
import { ALL_LOCALES, dirOf } from '@persona/l10n'
import { Catalog } from '@persona/l10n/catalog'
import * as esbuild from 'esbuild'
import type { BrowserContext, Page } from 'playwright-core'
import { findingText, verdictText } from '../../services/web/src/lib/idp-check.ts'
import { Harness, SKIP_CHROMIUM } from './harness.ts'

const ROOT = join(import.meta.dirname, '..', '..')
const SHOTS = join(ROOT, 'test-output', 'screenshots')
const L10N_SHOTS = join(ROOT, 'test-output', 'l10n')
const RUN = Date.now().toString(36)
const PASSWORD = 'correct horse battery'
/** Delegates its BrowserID authority to our Persona (whose domain is its public URL's host). */
const DELEGATED = 'delegated.test'
const servers: Server[] = []
let h: Harness
let bundle = ''

/** A local origin serving one support document (the proxy reaches it through SHIMMED_PRIMARIES). */
async function documentServer(doc: unknown): Promise<string> {
  const server = createServer((req, res) => {
    if (req.url !== '/.well-known/browserid') return void res.writeHead(404).end()
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(doc))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  servers.push(server)
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

type Provisioned =
  | { readonly ok: true; readonly cert: string; readonly assertion: string }
  | { readonly ok: false; readonly code: string; readonly reason: string }

/**
 * The dialog's own provisioning code (services/web/src/lib/provision.ts: the hidden frame, the vep_prov
 * channel, the WebCrypto key) and its assertion signing, bundled for a test page on Persona's origin,
 * where the dialog runs: window.provision({ provisioning, email, audience }).
 */
async function dialogProvisioningBundle(): Promise<string> {
  const out = await esbuild.build({
    stdin: {
      contents: `
        import { ProvisioningError, provisionPrimary } from './provision.ts'
        import { signerFor } from './keys.ts'
        import { makeBackedAssertion } from './jws.ts'
        window.provision = async (a) => {
          try {
            const { keys, cert } = await provisionPrimary({ email: a.email, url: a.provisioning, ephemeral: true })
            const sign = await signerFor(keys.privateJwk)
            return { ok: true, cert, assertion: await makeBackedAssertion(cert, a.audience, Date.now(), sign) }
          } catch (e) {
            return { ok: false, code: e instanceof ProvisioningError ? e.code : 'thrown', reason: String(e.message ?? e) }
          }
        }`,
      resolveDir: join(ROOT, 'services', 'web', 'src', 'lib'),
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
  })
  return out.outputFiles[0]?.text ?? ''
}

/** A page on Persona's origin running the dialog's provisioning code (only these two URLs are stubbed). */
async function dialogPage(ctx: BrowserContext): Promise<Page> {
  const page = await ctx.newPage()
  const url = `${h.urls.persona}/provisioning-under-test`
  await page.route(`${url}.js`, (route) => route.fulfill({ contentType: 'text/javascript', body: bundle }))
  await page.route(url, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><title>dialog</title><body><script src="${url}.js"></script></body>`,
    }),
  )
  await page.goto(url)
  await page.waitForFunction(() => typeof Reflect.get(window, 'provision') === 'function')
  return page
}

function provision(page: Page, args: { provisioning: string; email: string; audience: string }) {
  return page.evaluate(
    (a) => (Reflect.get(window, 'provision') as (x: typeof a) => Promise<Provisioned>)(a),
    args,
  )
}

function payloadOf(jws: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString('utf8'))
}

/** The text of an element's own text nodes (not its children's). */
function ownText(page: Page, selector: string): Promise<string> {
  return page.$eval(selector, (el) =>
    [...el.childNodes]
      .filter((n) => n.nodeType === Node.TEXT_NODE)
      .map((n) => n.textContent)
      .join(''),
  )
}

describe('Persona as an identity provider', { skip: SKIP_CHROMIUM }, () => {
  before(
    async () => {
      await mkdir(SHOTS, { recursive: true })
      const weak = (await generateKeyPair('RS64')).publicKey.toJSON()
      const shims = {
        [DELEGATED]: await documentServer({ authority: '127.0.0.1' }),
        'broken.test': await documentServer({ 'public-key': weak, authentication: '/sign_in' }),
        'loop-a.test': await documentServer({ authority: 'loop-b.test' }),
        'loop-b.test': await documentServer({ authority: 'loop-a.test' }),
      }
      bundle = await dialogProvisioningBundle()
      h = await Harness.start({}, { shims })
    },
    { timeout: 300_000 },
  )
  after(async () => {
    await h?.stop()
    for (const s of servers) s.close()
  })

  describe('/provision over the provisioning channel', () => {
    const email = `kim-${RUN}@${DELEGATED}`
    let signedIn: BrowserContext | undefined

    it('certifies an address this browser’s session owns; the verifier accepts it through the delegation', {
      timeout: 180_000,
    }, async () => {
      const ctx = await h.newContext('en')
      signedIn = ctx
      const provisionLoads: string[] = []
      ctx.on('request', (r) => {
        if (new URL(r.url()).pathname === '/provision') provisionLoads.push(r.frame().url())
      })
      // Our own dialog serves a domain that delegates to us with its password flow (sign-up, mailed
      // link): it never loads /provision.
      await h.signUp(ctx, email, PASSWORD)
      assert.deepEqual(provisionLoads, [], 'our dialog loaded /provision')

      // Where a relying dialog finds the provisioning page: discovery, as Firefox's native BrowserID did.
      const disc = await (await fetch(`${h.urls.persona}/wsapi/discovery?domain=${DELEGATED}`)).json()
      assert.equal(disc.provisioning, `${h.urls.persona}/provision`)
      const page = await dialogPage(ctx)
      const got = await provision(page, { provisioning: disc.provisioning, email, audience: h.urls.rp })
      assert.ok(got.ok, `provisioning failed: ${got.ok ? '' : got.reason}`)
      assert.equal(provisionLoads.length, 1)
      const cert = payloadOf(got.cert)
      assert.deepEqual(cert.principal, { email })
      assert.equal(cert.iss, new URL(h.urls.persona).hostname)
      assert.ok(typeof cert.exp === 'number' && cert.exp > Date.now(), JSON.stringify(cert))

      const res = await fetch(`${h.urls.persona}/verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ assertion: got.assertion, audience: h.urls.rp }),
      })
      const verdict = await res.json()
      assert.equal(verdict.status, 'okay', JSON.stringify(verdict))
      assert.equal(verdict.email, email)
      assert.equal(verdict.audience, h.urls.rp)
      await page.close()
    })

    it('raises a provisioning failure for an address the session does not own, and without a session', {
      timeout: 120_000,
    }, async () => {
      assert.ok(signedIn, 'the previous test signed a browser in')
      const args = { provisioning: `${h.urls.persona}/provision`, audience: h.urls.rp }
      const page = await dialogPage(signedIn)
      const other = await provision(page, { ...args, email: `someone-else-${RUN}@${DELEGATED}` })
      assert.deepEqual(other, {
        ok: false,
        code: 'primaryError',
        reason: 'user is not authenticated as target user',
      })
      await signedIn.close()

      const stranger = await h.newContext('en')
      try {
        const none = await provision(await dialogPage(stranger), { ...args, email })
        assert.deepEqual(none, { ok: false, code: 'primaryError', reason: 'user is not authenticated' })
      } finally {
        await stranger.close()
      }
    })
  })

  describe('/check_idp', () => {
    const en = new Catalog('idp').get('en')

    async function checked(page: Page, domain: string): Promise<string[]> {
      await page.waitForSelector(`body[data-checked="${domain}"]`)
      return page.$$eval('#idp-check-result li', (lis) => lis.map((li) => li.getAttribute('data-code') ?? ''))
    }

    it('the test IdP, a broken document, a delegation loop, a domain delegating to us, a typo', {
      timeout: 120_000,
    }, async () => {
      const ctx = await h.newContext('en')
      try {
        const page = await ctx.newPage()
        await page.goto(`${h.urls.persona}/check_idp`)
        await page.waitForSelector('body[data-screen="check_idp"]')
        assert.equal(await page.textContent('h1'), en.format('idp-check-heading'))

        await page.fill('#domain', 'idp.test')
        await page.click('#idp-check-form button[type=submit]')
        assert.deepEqual(await checked(page, 'idp.test'), ['supported', 'key', 'pages'])
        assert.equal(await page.getAttribute('#idp-check-result', 'data-verdict'), 'primary')
        assert.equal(await page.textContent('#idp-check-result h2'), verdictText(en, 'primary', 'idp.test'))
        assert.equal(await page.$$eval('li[data-severity="ok"]', (l) => l.length), 3)
        await page.screenshot({ path: join(SHOTS, '40-check-idp-good.png'), fullPage: true })

        // What an operator pastes: the document's URL.
        await page.fill('#domain', 'https://broken.test/.well-known/browserid')
        await page.click('#idp-check-form button[type=submit]')
        assert.deepEqual(await checked(page, 'broken.test'), ['bad-document'])
        assert.equal(await page.getAttribute('#idp-check-result', 'data-verdict'), 'broken')
        const bad = 'li[data-code="bad-document"]'
        assert.equal(await page.getAttribute(bad, 'data-severity'), 'error')
        assert.equal(
          await ownText(page, `${bad} .text`),
          findingText(en, {
            code: 'bad-document',
            args: { domain: 'broken.test', problem: 'missing-provisioning' },
          }),
        )
        assert.equal(
          await page.textContent(`${bad} code`),
          "support document missing required 'provisioning'",
        )
        assert.equal(new URL(page.url()).searchParams.get('domain'), 'broken.test')
        await page.screenshot({ path: join(SHOTS, '41-check-idp-broken.png'), fullPage: true })

        // A link to a check runs it.
        await page.goto(`${h.urls.persona}/check_idp?domain=loop-a.test`)
        assert.deepEqual(await checked(page, 'loop-a.test'), ['delegates', 'delegation-loop'])
        assert.equal(
          await ownText(page, 'li[data-code="delegation-loop"] .text'),
          findingText(en, {
            code: 'delegation-loop',
            args: { chain: 'loop-a.test → loop-b.test → loop-a.test' },
          }),
        )
        assert.equal(
          await page.textContent('#idp-check-result .chain'),
          en.format('idp-check-chain', { chain: 'loop-a.test → loop-b.test' }),
        )
        await page.screenshot({ path: join(SHOTS, '42-check-idp-loop.png'), fullPage: true })

        // A domain that delegates to us is a working identity provider: ours.
        await page.fill('#domain', DELEGATED)
        await page.click('#idp-check-form button[type=submit]')
        assert.deepEqual(await checked(page, DELEGATED), ['delegates', 'supported', 'key', 'pages'])
        assert.equal(await page.getAttribute('#idp-check-result', 'data-verdict'), 'primary')

        // Not a domain: said at once, nothing asked of the server.
        let asked = 0
        page.on('request', (r) => {
          if (r.url().includes('/wsapi/check_idp')) asked++
        })
        await page.fill('#domain', 'not a domain')
        await page.click('#idp-check-form button[type=submit]')
        await page.waitForSelector('#status.error')
        assert.equal(
          (await page.textContent('#status'))?.replace(/[\u2068\u2069]/g, ''),
          findingText(new Catalog('idp', undefined, { isolateLtr: false }).get('en'), {
            code: 'bad-domain',
            args: { domain: 'not a domain' },
          }),
        )
        assert.equal(asked, 0)
      } finally {
        await ctx.close()
      }
    })

    it('reads in every language, right to left in Arabic', { timeout: 240_000 }, async () => {
      const api = await (await fetch(`${h.urls.persona}/wsapi/check_idp?domain=broken.test`)).json()
      for (const locale of ALL_LOCALES) {
        const m = new Catalog('idp').get(locale)
        const ctx = await h.newContext(locale)
        try {
          const page = await ctx.newPage()
          await page.goto(`${h.urls.persona}/check_idp?domain=broken.test`)
          await page.waitForSelector('body[data-checked="broken.test"]')
          assert.equal(await page.getAttribute('html', 'lang'), locale)
          assert.equal(await page.getAttribute('html', 'dir'), dirOf(locale))
          assert.equal(
            await page.title(),
            new Catalog('page')
              .get(locale)
              .format('page-title-check-idp')
              .replace(/[\u2068\u2069]/g, ''),
          )
          assert.equal(await page.textContent('h1'), m.format('idp-check-heading'), locale)
          assert.equal(
            await page.textContent('label[for="domain"]'),
            m.format('idp-check-field-domain'),
            locale,
          )
          assert.equal(await page.textContent('#idp-check-form button'), m.format('idp-check-action'), locale)
          assert.equal(
            await page.textContent('#idp-check-result h2'),
            verdictText(m, api.verdict, 'broken.test'),
          )
          assert.equal(
            await ownText(page, 'li[data-code="bad-document"] .text'),
            findingText(m, api.findings[0]),
            locale,
          )
          await mkdir(join(L10N_SHOTS, locale), { recursive: true })
          await page.screenshot({ path: join(L10N_SHOTS, locale, 'check-idp.png'), fullPage: true })
          if (locale === 'ar') {
            // Mirrored: each finding's mark sits at the right, before its text in reading order.
            const [mark, text] = await Promise.all([
              page.locator('li[data-code="bad-document"] .mark').boundingBox(),
              page.locator('li[data-code="bad-document"] .text').boundingBox(),
            ])
            assert.ok(
              mark && text && mark.x > text.x,
              `mark ${JSON.stringify(mark)} text ${JSON.stringify(text)}`,
            )
          }
        } finally {
          await ctx.close()
        }
      }
    })
  })
})
