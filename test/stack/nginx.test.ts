// SPDX-License-Identifier: MPL-2.0
// nginx/render.ts against the real nginx: `nginx -t` on the local and production configs (TLS with a
// self-signed certificate made here), the flow table as the only source of upstreams, and traffic
// through nginx to two stand-in upstreams: routing, forwarded headers, request ids, size and rate
// limits, JSON errors, the JSON access log, HSTS and the verifier host name.
import assert from 'node:assert/strict'
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, request as httpRequest, type Server } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { AddressInfo } from 'node:net'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it, type TestContext } from 'node:test'
import { freePort, SERVICE_SPECS, upstreamsOf } from '@persona/kit'
import {
  NGINX_UPSTREAMS,
  type NginxOptions,
  nginxUpstreams,
  renderNginxConfig,
  verifyLimit,
  verifyMaxConnsFor,
} from '../../nginx/render.ts'
import { HAVE_OPENSSL, selfSignedCert } from '../fixtures/tls/self-signed.ts'

const NGINX = '/usr/sbin/nginx'
const haveNginx = existsSync(NGINX)

interface Seen {
  name: string
  method: string
  url: string
  headers: Record<string, string | string[] | undefined>
}

/** Every request the stand-in upstreams received, as `name url`. */
const upstreamSeen: string[] = []

function echo(name: string): Promise<Server> {
  const s = createServer((req, res) => {
    upstreamSeen.push(`${name} ${req.url ?? ''}`)
    req.resume()
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(
        JSON.stringify({
          name,
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
        } satisfies Seen),
      )
    })
  })
  return new Promise((r) => s.listen(0, '127.0.0.1', () => r(s)))
}
const portOf = (s: Server) => (s.address() as AddressInfo).port

function baseOpts(dir: string, port: number, upstreams: Record<string, string>): NginxOptions {
  return {
    mode: 'local',
    listen: { address: '127.0.0.1', port },
    upstreams,
    verifierServerName: 'verifier.localhost',
    accessLog: join(dir, 'access.log'),
    errorLog: join(dir, 'error.log'),
    runDir: dir,
  }
}

function nginxTest(conf: string, dir: string): void {
  const file = join(dir, `test-${Math.random().toString(36).slice(2)}.conf`)
  writeFileSync(file, conf)
  execFileSync(NGINX, ['-t', '-q', '-c', file, '-p', dir, '-e', 'stderr'], { stdio: 'pipe' })
}

/** GET with a chosen Host header (fetch does not allow setting it). */
function httpGetHost(port: number, host: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      let body = ''
      res.on('data', (c: Buffer) => {
        body += c.toString()
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

/** Starts nginx in the foreground on a rendered config; resolves once it answers. */
async function startNginx(conf: string, dir: string, port: number, tls = false): Promise<ChildProcess> {
  const file = join(dir, 'nginx.conf')
  writeFileSync(file, conf)
  const child = spawn(NGINX, ['-c', file, '-p', dir, '-e', 'stderr'], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString()
  })
  const deadline = Date.now() + 10_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr}`)
    try {
      if (tls) await httpsGet(port, 'persona.test', '/__lbheartbeat__')
      else await fetch(`http://127.0.0.1:${port}/__nginx_probe__`)
      return child
    } catch {
      if (Date.now() > deadline) throw new Error(`nginx did not start: ${stderr}`)
      await new Promise((r) => setTimeout(r, 50))
    }
  }
}

async function stopNginx(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null) return
  const done = new Promise((r) => child.once('exit', r))
  child.kill('SIGQUIT')
  await done
}

function httpsGet(
  port: number,
  servername: string,
  path: string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      { host: '127.0.0.1', port, path, servername, headers: { host: servername }, rejectUnauthorized: false },
      (res) => {
        let body = ''
        res.on('data', (c: Buffer) => {
          body += c.toString()
        })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
      },
    )
    req.on('error', reject)
    req.end()
  })
}

