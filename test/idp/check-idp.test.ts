// SPDX-License-Identifier: MPL-2.0
// make check-idp: the CLI against Persona's real proxy (SHIMMED_PRIMARIES points the domains at local
// IdPs), exit status and the explanation it prints, in English or in the terminal's language.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { promisify } from 'node:util'
import { generateKeyPair } from '@persona/browserid'
import { buildApp as buildProxy } from '@persona/proxy/app'
import { proxyConfig } from '@persona/proxy/config'

const run = promisify(execFile)
const SCRIPT = join(import.meta.dirname, '..', '..', 'scripts', 'check-idp.ts')
const servers: Server[] = []
let proxy: Awaited<ReturnType<typeof buildProxy>> | undefined
let proxyUrl = ''

async function idp(doc: unknown): Promise<string> {
  const server = createServer((req, res) => {
    if (req.url !== '/.well-known/browserid') return void res.writeHead(404).end()
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(doc))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  servers.push(server)
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

async function check(domain: string, lang = 'C.UTF-8'): Promise<{ code: number; out: string }> {
  const env = { ...process.env, PROXY_URL: proxyUrl, LANG: lang, LC_ALL: '', LC_MESSAGES: '' }
  try {
    const r = await run(process.execPath, [SCRIPT, domain], { env })
    return { code: 0, out: r.stdout }
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string }
    return { code: err.code ?? -1, out: `${err.stdout ?? ''}${err.stderr ?? ''}` }
  }
}

describe('make check-idp', () => {
  before(async () => {
    const { publicKey } = await generateKeyPair('RS256')
    const shims = [
      `good.test=${await idp({ 'public-key': publicKey.toJSON(), authentication: '/sign_in', provisioning: '/provision' })}`,
      `broken.test=${await idp({ 'public-key': publicKey.toJSON(), authentication: '/sign_in' })}`,
      `delegating.test=${await idp({ authority: 'good.test' })}`,
      `loop-a.test=${await idp({ authority: 'loop-b.test' })}`,
      `loop-b.test=${await idp({ authority: 'loop-a.test' })}`,
    ].join(',')
    proxy = await buildProxy(proxyConfig({ SHIMMED_PRIMARIES: shims, PROXY_PORT: '0' }), { logger: false })
    await proxy.listen({ host: '127.0.0.1', port: 0 })
    proxyUrl = `http://127.0.0.1:${(proxy.server.address() as AddressInfo).port}`
  })
  after(async () => {
    await proxy?.close()
    for (const s of servers) s.close()
  })

  it('a working IdP: exit 0, its key and pages', async () => {
    const r = await check('good.test')
    assert.equal(r.code, 0, r.out)
    assert.match(r.out, /^good\.test: primary/)
    assert.match(r.out, /^good\.test is a BrowserID identity provider\.$/m)
    assert.match(r.out, /✓ Its public key: RS256, 2,048 bits\./)
    assert.match(
      r.out,
      /✓ Sign-in page: https:\/\/good\.test\/sign_in · Provisioning page: https:\/\/good\.test\/provision/,
    )
  })

  it('a delegating domain: the chain is shown', async () => {
    const r = await check('delegating.test')
    assert.equal(r.code, 0, r.out)
    assert.match(r.out, /delegating\.test: primary \(delegating\.test → good\.test\)/)
  })

  it('a broken document: exit 1 and what is missing', async () => {
    const r = await check('broken.test')
    assert.equal(r.code, 1, r.out)
    assert.match(
      r.out,
      /✗ The support document of broken\.test cannot be used: it has no "provisioning" field\. Add the path of your provisioning page, for example \/provision\./,
    )
    // The parser's own words, for whoever wants the exact cause.
    assert.match(r.out, /Technical detail: support document missing required 'provisioning'/)
  })

  it('a delegation loop: exit 1 and the loop', async () => {
    const r = await check('loop-a.test')
    assert.equal(r.code, 1, r.out)
    assert.match(r.out, /✗ The delegation goes round in a loop: loop-a\.test → loop-b\.test → loop-a\.test\./)
  })

  it("in the terminal's language", async () => {
    const r = await check('broken.test', 'de_DE.UTF-8')
    assert.equal(r.code, 1, r.out)
    assert.match(r.out, /^broken\.test: broken$/m)
    assert.match(
      r.out,
      /✗ Das Unterstützungsdokument von broken\.test ist nicht verwendbar: Das Feld "provisioning" fehlt\./,
    )
  })

  it('no proxy: a clear message, exit 2', async () => {
    const saved = proxyUrl
    proxyUrl = 'http://127.0.0.1:9'
    const r = await check('good.test')
    proxyUrl = saved
    assert.equal(r.code, 2)
    assert.match(r.out, /does not answer/)
  })
})
