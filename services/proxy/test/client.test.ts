// SPDX-License-Identifier: MPL-2.0
// The support-document client against the real proxy app on a real port, the IdPs local listeners
// (SHIMMED_PRIMARIES): one fetch for a burst, Cache-Control honoured within bounds, negative and
// failure caching, the cache bounded, the origin header read, and fixed reasons when the proxy fails.
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, test } from 'node:test'
import { freePort } from '@persona/kit'
import { buildApp } from '../src/app.ts'
import { maxAge, type SupportCacheOptions, SupportDocumentClient } from '../src/client.ts'
import { proxyConfig } from '../src/config.ts'

const DOC = {
  'public-key': { algorithm: 'RS', n: '1', e: '65537' },
  authentication: '/a',
  provisioning: '/p',
}

interface Idp {
  readonly server: Server
  readonly origin: string
  hits: number
  /** What /.well-known/browserid answers next: a document with a Cache-Control, or a status. */
  answer: { status: number; cacheControl?: string }
}

async function idp(): Promise<Idp> {
  const state: Idp = { server: createServer(), origin: '', hits: 0, answer: { status: 200 } }
  state.server.on('request', (req, res) => {
    state.hits++
    // A little slow, so that a burst really overlaps.
    setTimeout(() => {
      if (req.url !== '/.well-known/browserid' || state.answer.status !== 200) {
        res.writeHead(req.url === '/.well-known/browserid' ? state.answer.status : 404).end()
        return
      }
      const headers: Record<string, string> = { 'content-type': 'application/json' }
      if (state.answer.cacheControl !== undefined) headers['cache-control'] = state.answer.cacheControl
      res.writeHead(200, headers).end(JSON.stringify(DOC))
    }, 30)
  })
  await new Promise<void>((r) => state.server.listen(0, '127.0.0.1', r))
  return Object.assign(state, { origin: `http://127.0.0.1:${(state.server.address() as AddressInfo).port}` })
}

const NAMES = ['a.test', 'b.test', 'c.test', 'gone.test', 'broken.test'] as const
const idps = new Map<string, Idp>()
let proxyUrl = ''
let closeProxy: () => Promise<void>

before(async () => {
  for (const n of NAMES) idps.set(n, await idp())
  const shims = NAMES.map((n) => `${n}=${idps.get(n)?.origin}`).join(',')
  const app = await buildApp(proxyConfig({ SHIMMED_PRIMARIES: shims }), { logger: false })
  await app.listen({ host: '127.0.0.1', port: 0 })
  proxyUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
  closeProxy = () => app.close()
})
after(async () => {
  await closeProxy()
  for (const i of idps.values()) i.server.close()
})

function the(name: (typeof NAMES)[number]): Idp {
  const i = idps.get(name)
  assert.ok(i)
  return i
}