describe('nginx config: rendering', () => {
  const opts = baseOpts('/tmp/persona-nginx-x', 8080, nginxUpstreams())

  it('derives its upstreams from the flow table: router and verifier, nothing else', () => {
    assert.deepEqual([...NGINX_UPSTREAMS].sort(), ['router', 'verifier'])
    assert.deepEqual([...NGINX_UPSTREAMS].sort(), upstreamsOf('nginx').sort())
    assert.deepEqual(nginxUpstreams(), { router: '127.0.0.1:10002', verifier: '127.0.0.1:10007' })
    assert.deepEqual(
      nginxUpstreams((s) => s),
      { router: 'router:10002', verifier: 'verifier:10007' },
    )
    const conf = renderNginxConfig(opts)
    const servers = [...conf.matchAll(/^\s*server (\S+?)(?: max_conns=\d+)?;/gm)].map((m) => m[1])
    assert.deepEqual(servers, ['127.0.0.1:10002', '127.0.0.1:10007'])
    const passes = new Set([...conf.matchAll(/proxy_pass (\S+);/g)].map((m) => m[1]))
    assert.deepEqual([...passes].sort(), ['http://persona_router', 'http://persona_verifier'])
    for (const svc of ['reader', 'writer', 'certifier', 'proxy', 'static'] as const) {
      assert.ok(!conf.includes(String(SERVICE_SPECS[svc].port)), `${svc} port must not appear`)
    }
  })

  it('refuses upstreams other than the flow table allows, and unsafe values', () => {
    assert.throws(
      () => renderNginxConfig({ ...opts, upstreams: { ...nginxUpstreams(), writer: '127.0.0.1:10005' } }),
      /exactly/,
    )
    assert.throws(() => renderNginxConfig({ ...opts, upstreams: { router: '127.0.0.1:10002' } }), /exactly/)
    assert.throws(
      () => renderNginxConfig({ ...opts, serverNames: ['a; include /etc/passwd'] }),
      /unsafe server name/,
    )
    assert.throws(
      () => renderNginxConfig({ ...opts, upstreams: { router: 'x;y', verifier: 'v:1' } }),
      /unsafe/,
    )
  })

  it('production needs TLS, site names and a distinct verifier host', () => {
    const prod = {
      ...opts,
      mode: 'production' as const,
      serverNames: ['persona.test'],
      verifierServerName: 'verifier.persona.test',
    }
    assert.throws(() => renderNginxConfig(prod), /tls/)
    const tls = { certFile: '/c.pem', keyFile: '/k.pem' }
    assert.throws(() => renderNginxConfig({ ...prod, tls, verifierServerName: 'persona.test' }), /distinct/)
    const conf = renderNginxConfig({ ...prod, tls })
    assert.match(conf, /Strict-Transport-Security "max-age=63072000; includeSubDomains" always/)
    assert.match(conf, /default_server;[\s\S]*location = \/__lbheartbeat__[\s\S]*return 421/)
    assert.match(conf, /deny all/)
    assert.doesNotMatch(renderNginxConfig(opts), /Strict-Transport-Security|ssl_certificate/)
  })

  it("/verify's per-address limit: generous in production, off in development, an operator setting", () => {
    const tls = { certFile: '/c.pem', keyFile: '/k.pem' }
    const prod = {
      ...opts,
      mode: 'production' as const,
      serverNames: ['persona.test'],
      verifierServerName: 'verifier.persona.test',
      tls,
    }
    const rate = (conf: string) => Number(/zone=persona_verify:10m rate=(\d+)r\/s/.exec(conf)?.[1] ?? 0)
    assert.ok(rate(renderNginxConfig(prod)) >= 500, 'production default is generous')
    const local = renderNginxConfig(opts)
    assert.doesNotMatch(local, /zone=persona_verify/, 'development: no limit')
    assert.match(local, /zone=persona_wsapi/, 'wsapi keeps its limit')
    const off = renderNginxConfig({ ...prod, rateLimits: { verify: verifyLimit('0') } })
    assert.doesNotMatch(off, /persona_verify/)
    const allowed = renderNginxConfig({
      ...prod,
      rateLimits: { verify: verifyLimit('50') },
      verifyAllow: ['198.51.100.0/24', '2001:db8::/32'],
    })
    assert.equal(rate(allowed), 50)
    assert.match(allowed, /limit_req zone=persona_verify burst=100 nodelay/)
    assert.match(allowed, /geo \$persona_verify_exempt \{[^}]*198\.51\.100\.0\/24 1;[^}]*2001:db8::\/32 1;/)
    assert.match(allowed, /limit_req_zone \$persona_verify_key zone=persona_verify/)
    assert.throws(() => renderNginxConfig({ ...prod, verifyAllow: ['1.2.3.4; deny all'] }), /unsafe/)
    assert.deepEqual(verifyLimit(' 25 '), { rate: 25, burst: 50 })
    for (const bad of ['', '-1', '2.5', 'lots', '10000000'])
      assert.throws(() => verifyLimit(bad), /NGINX_VERIFY_RATE/, bad)
  })
})

