// SPDX-License-Identifier: MPL-2.0
// The router against two small upstreams made here (stand-ins for reader and static): path routing,
// forwarded headers, bodies, JSON 502 for a dead upstream, JSON 504 for a slow one, deep heartbeat.
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { buildApp, upstreamFor } from '../src/app.ts'
import { loadRouterConfig } from '../src/config.ts'

interface Seen {
  name: string
  method: string
  url: string
  headers: Record<string, string | string[] | undefined>
  body: string
}

function echoServer(name: string, delayMs = 0): Promise<Server> {
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => {
      body += c.toString()
    })
    req.on('end', () => {
      const seen: Seen = { name, method: req.method ?? '', url: req.url ?? '', headers: req.headers, body }
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(JSON.stringify(seen))
      }, delayMs)
    })
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

function urlOf(s: Server): string {
  const a = s.address() as AddressInfo
  return `http://127.0.0.1:${a.port}`
}

/** A port that nothing listens on: bind, note it, close. */
async function deadUrl(): Promise<string> {
  const s = await echoServer('dead')
  const url = urlOf(s)
  await new Promise((r) => s.close(r))
  return url
}

describe('router', () => {
  let reader: Server
  let statics: Server
  let slow: Server
  let app: Awaited<ReturnType<typeof buildApp>>

  before(async () => {
    reader = await echoServer('reader')
    statics = await echoServer('static')
    slow = await echoServer('slow', 1500)
    app = await buildApp(
      loadRouterConfig({ READER_URL: urlOf(reader), STATIC_URL: urlOf(statics), LOG_LEVEL: 'silent' }),
      { logger: false },
    )
  })
  after(async () => {
    await app?.close()
    for (const s of [reader, statics, slow]) {
      s?.closeAllConnections()
      await new Promise((r) => s?.close(r))
    }
  })

  it("sends the topology's reader paths to reader, with query strings", async () => {
    for (const url of [
      '/wsapi/session_context',
      '/wsapi/address_info?email=a%40b.test',
      '/.well-known/browserid',
      '/.well-known/web-identity',
      '/fedcm/config.json',
      '/fedcm/client_metadata?client_id=https%3A%2F%2Frp.test',
      '/wsapi/fedcm/accounts',
    ]) {
      const res = await app.inject({ url })
      assert.equal(res.statusCode, 200, url)
      const seen = res.json<Seen>()
      assert.equal(seen.name, 'reader', url)
      assert.equal(seen.url, url)
    }
  })

  it('sends everything else to static', async () => {
    for (const url of [
      '/',
      '/sign_in',
      '/include.js',
      '/wsapix',
      '/.well-known/browserid.json',
      '/.well-known/web-identity.json',
      '/fedcmx',
      '/assets/a-1.js',
    ]) {
      const res = await app.inject({ url })
      assert.equal(res.json<Seen>().name, 'static', url)
      assert.equal(res.json<Seen>().url, url)
    }
  })

  it('passes the request id, appends the peer to X-Forwarded-For and forwards POST bodies', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/wsapi/stage_user',
      headers: {
        'content-type': 'application/json',
        'x-request-id': 'req-id-from-nginx-1',
        'x-forwarded-for': '203.0.113.9',
      },
      payload: JSON.stringify({ email: 'a@b.test' }),
    })
    const seen = res.json<Seen>()
    assert.equal(seen.method, 'POST')
    assert.equal(seen.body, '{"email":"a@b.test"}')
    assert.equal(seen.headers['x-request-id'], 'req-id-from-nginx-1')
    assert.equal(seen.headers['x-forwarded-for'], '203.0.113.9, 127.0.0.1')
    assert.equal(res.headers['x-request-id'], 'req-id-from-nginx-1')
  })

  it('makes a request id when none comes in', async () => {
    const seen = (await app.inject({ url: '/wsapi/session_context' })).json<Seen>()
    assert.match(String(seen.headers['x-request-id']), /^[0-9a-f-]{36}$/)
  })

  it('answers 404 for internal (reader -> writer) calls without asking reader', async () => {
    for (const url of [
      '/wsapi/saw_idp?domain=x.test',
      '/wsapi/create_account_with_assertion',
      '/wsapi/forget_idp',
    ]) {
      const res = await app.inject({ method: url.includes('create') ? 'POST' : 'GET', url })
      assert.equal(res.statusCode, 404, url)
      assert.deepEqual(res.json(), { success: false, code: 'ERR_NOT_FOUND', reason: 'Not Found' })
    }
    assert.equal((await app.inject({ url: '/wsapi/session_context' })).json<Seen>().name, 'reader')
  })

  it('deep heartbeat reports each upstream', async () => {
    const res = await app.inject({ url: '/__heartbeat__?deep=1' })
    assert.equal(res.statusCode, 200)
    const body = res.json<{ checks: Record<string, { ok: boolean }> }>()
    assert.deepEqual(Object.keys(body.checks).sort(), ['reader', 'static'])
    assert.ok(body.checks.reader?.ok && body.checks.static?.ok)
  })

  it('answers a JSON 502 naming reader when reader is down, and deep heartbeat fails on it', async (t) => {
    const down = await buildApp(
      loadRouterConfig({ READER_URL: await deadUrl(), STATIC_URL: urlOf(statics), LOG_LEVEL: 'silent' }),
      { logger: false },
    )
    t.after(() => down.close())
    // Over a real socket: a proxied request body must not turn into a reset connection.
    const base = await down.listen({ host: '127.0.0.1', port: 0 })
    const res = await fetch(`${base}/wsapi/session_context`)
    assert.equal(res.status, 502)
    assert.deepEqual(await res.json(), {
      success: false,
      code: 'ERR_BAD_GATEWAY',
      reason: 'reader is unavailable',
    })
    const post = await fetch(`${base}/wsapi/stage_user`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'x@y.test' }),
    })
    assert.equal(post.status, 502)
    assert.equal((await post.json()).code, 'ERR_BAD_GATEWAY')
    assert.equal((await fetch(`${base}/sign_in`)).status, 200)
    const deep = await down.inject({ url: '/__heartbeat__?deep=1' })
    assert.equal(deep.statusCode, 503)
    const checks = deep.json<{ checks: Record<string, { ok: boolean }> }>().checks
    assert.equal(checks.reader?.ok, false)
    assert.equal(checks.static?.ok, true)
  })

  it('answers a JSON 504 naming static when static is too slow', async (t) => {
    const timid = await buildApp(
      loadRouterConfig({
        READER_URL: urlOf(reader),
        STATIC_URL: urlOf(slow),
        ROUTER_UPSTREAM_TIMEOUT_MS: '300',
        LOG_LEVEL: 'silent',
      }),
      { logger: false },
    )
    t.after(() => timid.close())
    const base = await timid.listen({ host: '127.0.0.1', port: 0 })
    const res = await fetch(`${base}/sign_in`)
    assert.equal(res.status, 504)
    assert.deepEqual(await res.json(), {
      success: false,
      code: 'ERR_GATEWAY_TIMEOUT',
      reason: 'static did not answer in time',
    })
  })

  it('routes by path prefix exactly', () => {
    assert.equal(upstreamFor('/wsapi/x'), 'reader')
    assert.equal(upstreamFor('/wsapi'), 'reader')
    assert.equal(upstreamFor('/wsapiX'), 'static')
    assert.equal(upstreamFor('/.well-known/browserid'), 'reader')
    assert.equal(upstreamFor('/.well-known/jwks.json'), 'reader')
    assert.equal(upstreamFor('/.well-known/other'), 'static')
    assert.equal(upstreamFor('/.well-known/web-identity'), 'reader')
    assert.equal(upstreamFor('/fedcm/config.json'), 'reader')
    assert.equal(upstreamFor('/fedcm'), 'reader')
    assert.equal(upstreamFor('/fedcmconfig.json'), 'static')
  })
})
