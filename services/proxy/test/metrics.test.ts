// SPDX-License-Identifier: MPL-2.0
// The proxy's metrics: fetches by outcome, refusals by reason class, and each refusal on the
// security log stream.
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Writable } from 'node:stream'
import { test } from 'node:test'
import { metricSample } from '@persona/kit'
import { buildApp } from '../src/app.ts'
import { proxyConfig } from '../src/config.ts'
import { refusalClass } from '../src/metrics.ts'

test('fetches counted by outcome; a refusal is counted by class and reported as a security event', async (t) => {
  const idp: Server = createServer((req, res) => {
    if (req.url === '/.well-known/browserid') {
      res.setHeader('content-type', 'application/json')
      res.end(
        JSON.stringify({
          'public-key': { algorithm: 'RS', n: '1', e: '65537' },
          authentication: '/a',
          provisioning: '/p',
        }),
      )
    } else res.writeHead(404).end()
  })
  await new Promise<void>((r) => idp.listen(0, '127.0.0.1', r))
  t.after(() => idp.close())
  const origin = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`
  const lines: Record<string, unknown>[] = []
  const stream = new Writable({
    write(chunk, _e, cb) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l))
      cb()
    },
  })
  const app = await buildApp(
    proxyConfig({ SHIMMED_PRIMARIES: `good.test=${origin}`, PROXY_TIMEOUT_MS: '1500' }),
    {
      logger: { level: 'info', stream },
      fetcher: { resolve: async () => [{ address: '127.0.0.1', family: 4 }] },
    },
  )
  t.after(() => app.close())
  assert.equal((await app.inject({ url: '/wellknown?domain=good.test' })).statusCode, 200)
  assert.equal((await app.inject({ url: '/wellknown?domain=evil.test' })).statusCode, 502)
  const text = (await app.inject({ url: '/metrics' })).body
  assert.equal(metricSample(text, 'persona_proxy_support_document_fetches_total', { outcome: 'ok' }), 1)
  assert.equal(metricSample(text, 'persona_proxy_support_document_fetches_total', { outcome: 'refused' }), 1)
  assert.equal(metricSample(text, 'persona_proxy_support_document_fetches_total', { outcome: 'timeout' }), 0)
  assert.equal(metricSample(text, 'persona_proxy_refusals_total', { reason: 'address' }), 1)
  assert.equal(metricSample(text, 'persona_proxy_fetch_duration_seconds_count', { outcome: 'ok' }), 1)
  assert.equal(metricSample(text, 'persona_security_events_total', { event: 'fetch_refused' }), 1)
  const event = lines.find((l) => l.stream === 'security')
  assert.equal(event?.event, 'security.fetch_refused')
  assert.equal(event?.domain, 'evil.test')
  assert.match(String(event?.cef), /\|persona\.proxy\.fetch_refused\|.*dhost=evil\.test reason=address/)
})

test('refusal classes', () => {
  assert.equal(refusalClass('evil.test resolves to 10.0.0.1 is a private address'), 'address')
  assert.equal(refusalClass('redirect off the domain to https://x.test'), 'redirect')
  assert.equal(refusalClass('support document larger than 10 bytes'), 'too_large')
  assert.equal(refusalClass('something else'), 'other')
})