describe('nginx config: the real nginx', { skip: haveNginx ? false : `${NGINX} not installed` }, () => {
  let dir: string
  let router: Server
  let verifier: Server
  let port: number
  let nginx: ChildProcess | undefined

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'persona-nginx-'))
    router = await echo('router')
    verifier = await echo('verifier')
    port = await freePort()
    const ups = { router: `127.0.0.1:${portOf(router)}`, verifier: `127.0.0.1:${portOf(verifier)}` }
    nginx = await startNginx(renderNginxConfig(baseOpts(dir, port, ups)), dir, port)
  })
  after(async () => {
    await stopNginx(nginx)
    for (const s of [router, verifier]) {
      s?.closeAllConnections()
      await new Promise((r) => s?.close(r))
    }
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('nginx -t accepts the local config', () => {
    nginxTest(renderNginxConfig(baseOpts(dir, 8080, nginxUpstreams())), dir)
  })

  it('nginx -t accepts the production config with a self-signed certificate', {
    skip: !HAVE_OPENSSL && 'no openssl',
  }, () => {
    const { certFile: cert, keyFile: key } = selfSignedCert(dir, 'persona.test')
    nginxTest(
      renderNginxConfig({
        ...baseOpts(
          dir,
          8443,
          nginxUpstreams((s) => s),
        ),
        mode: 'production',
        serverNames: ['persona.test'],
        verifierServerName: 'verifier.persona.test',
        tls: { certFile: cert, keyFile: key },
        httpRedirectPort: 8081,
        trustedProxies: ['10.0.0.0/8'],
      }).replace(/server (router|verifier):/g, 'server 127.0.0.1:'),
      dir,
    )
  })

  it('sends pages and /wsapi to router with the client address and a request id', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/wsapi/session_context?x=1`, {
      headers: { 'x-forwarded-for': '6.6.6.6', 'x-request-id': 'client-chosen-id-1' },
    })
    assert.equal(res.status, 200)
    const seen = (await res.json()) as Seen
    assert.equal(seen.name, 'router')
    assert.equal(seen.url, '/wsapi/session_context?x=1')
    assert.equal(seen.headers['x-forwarded-for'], '127.0.0.1', 'a client cannot claim an address')
    assert.equal(seen.headers['x-request-id'], 'client-chosen-id-1')
    assert.equal(seen.headers['x-forwarded-proto'], 'http')
    const page = (await (await fetch(`http://127.0.0.1:${port}/sign_in`)).json()) as Seen
    assert.equal(page.name, 'router')
    assert.match(String(page.headers['x-request-id']), /^[0-9a-f]{32}$/, 'nginx makes an id when none comes')
    const unsafe = (await (
      await fetch(`http://127.0.0.1:${port}/`, { headers: { 'x-request-id': 'bad id"' } })
    ).json()) as Seen
    assert.match(String(unsafe.headers['x-request-id']), /^[0-9a-f]{32}$/)
  })

  it('sends /verify and the verifier host name to the verifier only', async () => {
    const v = (await (
      await fetch(`http://127.0.0.1:${port}/verify`, { method: 'POST', body: 'assertion=x&audience=y' })
    ).json()) as Seen
    assert.equal(v.name, 'verifier')
    assert.equal(v.method, 'POST')
    const notVerify = (await (await fetch(`http://127.0.0.1:${port}/verify/x`)).json()) as Seen
    assert.equal(notVerify.name, 'router')
    const byHost = await httpGetHost(port, 'verifier.localhost', '/__heartbeat__')
    assert.equal((JSON.parse(byHost.body) as Seen).name, 'verifier')
  })

  it('never forwards metrics, on any host name (the scraper reads each process directly)', async () => {
    for (const host of ['127.0.0.1', 'verifier.localhost']) {
      for (const path of ['/metrics', '/__metrics__', '/%6detrics', '//metrics']) {
        const res = await httpGetHost(port, host, path)
        assert.equal(res.status, 404, `${host}${path}`)
        assert.equal((JSON.parse(res.body) as { code: string }).code, 'ERR_NOT_FOUND')
      }
    }
  })

  it('refuses oversized bodies with JSON 413', async () => {
    const big = 'x'.repeat(70 * 1024)
    const res = await fetch(`http://127.0.0.1:${port}/wsapi/stage_user`, { method: 'POST', body: big })
    assert.equal(res.status, 413)
    assert.equal(((await res.json()) as { code: string }).code, 'ERR_PAYLOAD_TOO_LARGE')
    const v = await fetch(`http://127.0.0.1:${port}/verify`, { method: 'POST', body: big })
    assert.equal(v.status, 413)
    assert.deepEqual(await v.json(), { status: 'failure', reason: 'request body too large' })
  })

  it('writes one JSON access-log line per request, without query strings', async () => {
    await fetch(`http://127.0.0.1:${port}/verify_email_address?token=secret-token-123`, {
      headers: { 'x-request-id': 'log-line-test-42' },
    })
    await new Promise((r) => setTimeout(r, 100))
    const lines = readFileSync(join(dir, 'access.log'), 'utf8').trim().split('\n')
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>)
    const mine = entries.find((e) => e.request_id === 'log-line-test-42')
    assert.ok(mine)
    assert.equal(mine.path, '/verify_email_address')
    assert.equal(mine.status, 200)
    assert.ok(!lines.some((l) => l.includes('secret-token-123')))
  })

  it('answers JSON 502 when an upstream is down and JSON 429 past the rate limit', async (t) => {
    const dir2 = mkdtempSync(join(tmpdir(), 'persona-nginx-limits-'))
    const port2 = await freePort()
    const dead = await freePort()
    const conf = renderNginxConfig({
      ...baseOpts(dir2, port2, { router: `127.0.0.1:${dead}`, verifier: `127.0.0.1:${portOf(verifier)}` }),
      rateLimits: { wsapi: { rate: 1, burst: 2 }, verify: { rate: 1, burst: 1 } },
    })
    const n2 = await startNginx(conf, dir2, port2)
    t.after(async () => {
      await stopNginx(n2)
      rmSync(dir2, { recursive: true, force: true })
    })
    const down = await fetch(`http://127.0.0.1:${port2}/sign_in`)
    assert.equal(down.status, 502)
    assert.equal(((await down.json()) as { code: string }).code, 'ERR_BAD_GATEWAY')
    const statuses: number[] = []
    for (let i = 0; i < 6; i++) {
      const r = await fetch(`http://127.0.0.1:${port2}/verify`, { method: 'POST', body: 'a=b' })
      statuses.push(r.status)
      if (r.status === 429)
        assert.deepEqual(await r.json(), { status: 'failure', reason: 'too many requests' })
      else await r.arrayBuffer()
    }
    assert.ok(statuses.includes(200) && statuses.includes(429), `statuses ${statuses.join(',')}`)
    const w = await Promise.all(Array.from({ length: 6 }, () => fetch(`http://127.0.0.1:${port2}/wsapi/x`)))
    const limited = w.filter((r) => r.status === 429)
    const first = limited[0]
    assert.ok(first !== undefined, 'some wsapi calls are rate limited')
    assert.equal(((await first.json()) as { code: string }).code, 'ERR_RATE_LIMITED')
  })

  /** A production nginx (TLS, persona.test and verifier.persona.test) in front of the echo upstreams. */
  async function startProduction(t: TestContext, monitorAllow: string[]): Promise<number> {
    const d = mkdtempSync(join(tmpdir(), 'persona-nginx-tls-'))
    const { certFile: cert, keyFile: key } = selfSignedCert(d, 'persona.test')
    const p = await freePort()
    const conf = renderNginxConfig({
      ...baseOpts(d, p, { router: `127.0.0.1:${portOf(router)}`, verifier: `127.0.0.1:${portOf(verifier)}` }),
      mode: 'production',
      serverNames: ['persona.test'],
      verifierServerName: 'verifier.persona.test',
      tls: { certFile: cert, keyFile: key },
      monitorAllow,
    })
    const n = await startNginx(conf, d, p, true).catch(async (e: unknown) => {
      rmSync(d, { recursive: true, force: true })
      throw e
    })
    t.after(async () => {
      await stopNginx(n)
      rmSync(d, { recursive: true, force: true })
    })
    return p
  }

  it('production: TLS, HSTS, the verifier host, monitoring paths closed, unknown hosts get no content', {
    skip: !HAVE_OPENSSL && 'no openssl',
  }, async (t) => {
    const port3 = await startProduction(t, ['192.0.2.1'])
    const site = await httpsGet(port3, 'persona.test', '/sign_in')
    assert.equal(site.status, 200)
    assert.equal((JSON.parse(site.body) as Seen).name, 'router')
    assert.equal((JSON.parse(site.body) as Seen).headers['x-forwarded-proto'], 'https')
    assert.match(String(site.headers['strict-transport-security']), /max-age=63072000/)
    const v = await httpsGet(port3, 'verifier.persona.test', '/verify')
    assert.equal((JSON.parse(v.body) as Seen).name, 'verifier')
    assert.match(String(v.headers['strict-transport-security']), /max-age/)
    for (const host of ['persona.test', 'verifier.persona.test']) {
      assert.equal((await httpsGet(port3, host, '/__metrics__')).status, 404)
      assert.equal((await httpsGet(port3, host, '/metrics')).status, 404)
      assert.equal((await httpsGet(port3, host, '/__heartbeat__?deep=1')).status, 403, `${host} heartbeat`)
    }
    // Unknown names get no content; the load balancer's heartbeat only from monitorAllow.
    const unknown = await httpsGet(port3, 'evil.test', '/sign_in')
    assert.equal(unknown.status, 421)
    assert.doesNotMatch(unknown.body, /router/)
    assert.equal((await httpsGet(port3, 'evil.test', '/__lbheartbeat__')).status, 403)
  })

  it('production: no internal path on any host name, even for monitoring; heartbeats only shallow', {
    skip: !HAVE_OPENSSL && 'no openssl',
  }, async (t) => {
    // We ask from 127.0.0.1: the monitoring address itself.
    const port4 = await startProduction(t, ['127.0.0.1'])
    upstreamSeen.length = 0
    const internal = [
      '/__metrics__',
      '/metrics',
      '/metrics/',
      '/metrics.json',
      '/__metrics__/',
      '/%5F%5Fmetrics%5F%5F',
      '//__metrics__',
      '/./__metrics__',
      '/wsapi/../__metrics__',
      '/verify/../metrics',
      '/__METRICS__',
      '/__version__',
      '/__heartbeat__/',
      '/__heartbeat__/?deep=1',
      '/__lbheartbeat__/x',
      '/__anything',
    ]
    for (const host of ['persona.test', 'verifier.persona.test']) {
      for (const path of internal) {
        const res = await httpsGet(port4, host, path)
        assert.equal(res.status, 404, `${host}${path}: ${res.body}`)
      }
      for (const path of [
        '/__heartbeat__?deep=1',
        '/__heartbeat__?deep=true&x=1',
        '/__lbheartbeat__?deep=1',
      ]) {
        const res = await httpsGet(port4, host, path)
        assert.equal(res.status, 200, `${host}${path}`)
      }
    }
    // The upstreams saw the shallow heartbeats, without their query, and nothing else internal.
    assert.deepEqual([...new Set(upstreamSeen)].sort(), [
      'router /__heartbeat__',
      'router /__lbheartbeat__',
      'verifier /__heartbeat__',
      'verifier /__lbheartbeat__',
    ])
  })

  it("/verify's per-address limit: off by default in development, never for allow-listed relying sites", async (t) => {
    const ups = { router: `127.0.0.1:${portOf(router)}`, verifier: `127.0.0.1:${portOf(verifier)}` }
    const burst = async (extra: Partial<NginxOptions>): Promise<number[]> => {
      const d = mkdtempSync(join(tmpdir(), 'persona-nginx-verify-'))
      const p = await freePort()
      const n = await startNginx(renderNginxConfig({ ...baseOpts(d, p, ups), ...extra }), d, p)
      t.after(async () => {
        await stopNginx(n)
        rmSync(d, { recursive: true, force: true })
      })
      const answers = await Promise.all(
        Array.from({ length: 20 }, () =>
          fetch(`http://127.0.0.1:${p}/verify`, { method: 'POST', body: 'a=b' }).then(async (r) => {
            await r.arrayBuffer()
            return r.status
          }),
        ),
      )
      return answers
    }
    const tight = { rateLimits: { verify: verifyLimit('1') } }
    assert.ok(!(await burst({})).includes(429), 'development default: no per-address limit')
    assert.ok(!(await burst({ ...tight, verifyAllow: ['127.0.0.0/8'] })).includes(429), 'allow-listed')
    assert.ok((await burst({ ...tight, verifyAllow: ['198.51.100.7'] })).includes(429), 'others are limited')
  })

  it('no token, password or assertion in its access or error log, whatever happens to the request', async (t) => {
    const d = mkdtempSync(join(tmpdir(), 'persona-nginx-secrets-'))
    const p = await freePort()
    const dead = await freePort()
    const conf = renderNginxConfig({
      ...baseOpts(d, p, { router: `127.0.0.1:${dead}`, verifier: `127.0.0.1:${portOf(verifier)}` }),
      rateLimits: { wsapi: { rate: 1, burst: 1 }, verify: { rate: 1, burst: 1 } },
    })
    const n = await startNginx(conf, d, p)
    t.after(async () => {
      await stopNginx(n)
      rmSync(d, { recursive: true, force: true })
    })
    const SECRETS = ['TOKENa1b2c3d4e5f6', 'PASSWORDq9w8e7r6', 'ASSERTIONz1x2c3v4']
    const [token, pass, assertion] = SECRETS
    const base = `http://127.0.0.1:${p}`
    const send = async (path: string, init?: RequestInit) => {
      const r = await fetch(`${base}${path}`, init)
      await r.arrayBuffer()
      return r.status
    }
    const statuses: number[] = []
    for (let i = 0; i < 4; i++) {
      // Rate limited after the first: limit_req logs these with their request line.
      statuses.push(await send(`/wsapi/email_for_token?token=${token}`))
      statuses.push(
        await send(`/verify?assertion=${assertion}&audience=x`, { method: 'POST', body: `pass=${pass}` }),
      )
      // The router is down: an upstream error, which nginx logs with the request line.
      statuses.push(await send(`/verify_email_address?token=${token}`))
    }
    // Too large, a query encoded into the path, a header too large.
    statuses.push(
      await send(`/verify?assertion=${assertion}`, {
        method: 'POST',
        body: `pass=${pass}${'x'.repeat(70_000)}`,
      }),
    )
    statuses.push(await send(`/reset_password%3Ftoken%3D${token}`))
    statuses.push(await send(`/confirm?token=${token}`, { headers: { 'x-big': 'y'.repeat(20_000) } }))
    for (const s of [429, 502, 413]) assert.ok(statuses.includes(s), `got ${s}: ${statuses.join(',')}`)
    await stopNginx(n) // flushes its logs
    const access = readFileSync(join(d, 'access.log'), 'utf8')
    const error = existsSync(join(d, 'error.log')) ? readFileSync(join(d, 'error.log'), 'utf8') : ''
    for (const secret of SECRETS) {
      assert.ok(!access.includes(secret), `${secret} in the access log`)
      assert.ok(!error.includes(secret), `${secret} in the error log:\n${error}`)
    }
    // What the operator needs is in the access log instead.
    const lines = access
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
    assert.ok(
      lines.some(
        (l) => l.status === 429 && l.limit_req === 'REJECTED' && l.path === '/wsapi/email_for_token',
      ),
    )
    assert.ok(lines.some((l) => l.status === 502 && l.path === '/verify_email_address' && l.upstream !== ''))
    assert.ok(
      lines.some((l) => l.path === '/reset_password'),
      'a query encoded into the path is cut off too',
    )
  })

  it("sheds /verify past the verifier's concurrency: 503 too busy with Retry-After at once, 502 only when it is down", async (t) => {
    // A verifier that holds every request until told to answer: the ones nginx lets through stay
    // under way, so what nginx does with the rest depends on the count alone, not on timing.
    const held: (() => void)[] = []
    let arrived = 0
    const slow = createServer((req, res) => {
      arrived++
      req.resume()
      req.on('end', () => held.push(() => res.writeHead(200).end('{"status":"okay"}')))
    })
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r))
    const d = mkdtempSync(join(tmpdir(), 'persona-nginx-busy-'))
    const p = await freePort()
    const ups = { router: `127.0.0.1:${portOf(router)}`, verifier: `127.0.0.1:${portOf(slow)}` }
    // Two nginx workers: the count is shared between them.
    const conf = renderNginxConfig({ ...baseOpts(d, p, ups), verifyMaxConns: 2, workerProcesses: 2 })
    assert.match(conf, /max_conns=2;/)
    // By default, 8 per verifier process on a host running one per core.
    assert.equal(verifyMaxConnsFor(4), 32)
    assert.match(
      renderNginxConfig(baseOpts(d, p, ups)),
      new RegExp(`max_conns=${8 * availableParallelism()};`),
    )
    const n = await startNginx(conf, d, p)
    t.after(async () => {
      slow.closeAllConnections()
      await new Promise((r) => slow.close(r))
      await stopNginx(n)
      rmSync(d, { recursive: true, force: true })
    })
    const post = (path = '/verify') =>
      fetch(`http://127.0.0.1:${p}${path}`, { method: 'POST', body: 'assertion=x&audience=y' })
    const all = Array.from({ length: 6 }, (_, i) => post(i % 2 === 0 ? '/verify' : '/v2'))
    // The four refused come back while the two let through are still held by the verifier.
    const refused = await new Promise<Response[]>((resolve) => {
      const back: Response[] = []
      for (const r of all) {
        void r.then((res) => {
          back.push(res)
          if (back.length === 4) resolve([...back])
        })
      }
    })
    for (const r of refused) {
      assert.equal(r.status, 503)
      assert.equal(r.headers.get('retry-after'), '1')
      assert.match(r.headers.get('content-type') ?? '', /^application\/json/)
      assert.deepEqual(await r.json(), { status: 'failure', reason: 'too busy' })
    }
    // The two let through may still be on their way to the verifier when the refusals are back.
    while (held.length < 2) await new Promise((r) => setTimeout(r, 10))
    assert.equal(arrived, 2, 'only max_conns requests reach the verifier')
    for (const release of held.splice(0)) release()
    const through = (await Promise.all(all)).filter((r) => !refused.includes(r))
    assert.deepEqual(
      through.map((r) => r.status),
      [200, 200],
    )
    // Once the verifier has answered, the places are free again.
    const again = post()
    while (held.length === 0) await new Promise((r) => setTimeout(r, 10))
    for (const release of held.splice(0)) release()
    assert.equal((await again).status, 200)
    // A verifier that is down is not "busy": 502 without Retry-After.
    slow.closeAllConnections()
    await new Promise((r) => slow.close(r))
    const down = await post()
    assert.equal(down.status, 502)
    assert.equal(down.headers.get('retry-after'), null)
    assert.deepEqual(await down.json(), { status: 'failure', reason: 'verifier is unavailable' })
  })
})
