// SPDX-License-Identifier: MPL-2.0
// The proxy against real local listeners: shimmed IdPs, every refusal (private and loopback addresses
// after DNS, redirects off the domain, oversize and slow answers), TLS to a pinned, checked address.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createTlsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { ConfigError } from '@persona/kit'
import { selfSignedCert } from '../../../test/fixtures/tls/self-signed.ts'
import { checkAddress } from '../src/address-policy.ts'
import { buildApp } from '../src/app.ts'
import { type ProxyConfig, proxyConfig } from '../src/config.ts'
import { normalizeDomain } from '../src/domain.ts'
import { logSink } from './log-sink.ts'

const DOC = {
  'public-key': { algorithm: 'RS', n: '123', e: '65537' },
  authentication: '/auth',
  provisioning: '/prov',
}

function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Server> {
  const server = createServer(handler)
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}
const origin = (s: Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`

function config(env: Record<string, string>): ProxyConfig {
  return proxyConfig({ PROXY_TIMEOUT_MS: '1500', ...env })
}

describe('shimmed primaries (development)', () => {
  let idp: Server
  let other: Server
  before(async () => {
    other = await listen((_req, res) => res.end('{}'))
    idp = await listen((req, res) => {
      const path = req.url ?? ''
      if (path === '/.well-known/browserid') {
        res.setHeader('content-type', 'application/json')
        res.setHeader('cache-control', 'max-age=300')
        res.end(JSON.stringify(DOC))
      } else res.writeHead(404).end()
    })
  })
  after(() => {
    idp.close()
    other.close()
  })

  test('serves the shimmed document with its origin and cache header', async (t) => {
    const app = await buildApp(config({ SHIMMED_PRIMARIES: `idp.test=${origin(idp)}` }), { logger: false })
    t.after(() => app.close())
    const res = await app.inject({ url: '/wellknown?domain=IDP.test' })
    assert.equal(res.statusCode, 200)
    assert.deepEqual(res.json(), DOC)
    assert.equal(res.headers['x-idp-origin'], origin(idp))
    assert.equal(res.headers['cache-control'], 'max-age=300')
  })

  test('a 404 means the domain has no support document', async (t) => {
    const empty = await listen((_req, res) => res.writeHead(404).end('nope'))
    t.after(() => empty.close())
    const app = await buildApp(config({ SHIMMED_PRIMARIES: `none.test=${origin(empty)}` }), { logger: false })
    t.after(() => app.close())
    const res = await app.inject({ url: '/wellknown?domain=none.test' })
    assert.equal(res.statusCode, 404)
    assert.match(res.json().reason, /no support document/)
  })

  test('broken, oversize, slow and redirecting answers are refused or failed, never 500', async (t) => {
    const servers = {
      notjson: await listen((_q, r) => r.end('<html>')),
      array: await listen((_q, r) => r.end('[1,2]')),
      huge: await listen((_q, r) => r.end(JSON.stringify({ pad: 'x'.repeat(200_000) }))),
      slow: await listen(() => undefined),
      away: await listen((_q, r) =>
        r.writeHead(302, { location: `${origin(other)}/.well-known/browserid` }).end(),
      ),
      loop: await listen((_q, r) => r.writeHead(302, { location: '/.well-known/browserid' }).end()),
      err: await listen((_q, r) => r.writeHead(500).end('oops')),
    }
    t.after(() => {
      for (const s of Object.values(servers)) s.close()
    })
    const shims = Object.entries(servers)
      .map(([k, s]) => `${k}.test=${origin(s)}`)
      .join(',')
    const { lines, logger } = logSink()
    const app = await buildApp(config({ SHIMMED_PRIMARIES: shims, PROXY_TIMEOUT_MS: '500' }), { logger })
    t.after(() => app.close())
    const expect: Record<string, [number, RegExp]> = {
      notjson: [502, /not valid JSON/],
      array: [502, /not a JSON object/],
      huge: [502, /too large|larger than/],
      slow: [502, /^could not reach slow\.test$/],
      away: [502, /redirect off the domain/],
      loop: [502, /too many redirects/],
      err: [502, /HTTP 500/],
    }
    for (const [name, [status, reason]] of Object.entries(expect)) {
      const res = await app.inject({ url: `/wellknown?domain=${name}.test` })
      assert.equal(res.statusCode, status, `${name}: ${res.body}`)
      assert.match(res.json().reason, reason, name)
    }
    const invalid = lines.filter((l) => l.event === 'proxy.invalid')
    assert.ok(invalid.some((l) => l.domain === 'away.test' && /redirect/.test(String(l.reason))))
    assert.ok(
      lines.some((l) => l.event === 'proxy.unreachable' && l.domain === 'slow.test' && l.cause === 'timeout'),
    )
  })
})

describe('destination policy', () => {
  test('address ranges: only public unicast passes', () => {
    for (const a of ['8.8.8.8', '2001:4860::8888', '93.184.216.34'])
      assert.equal(checkAddress(a).allowed, true, a)
    for (const a of [
      '127.0.0.1',
      '10.0.0.5',
      '172.16.3.4',
      '192.168.1.1',
      '169.254.169.254',
      '224.0.0.1',
      '0.0.0.0',
      '100.64.0.1',
      '198.18.0.1',
      '240.0.0.1',
      '255.255.255.255',
      '::1',
      'fe80::1',
      'fc00::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      'ff02::1',
    ]) {
      assert.equal(checkAddress(a).allowed, false, a)
    }
  })

  test('domain names: labels only', () => {
    assert.equal(normalizeDomain('IdP.Example.com'), 'idp.example.com')
    for (const d of [
      '',
      'http://a.com',
      'a.com:443',
      'a.com/x',
      '1.2.3.4',
      'a..com',
      '-a.com',
      'a.com.',
      'a b.com',
      // The URL parser reads these as IPv4 addresses (127.0.0.1, 10.0.0.1): not domains.
      '0x7f.0x1',
      '0x7f000001',
      '0xa.0.0.0x1',
      'foo.0x1',
    ]) {
      assert.equal(normalizeDomain(d), null, d)
    }
  })

  test('a name that resolves to loopback is refused after real DNS resolution, and logged', async (t) => {
    const { lines, logger } = logSink()
    const app = await buildApp(config({}), { logger })
    t.after(() => app.close())
    const res = await app.inject({ url: '/wellknown?domain=localhost' })
    assert.equal(res.statusCode, 502)
    assert.deepEqual(res.json(), {
      success: false,
      code: 'ERR_BAD_GATEWAY',
      reason: 'could not reach localhost',
    })
    assert.ok(
      lines.some(
        (l) => l.event === 'proxy.refused' && l.domain === 'localhost' && /loopback/.test(String(l.detail)),
      ),
    )
  })

  test('a shimmed name without its shim is refused (it resolves to a private address)', async (t) => {
    const { lines, logger } = logSink()
    const app = await buildApp(config({}), {
      logger,
      fetcher: { resolve: async () => [{ address: '127.0.0.1', family: 4 }] },
    })
    t.after(() => app.close())
    const res = await app.inject({ url: '/wellknown?domain=idp.test' })
    assert.equal(res.statusCode, 502)
    assert.equal(res.json().reason, 'could not reach idp.test')
    const refused = lines.find((l) => l.event === 'proxy.refused')
    assert.match(String(refused?.detail), /idp\.test resolves to 127\.0\.0\.1 is a loopback address/)
  })

  test('private, metadata and mixed answers are refused', async (t) => {
    const answers: Record<string, { address: string; family: number }[]> = {
      'private.test': [{ address: '10.1.2.3', family: 4 }],
      'metadata.test': [{ address: '169.254.169.254', family: 4 }],
      'mixed.test': [
        { address: '93.184.216.34', family: 4 },
        { address: '192.168.0.1', family: 4 },
      ],
      'mapped.test': [{ address: '::ffff:127.0.0.1', family: 6 }],
    }
    const app = await buildApp(config({}), {
      logger: false,
      fetcher: { resolve: async (h) => answers[h] ?? [] },
    })
    t.after(() => app.close())
    for (const domain of Object.keys(answers)) {
      const res = await app.inject({ url: `/wellknown?domain=${domain}` })
      assert.equal(res.statusCode, 502, domain)
      assert.deepEqual(
        res.json(),
        { success: false, code: 'ERR_BAD_GATEWAY', reason: `could not reach ${domain}` },
        domain,
      )
    }
    const bad = await app.inject({ url: '/wellknown?domain=http://evil' })
    assert.equal(bad.statusCode, 400)
    const missing = await app.inject({ url: '/wellknown' })
    assert.equal(missing.statusCode, 400)
  })

  test('https to the checked address: one resolution per fetch, TLS verified for the domain name', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'proxy-tls-'))
    t.after(() => rmSync(dir, { recursive: true, force: true }))
    const { certFile, keyFile } = selfSignedCert(dir, 'good.test')
    const cert = readFileSync(certFile, 'utf8')
    const tls = createTlsServer({ key: readFileSync(keyFile), cert }, (_req, res) => {
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify(DOC))
    })
    // Every guarded connection goes to this listener's port (443 in production); 127.0.0.2 keeps it apart.
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.2', resolve))
    t.after(() => tls.close())
    const resolved: string[] = []
    const app = await buildApp(config({}), {
      logger: false,
      fetcher: {
        ca: cert,
        connectPort: (tls.address() as AddressInfo).port,
        // First answer is checked and allowed; a rebinding second answer would point elsewhere.
        resolve: async (h) => {
          resolved.push(h)
          return [{ address: resolved.length === 1 ? '127.0.0.2' : '127.0.0.1', family: 4 }]
        },
        checkAddress: (a) =>
          a === '127.0.0.2' ? { allowed: true } : { allowed: false, reason: `${a} forbidden` },
      },
    })
    t.after(() => app.close())
    const res = await app.inject({ url: '/wellknown?domain=good.test' })
    assert.equal(res.statusCode, 200, res.body)
    assert.deepEqual(res.json(), DOC)
    assert.equal(res.headers['x-idp-origin'], 'https://good.test')
    assert.deepEqual(resolved, ['good.test'])
  })
})

describe('configuration', () => {
  test('the process refuses to start with one clear line', () => {
    const server = new URL('../src/server.ts', import.meta.url).pathname
    const run = spawnSync(process.execPath, [server], {
      env: { ...process.env, NODE_ENV: 'production', SHIMMED_PRIMARIES: 'idp.test=http://127.0.0.1:9' },
      encoding: 'utf8',
      timeout: 10_000,
    })
    assert.equal(run.status, 1)
    assert.equal(
      run.stderr.trim(),
      'invalid configuration: SHIMMED_PRIMARIES is not allowed when NODE_ENV=production',
    )
  })

  test('SHIMMED_PRIMARIES is refused in production and must be well formed', () => {
    assert.throws(
      () => proxyConfig({ NODE_ENV: 'production', SHIMMED_PRIMARIES: 'idp.test=http://127.0.0.1:9' }),
      (e: unknown) => e instanceof ConfigError && /not allowed when NODE_ENV=production/.test(e.message),
    )
    assert.throws(() => proxyConfig({ SHIMMED_PRIMARIES: 'idp.test' }), ConfigError)
    assert.throws(() => proxyConfig({ SHIMMED_PRIMARIES: 'idp.test=ftp://x' }), ConfigError)
    assert.equal(
      proxyConfig({ SHIMMED_PRIMARIES: 'a.test=http://127.0.0.1:1, b.test=http://127.0.0.1:2/' }).shims.size,
      2,
    )
    assert.equal(proxyConfig({ NODE_ENV: 'production' }).shims.size, 0)
  })
})
