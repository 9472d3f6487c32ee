// SPDX-License-Identifier: MPL-2.0
// Builds the front end into a temporary folder and checks the contract with the static service:
// pages.json lists every page with its frame policy, pages hold no inline script or style (strict
// CSP), hashed assets exist, and the public entry points sit unhashed at the root with .br/.gz. Every
// page exists in every locale with its lang and dir, and names each locale's hashed messages.
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { ALL_LOCALES, dirOf } from '@persona/l10n'

let dist = ''

describe('web build', () => {
  before(async () => {
    dist = await mkdtemp(join(tmpdir(), 'persona-web-'))
    process.env.WEB_DIST_DIR = dist
    const { build } = await import('../build.ts')
    await build()
  })
  after(async () => {
    await rm(dist, { recursive: true, force: true })
  })

  it('lists every page with a frame policy, iframe pages frameable by any site', async () => {
    const pages: { route: string; file: string; frame: string }[] = JSON.parse(
      await readFile(join(dist, 'pages.json'), 'utf8'),
    )
    const byRoute = new Map(pages.map((p) => [p.route, p]))
    for (const r of [
      '/',
      '/sign_in',
      '/communication_iframe',
      '/verify_email_address',
      '/confirm',
      '/reset_password',
    ]) {
      assert.ok(byRoute.has(r), `missing ${r}`)
    }
    assert.equal(byRoute.get('/communication_iframe')?.frame, 'any')
    assert.equal(byRoute.get('/sign_in')?.frame, 'deny')
    assert.equal(byRoute.get('/')?.frame, 'deny')
    for (const p of pages) assert.ok(existsSync(join(dist, p.file)), `no file for ${p.route}`)
  })

  it('writes pages without inline scripts or styles, referencing existing hashed assets', async () => {
    const pages: { file: string; locales: string[] }[] = JSON.parse(
      await readFile(join(dist, 'pages.json'), 'utf8'),
    )
    for (const p of pages) {
      assert.deepEqual(p.locales, ALL_LOCALES)
      for (const file of [p.file, ...p.locales.map((l) => `${l}/${p.file}`)]) {
        const html = await readFile(join(dist, file), 'utf8')
        // A JSON data block (the page's locale and message files) is never run, so the CSP allows it.
        const scripts = html.replace(/<script type="application\/json" id="persona-l10n">[^<]*<\/script>/, '')
        assert.doesNotMatch(scripts, /<script(?![^>]*\ssrc=)[^>]*>/, `${file} has an inline script`)
        assert.doesNotMatch(html, /<style|\sstyle=|\son[a-z]+=/i, `${file} has inline style or handler`)
        assert.doesNotMatch(html, /https?:\/\//, `${file} names another origin`)
        const refs = [...html.matchAll(/(?:src|href)="\/assets\/([^"]+)"/g)].map((m) => m[1] ?? '')
        assert.ok(refs.length > 0)
        for (const ref of refs) {
          assert.match(ref, /-[A-Z0-9]{8}\.(js|css)$|^l10n\/[a-z]+\.[A-Za-z-]+-[0-9a-f]{10}\.ftl$/)
          assert.ok(existsSync(join(dist, 'assets', ref)), `${ref} missing`)
        }
      }
    }
  })

  it('writes each page in every locale with lang, dir and its shell text in that language', async () => {
    for (const locale of ALL_LOCALES) {
      const html = await readFile(join(dist, locale, 'sign_in.html'), 'utf8')
      assert.match(html, new RegExp(`<html lang="${locale}" dir="${dirOf(locale)}">`))
      const data = /<script type="application\/json" id="persona-l10n">([^<]*)<\/script>/.exec(html)?.[1]
      const l10n = JSON.parse(data ?? '{}')
      assert.equal(l10n.locale, locale)
      assert.deepEqual(Object.keys(l10n.assets).sort(), [...ALL_LOCALES].sort())
      for (const url of Object.values<string>(l10n.assets)) assert.ok(existsSync(join(dist, url)), url)
    }
    const ar = await readFile(join(dist, 'ar', 'sign_in.html'), 'utf8')
    assert.match(ar, /<footer>Persona · عنوان بريدك الإلكتروني هو هويتك<\/footer>/)
    const de404 = await readFile(join(dist, 'de', '404.html'), 'utf8')
    assert.match(de404, /Seite nicht gefunden/)
    // The communication iframe shows no text, so it loads no messages.
    const comm = await readFile(join(dist, 'de', 'communication_iframe.html'), 'utf8')
    assert.doesNotMatch(comm, /persona-l10n/)
  })

  it('uses logical CSS properties only, so right-to-left pages mirror', async () => {
    const css = await readFile(join(import.meta.dirname, '..', 'src', 'styles.css'), 'utf8')
    const physical = css
      .split('\n')
      .filter((l) =>
        /^\s*(margin|padding|border)-(left|right|top|bottom)\b|^\s*(left|right|float|width|height|min-width|max-width):/.test(
          l,
        ),
      )
    assert.deepEqual(physical, [])
  })

  it('puts the public scripts at the root, minified, with precompressed siblings', async () => {
    for (const f of ['include.js', 'provisioning_api.js', 'authentication_api.js']) {
      assert.ok(existsSync(join(dist, f)), f)
    }
    const include = await readFile(join(dist, 'include.js'), 'utf8')
    assert.ok(include.split('\n').length < 5, 'include.js is minified')
    assert.ok(existsSync(join(dist, 'include.js.br')) && existsSync(join(dist, 'include.js.gz')))
    assert.match(include, /communication_iframe/)
  })
})