function client(cache: Partial<SupportCacheOptions> = {}, url = proxyUrl): SupportDocumentClient {
  return new SupportDocumentClient({ proxyUrl: url, timeoutMs: 2000, cache })
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('the support-document client', () => {
  test('a burst for one domain is one fetch; the document, its origin and the cached copy', async (t) => {
    const c = client()
    t.after(() => c.close())
    const a = the('a.test')
    a.hits = 0
    a.answer = { status: 200, cacheControl: 'max-age=600' }
    const all = await Promise.all(Array.from({ length: 25 }, () => c.supportDocument('A.test')))
    for (const r of all) assert.deepEqual(r, { kind: 'document', document: DOC, origin: a.origin })
    assert.equal(a.hits, 1)
    assert.equal(c.fetches, 1)
    await c.supportDocument('a.test')
    assert.equal(a.hits, 1, 'served from the cache')
  })

  test("the IdP's max-age is honoured within [min, max]", async (t) => {
    const b = the('b.test')
    b.answer = { status: 200, cacheControl: 'max-age=1' }
    const short = client({ minTtlS: 0 })
    t.after(() => short.close())
    b.hits = 0
    await short.supportDocument('b.test')
    await short.supportDocument('b.test')
    assert.equal(b.hits, 1)
    await sleep(1100)
    await short.supportDocument('b.test')
    assert.equal(b.hits, 2, 'expired after max-age')
    // A floor: no-store still keeps the document minTtlS.
    b.answer = { status: 200, cacheControl: 'no-store' }
    const floored = client({ minTtlS: 60 })
    t.after(() => floored.close())
    b.hits = 0
    await floored.supportDocument('b.test')
    await floored.supportDocument('b.test')
    assert.equal(b.hits, 1)
    // A ceiling: a year's max-age is kept maxTtlS.
    b.answer = { status: 200, cacheControl: 'max-age=31536000' }
    const capped = client({ minTtlS: 0, maxTtlS: 1 })
    t.after(() => capped.close())
    b.hits = 0
    await capped.supportDocument('b.test')
    await sleep(1100)
    await capped.supportDocument('b.test')
    assert.equal(b.hits, 2)
  })

  test('"no document" and failures are cached briefly, each for its own time', async (t) => {
    const gone = the('gone.test')
    const broken = the('broken.test')
    gone.answer = { status: 404 }
    broken.answer = { status: 500 }
    const c = client({ negativeTtlS: 60, failureTtlS: 1 })
    t.after(() => c.close())
    gone.hits = 0
    broken.hits = 0
    const none = await c.supportDocument('gone.test')
    assert.deepEqual(none, { kind: 'none', reason: 'gone.test has no support document' })
    const failed = await c.supportDocument('broken.test')
    assert.deepEqual(failed, {
      kind: 'error',
      reason: 'unusable support document from broken.test: answered HTTP 500',
    })
    await Promise.all([c.supportDocument('gone.test'), c.supportDocument('broken.test')])
    assert.deepEqual([gone.hits, broken.hits], [1, 1])
    await sleep(1100)
    await Promise.all([c.supportDocument('gone.test'), c.supportDocument('broken.test')])
    assert.deepEqual([gone.hits, broken.hits], [1, 2], 'the failure expired, the 404 did not')
  })

  test('the cache is bounded: the least recently used domain goes first', async (t) => {
    for (const n of ['a.test', 'b.test', 'c.test'] as const) {
      the(n).answer = { status: 200, cacheControl: 'max-age=600' }
      the(n).hits = 0
    }
    const c = client({ size: 2 })
    t.after(() => c.close())
    await c.supportDocument('a.test')
    await c.supportDocument('b.test')
    await c.supportDocument('a.test')
    await c.supportDocument('c.test') // evicts b.test
    await c.supportDocument('a.test')
    await c.supportDocument('b.test')
    assert.deepEqual(
      ['a.test', 'b.test', 'c.test'].map((n) => idps.get(n)?.hits),
      [1, 2, 1],
    )
  })

  test('a proxy that is down or answers out of contract gives a fixed reason, never its details', async (t) => {
    const dead = client({}, `http://127.0.0.1:${await freePort()}`)
    t.after(() => dead.close())
    assert.deepEqual(await dead.supportDocument('a.test'), {
      kind: 'error',
      reason: 'could not get the support document of a.test',
    })
    const liar = createServer((_q, r) =>
      r
        .writeHead(500, { 'content-type': 'application/json' })
        .end('{"reason":"connect ECONNREFUSED 10.0.0.1:443"}'),
    )
    await new Promise<void>((r) => liar.listen(0, '127.0.0.1', r))
    t.after(() => liar.close())
    const odd = client({}, `http://127.0.0.1:${(liar.address() as AddressInfo).port}`)
    t.after(() => odd.close())
    assert.deepEqual(await odd.supportDocument('a.test'), {
      kind: 'error',
      reason: 'could not get the support document of a.test',
    })
  })

  test('Cache-Control parsing', () => {
    assert.equal(maxAge('public, max-age=3600'), 3600)
    assert.equal(maxAge('max-age="120"'), 120)
    assert.equal(maxAge(['public', 'max-age=5']), 5)
    assert.equal(maxAge('no-store'), 0)
    assert.equal(maxAge('no-cache, max-age=600'), 0)
    assert.equal(maxAge(undefined), undefined)
    assert.equal(maxAge('private'), undefined)
  })
})
