// SPDX-License-Identifier: MPL-2.0
// The static service against a small fixture dist/ made here (the real web build may not exist):
// pages with their framing rules and no-cache, immutable hashed assets, short-cached entry points,
// precompressed siblings, hidden HTML, path tricks and the HTML 404 page.
import assert from 'node:assert/strict'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { brotliCompressSync, brotliDecompressSync, gzipSync } from 'node:zlib'
import { buildApp, relativePathOf } from '../src/app.ts'
import { loadStaticConfig } from '../src/config.ts'
import { pageCsp } from '../src/headers.ts'
import { parsePages } from '../src/pages.ts'

const APP_JS = 'console.log("persona dialog")\n'.repeat(50)

async function makeDist(dir: string): Promise<void> {
  await mkdir(join(dir, 'assets'), { recursive: true })
  await writeFile(
    join(dir, 'pages.json'),
    JSON.stringify([
      { route: '/', file: 'index.html', frame: 'deny' },
      { route: '/sign_in', file: 'sign_in.html', frame: 'deny' },
      { route: '/communication_iframe', file: 'communication_iframe.html', frame: 'any' },
      { route: '/relay', file: 'relay.html', frame: 'sameorigin' },
      { route: '/missing', file: 'missing.html', frame: 'deny' },
      { route: '/account', file: 'account.html', frame: 'deny', locales: ['en', 'de', 'ar'] },
    ]),
  )
  for (const locale of ['en', 'de', 'ar']) {
    await mkdir(join(dir, locale))
    await writeFile(join(dir, locale, 'account.html'), `<html lang="${locale}"><title>account</title>`)
  }
  await writeFile(join(dir, 'de', '404.html'), '<html lang="de"><h1>Seite nicht gefunden</h1>')
  for (const f of ['index', 'sign_in', 'communication_iframe', 'relay']) {
    await writeFile(
      join(dir, `${f}.html`),
      `<!DOCTYPE html><title>${f}</title><script src="/assets/app-1a2b3c4d.js"></script>`,
    )
  }
  await writeFile(join(dir, 'assets', 'app-1a2b3c4d.js'), APP_JS)
  await writeFile(join(dir, 'assets', 'app-1a2b3c4d.js.br'), brotliCompressSync(APP_JS))
  await writeFile(join(dir, 'assets', 'app-1a2b3c4d.js.gz'), gzipSync(APP_JS))
  await writeFile(join(dir, 'include.js'), '/* include.js */')
  await writeFile(join(dir, '.secret'), 'dotfile')
}

