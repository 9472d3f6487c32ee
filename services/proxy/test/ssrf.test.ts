// SPDX-License-Identifier: MPL-2.0
// SSRF: no textual form of an internal address, and no DNS answer naming one, makes the proxy open a
// connection; and what a caller reads back never tells a refused destination from a closed port, a
// TLS failure, a reset or a timeout (else the proxy would be a port scanner). Connections are
// recorded by a real listener on the port every guarded connection is sent to.
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer as createTlsServer } from 'node:https'
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { freePort } from '@persona/kit'
import { addressForms, DNS_ANSWERS } from '../../../test/fixtures/address-forms.ts'
import { selfSignedCert } from '../../../test/fixtures/tls/self-signed.ts'
import { buildApp, type ProxyDeps } from '../src/app.ts'
import { proxyConfig } from '../src/config.ts'
import { SupportDocumentFetcher } from '../src/support-document-fetcher.ts'
import { logSink } from './log-sink.ts'

/** A dual-stack listener (127.0.0.1, ::1, 0.0.0.0 all reach it) that records every connection. */
async function recorder(onSocket: (s: Socket) => void = (s) => s.destroy()) {
  const seen: string[] = []
  const server: Server = createServer((s) => {
    seen.push(`${s.remoteAddress}`)
    onSocket(s)
  })
  await new Promise<void>((resolve) => server.listen({ host: '::', port: 0, ipv6Only: false }, resolve))
  return { seen, port: (server.address() as AddressInfo).port, close: () => server.close() }
}

const forms = addressForms()
let rec: Awaited<ReturnType<typeof recorder>>
before(async () => {
  rec = await recorder()
})
after(() => rec.close())

