// SPDX-License-Identifier: MPL-2.0
// Builds the front end into a temporary folder and checks the contract with the static service:
// pages.json lists every page with its frame policy, pages hold no inline script or style (strict
// CSP), hashed assets exist, and the public entry points sit unhashed at the root with .br/.gz.
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'

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
    const pages: { file: string }[] = JSON.parse(await readFile(join(dist, 'pages.json'), 'utf8'))
    for (const p of pages) {
      const html = await readFile(join(dist, p.file), 'utf8')
      assert.doesNotMatch(html, /<script(?![^>]*\ssrc=)[^>]*>/, `${p.file} has an inline script`)
      assert.doesNotMatch(html, /<style|\sstyle=|\son[a-z]+=/i, `${p.file} has inline style or handler`)
      assert.doesNotMatch(html, /https?:\/\//, `${p.file} names another origin`)
      const refs = [...html.matchAll(/(?:src|href)="\/assets\/([^"]+)"/g)].map((m) => m[1] ?? '')
      assert.ok(refs.length > 0)
      for (const ref of refs) {
        assert.match(ref, /-[A-Z0-9]{8}\.(js|css)$/)
        assert.ok(existsSync(join(dist, 'assets', ref)), `${ref} missing`)
      }
    }
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