describe('static', () => {
  let dir: string
  let app: Awaited<ReturnType<typeof buildApp>>

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'persona-static-'))
    await makeDist(dir)
    const cfg = loadStaticConfig({
      STATIC_DIST_DIR: dir,
      STATIC_FRAME_SOURCES: 'https: http://127.0.0.1:9999',
      LOG_LEVEL: 'silent',
    })
    app = await buildApp(cfg, { logger: false })
  })
  after(async () => {
    await app?.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('serves a page with no-cache, a strict CSP and frame-ancestors none', async () => {
    const res = await app.inject({ url: '/sign_in' })
    assert.equal(res.statusCode, 200)
    assert.match(String(res.headers['content-type']), /^text\/html/)
    assert.match(res.body, /<title>sign_in<\/title>/)
    assert.equal(res.headers['cache-control'], 'no-cache')
    const csp = String(res.headers['content-security-policy'])
    assert.match(csp, /default-src 'self'/)
    assert.match(csp, /script-src 'self'(;|$)/)
    assert.doesNotMatch(csp, /unsafe-inline/)
    assert.match(csp, /frame-ancestors 'none'/)
    assert.match(csp, /frame-src 'self' https: http:\/\/127\.0\.0\.1:9999/)
    assert.equal(res.headers['x-frame-options'], 'DENY')
    assert.equal(res.headers['x-content-type-options'], 'nosniff')
  })

  it('lets anyone frame the communication iframe and only us frame the relay', async () => {
    const any = await app.inject({ url: '/communication_iframe' })
    assert.equal(any.statusCode, 200)
    assert.match(String(any.headers['content-security-policy']), /frame-ancestors \*/)
    assert.equal(any.headers['x-frame-options'], undefined)
    const same = await app.inject({ url: '/relay' })
    assert.match(String(same.headers['content-security-policy']), /frame-ancestors 'self'/)
    assert.equal(same.headers['x-frame-options'], 'SAMEORIGIN')
  })

  it('serves the root page from pages.json', async () => {
    const res = await app.inject({ url: '/' })
    assert.equal(res.statusCode, 200)
    assert.match(res.body, /<title>index<\/title>/)
  })

  it('caches hashed assets forever and serves the brotli or gzip sibling when accepted', async () => {
    const plain = await app.inject({ url: '/assets/app-1a2b3c4d.js' })
    assert.equal(plain.statusCode, 200)
    assert.equal(plain.body, APP_JS)
    assert.equal(plain.headers['cache-control'], 'public, max-age=31536000, immutable')
    assert.match(String(plain.headers['content-type']), /javascript/)
    const br = await app.inject({
      url: '/assets/app-1a2b3c4d.js',
      headers: { 'accept-encoding': 'br, gzip' },
    })
    assert.equal(br.headers['content-encoding'], 'br')
    assert.match(String(br.headers.vary), /accept-encoding/i)
    assert.equal(brotliDecompressSync(br.rawPayload).toString(), APP_JS)
    const gz = await app.inject({ url: '/assets/app-1a2b3c4d.js', headers: { 'accept-encoding': 'gzip' } })
    assert.equal(gz.headers['content-encoding'], 'gzip')
  })

  it('caches unhashed entry points briefly', async () => {
    const res = await app.inject({ url: '/include.js' })
    assert.equal(res.statusCode, 200)
    assert.equal(res.headers['cache-control'], 'public, max-age=300')
  })

  it('answers unknown paths, raw HTML files, pages.json and path tricks with the HTML 404 page', async () => {
    for (const url of [
      '/nope',
      '/sign_in.html',
      '/pages.json',
      '/.secret',
      '/assets/../pages.json',
      '/assets/%2e%2e/pages.json',
      '/missing',
      '/assets/',
    ]) {
      const res = await app.inject({ url })
      assert.equal(res.statusCode, 404, url)
      assert.match(String(res.headers['content-type']), /^text\/html/, url)
      assert.match(res.body, /Page not found/, url)
      assert.match(String(res.headers['content-security-policy']), /frame-ancestors 'none'/, url)
    }
  })

  it('serves a localized page in the language Accept-Language asks for, English otherwise', async () => {
    const cases: [string | undefined, string][] = [
      ['de-AT,de;q=0.9,en;q=0.5', 'de'],
      ['ar-EG', 'ar'],
      ['nl', 'en'],
      [undefined, 'en'],
    ]
    for (const [lang, want] of cases) {
      const res = await app.inject({ url: '/account', headers: lang ? { 'accept-language': lang } : {} })
      assert.equal(res.statusCode, 200)
      assert.match(res.body, new RegExp(`lang="${want}"`), String(lang))
      assert.equal(res.headers['content-language'], want)
      assert.match(String(res.headers.vary), /accept-language/i)
      assert.match(String(res.headers['content-security-policy']), /frame-ancestors 'none'/)
    }
    // Each locale's copy is reachable only through its route.
    assert.equal((await app.inject({ url: '/de/account.html' })).statusCode, 404)
  })

  it('answers a 404 in the negotiated language where one was built', async () => {
    const de = await app.inject({ url: '/nope', headers: { 'accept-language': 'de' } })
    assert.equal(de.statusCode, 404)
    assert.match(de.body, /Seite nicht gefunden/)
    const ja = await app.inject({ url: '/nope', headers: { 'accept-language': 'ja' } })
    assert.match(ja.body, /Page not found/)
  })

  it('answers a malformed escape with a 4xx, never a 500', async () => {
    const res = await app.inject({ url: '/%E0%A4%A' })
    assert.ok(res.statusCode >= 400 && res.statusCode < 500)
  })

  it('answers heartbeats, deep included', async () => {
    const res = await app.inject({ url: '/__heartbeat__?deep=1' })
    assert.equal(res.statusCode, 200)
    assert.equal(res.json().checks.dist.ok, true)
  })
})

describe('static helpers', () => {
  it('rejects dot segments, NUL and empty segments in paths', () => {
    assert.equal(relativePathOf('/assets/a.js?x=1'), 'assets/a.js')
    assert.equal(relativePathOf('/a/../b'), undefined)
    assert.equal(relativePathOf('/a%00b'), undefined)
    assert.equal(relativePathOf('//etc/passwd'), undefined)
    assert.equal(relativePathOf('/a%5cb'), undefined)
  })

  it('validates pages.json entries', () => {
    assert.deepEqual(parsePages([{ route: '/x', file: 'x.html' }]), [
      { route: '/x', file: 'x.html', frame: 'deny', locales: [] },
    ])
    assert.throws(() => parsePages([{ route: '/x', file: 'x.html', locales: ['../etc'] }]), /locales/)
    assert.throws(() => parsePages({}), /array/)
    assert.throws(() => parsePages([{ route: 'x', file: 'x.html' }]), /bad route/)
    assert.throws(() => parsePages([{ route: '/x', file: '../x.html' }]), /bad file/)
    assert.throws(() => parsePages([{ route: '/x', file: 'x.html', frame: 'maybe' }]), /frame/)
    assert.throws(
      () =>
        parsePages([
          { route: '/x', file: 'x.html' },
          { route: '/x', file: 'y.html' },
        ]),
      /duplicate/,
    )
  })

  it('builds the frame-src list from config', () => {
    assert.match(pageCsp('deny', []), /frame-src 'self';/)
    assert.throws(
      () => loadStaticConfig({ STATIC_FRAME_SOURCES: "https:; script-src 'unsafe-inline'" }),
      /STATIC_FRAME_SOURCES/,
    )
  })

  it('a dist without a build still starts and answers 404 with a failing deep heartbeat', async (t) => {
    const empty = await mkdtemp(join(tmpdir(), 'persona-static-empty-'))
    const app = await buildApp(loadStaticConfig({ STATIC_DIST_DIR: empty }), { logger: false })
    t.after(async () => {
      await app.close()
      await rm(empty, { recursive: true, force: true })
    })
    assert.equal((await app.inject({ url: '/sign_in' })).statusCode, 404)
    const deep = await app.inject({ url: '/__heartbeat__?deep=1' })
    assert.equal(deep.statusCode, 503)
  })
})