describe('every textual address form', () => {
  test(`${forms.length} forms as domain=: refused before any connection, with a fixed reason`, async (t) => {
    const asked: string[] = []
    const { lines, logger } = logSink()
    const app = await buildApp(proxyConfig({ PROXY_TIMEOUT_MS: '2000' }), {
      logger,
      fetcher: {
        connectPort: rec.port,
        // Were any name looked up, DNS would say "loopback".
        resolve: async (h) => {
          asked.push(h)
          return [{ address: '127.0.0.1', family: 4 }]
        },
      },
    })
    t.after(() => app.close())
    for (const f of forms) {
      const res = await app.inject({ url: `/wellknown?domain=${encodeURIComponent(f.host)}` })
      const body = res.json()
      // Not a domain (400), or refused after parsing and DNS with the one "unreachable" answer.
      if (res.statusCode === 400) assert.equal(body.code, 'ERR_BAD_REQUEST', f.host)
      else {
        assert.equal(res.statusCode, 502, `${f.host}: ${res.body}`)
        assert.match(body.reason, /^could not reach /, f.host)
      }
    }
    assert.deepEqual(rec.seen, [], 'no connection was made')
    assert.ok(!lines.some((l) => l.event === 'proxy.unreachable'), 'nothing got as far as the network')
    // Only names the URL parser does not read as addresses ever reach DNS.
    for (const h of asked) assert.equal(new URL(`https://${h}/`).hostname, h)
  })

  test('the fetcher itself decides on the parsed host: each form refused without DNS or a socket', async (t) => {
    const asked: string[] = []
    const fetcher = new SupportDocumentFetcher({
      shims: new Map(),
      maxBytes: 65536,
      timeoutMs: 2000,
      maxRedirects: 0,
      connectPort: rec.port,
      resolve: async (h) => {
        asked.push(h)
        return [{ address: '127.0.0.1', family: 4 }]
      },
    })
    t.after(() => fetcher.close())
    for (const f of forms) {
      const out = await fetcher.fetch(f.host)
      assert.equal(out.kind, 'unreachable', f.host)
      assert.equal(out.kind === 'unreachable' && out.cause, 'refused', `${f.host}: ${JSON.stringify(out)}`)
    }
    assert.deepEqual(rec.seen, [])
    // The only forms that reached DNS are the ones the URL parser turned into names.
    const names = forms.filter((f) => f.url !== null && !/^[\d.]+$|^\[/.test(f.url)).map((f) => f.url)
    assert.deepEqual(asked.sort(), names.sort())
  })
})

describe('DNS answers naming internal addresses', () => {
  test('each one, alone or mixed with a public one, is refused and logged', async (t) => {
    let answer: { address: string; family: number }[] = []
    const { lines, logger } = logSink()
    const app = await buildApp(proxyConfig({}), {
      logger,
      fetcher: { connectPort: rec.port, resolve: async () => answer },
    })
    t.after(() => app.close())
    for (const a of DNS_ANSWERS) {
      for (const set of [[a], [{ address: '93.184.216.34', family: 4 }, a]]) {
        answer = set
        const res = await app.inject({ url: '/wellknown?domain=evil.example' })
        assert.equal(res.statusCode, 502, a.address)
        assert.deepEqual(res.json(), {
          success: false,
          code: 'ERR_BAD_GATEWAY',
          reason: 'could not reach evil.example',
        })
      }
    }
    assert.deepEqual(rec.seen, [])
    const refused = lines.filter((l) => l.event === 'proxy.refused')
    assert.equal(refused.length, DNS_ANSWERS.length * 2)
    // The log says why; the answer did not.
    assert.ok(refused.some((l) => /169\.254\.169\.254 is a linkLocal address/.test(String(l.detail))))
  })
})

describe('one answer for every way of not getting there', () => {
  test('refused address, closed port, reset, TLS failure, bad certificate and timeout read the same', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'proxy-ssrf-'))
    t.after(() => rmSync(dir, { recursive: true, force: true }))
    const { certFile, keyFile } = selfSignedCert(dir, 'victim.example')
    const untrusted = createTlsServer({ key: readFileSync(keyFile), cert: readFileSync(certFile) }, (_q, r) =>
      r.end('{}'),
    )
    await new Promise<void>((resolve) => untrusted.listen(0, '127.0.0.1', resolve))
    const plain = await recorder((s) => s.end('HTTP/1.1 200 OK\r\n\r\n{}'))
    const reset = await recorder((s) => s.resetAndDestroy())
    const silent = await recorder(() => undefined)
    t.after(() => {
      untrusted.close()
      plain.close()
      reset.close()
      silent.close()
    })
    const closed = await freePort()
    const resolve = async () => [{ address: '127.0.0.1', family: 4 }]
    const everywhere = { resolve, checkAddress: () => ({ allowed: true as const }) }
    const cases: Record<string, ProxyDeps['fetcher']> = {
      'refused destination': { resolve, connectPort: rec.port },
      'closed port': { ...everywhere, connectPort: closed },
      'connection reset': { ...everywhere, connectPort: reset.port },
      'not TLS': { ...everywhere, connectPort: plain.port },
      'untrusted certificate': { ...everywhere, connectPort: (untrusted.address() as AddressInfo).port },
      timeout: { ...everywhere, connectPort: silent.port },
    }
    const answers = new Map<string, string>()
    const logged = new Set<string>()
    for (const [name, fetcher] of Object.entries(cases)) {
      const { lines, logger } = logSink()
      const app = await buildApp(proxyConfig({ PROXY_TIMEOUT_MS: '400' }), {
        logger,
        ...(fetcher === undefined ? {} : { fetcher }),
      })
      const res = await app.inject({ url: '/wellknown?domain=victim.example' })
      await app.close()
      answers.set(name, JSON.stringify({ status: res.statusCode, body: res.json() }))
      const line = lines.find((l) => l.event === 'proxy.refused' || l.event === 'proxy.unreachable')
      assert.ok(line !== undefined, `${name} is logged`)
      logged.add(String(line.detail))
    }
    const distinct = new Set(answers.values())
    assert.equal(distinct.size, 1, [...answers].join('\n'))
    assert.deepEqual(JSON.parse([...distinct][0] ?? ''), {
      status: 502,
      body: { success: false, code: 'ERR_BAD_GATEWAY', reason: 'could not reach victim.example' },
    })
    // The operator still gets the difference, in the log.
    assert.equal(logged.size, Object.keys(cases).length, [...logged].join('\n'))
    assert.deepEqual(rec.seen, [], 'the refused destination was never connected to')
  })
})
