// SPDX-License-Identifier: MPL-2.0
// The kit's metrics: /metrics and its /__metrics__ alias, never through a proxy hop; build info and the
// event-loop lag in every process; naming rules enforced when a metric is declared; the catalogue
// valid and unique; security events as one log stream with a CEF line and a counter.
import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { test } from 'node:test'
import { catalogNames, METRICS, verifyReasonClass } from '../src/metric-catalog.ts'
import { buildInfo, checkSpec, counter, gauge, histogram, metricSample } from '../src/metrics.ts'
import { securityEvent, toCef } from '../src/security-events.ts'
import { createService } from '../src/service.ts'

test('/metrics and /__metrics__: build info, event-loop lag, request latency by route', async (t) => {
  const app = createService({ name: 'test', logger: false })
  app.get('/hello', async () => ({ ok: true }))
  t.after(() => app.close())
  await app.inject({ url: '/hello' })
  for (const url of ['/metrics', '/__metrics__']) {
    const res = await app.inject({ url })
    assert.equal(res.statusCode, 200)
    assert.match(String(res.headers['content-type']), /^text\/plain/)
    const text = res.body
    assert.equal(
      metricSample(text, 'persona_build_info', { service: 'test', version: buildInfo().version }),
      1,
      'build info with the version',
    )
    assert.ok(metricSample(text, 'nodejs_eventloop_lag_seconds') !== undefined, 'event-loop lag')
    assert.equal(
      metricSample(text, 'persona_http_request_duration_seconds_count', { route: '/hello', status: '200' }),
      1,
    )
    assert.equal(metricSample(text, 'persona_security_events_total', { event: 'csrf_failed' }), 0)
  }
})

test('metrics are refused through a proxy hop (nginx, the router): 404', async (t) => {
  const app = createService({ name: 'test', logger: false })
  t.after(() => app.close())
  for (const header of ['x-forwarded-for', 'x-forwarded-host']) {
    const res = await app.inject({ url: '/metrics', headers: { [header]: '203.0.113.9' } })
    assert.equal(res.statusCode, 404)
    assert.equal(res.json().code, 'ERR_NOT_FOUND')
    assert.doesNotMatch(res.body, /persona_build_info/)
  }
})

test('build info comes from PERSONA_VERSION / PERSONA_REVISION, else the package version', () => {
  assert.deepEqual(buildInfo({ PERSONA_VERSION: '1.2.3', PERSONA_REVISION: 'abc123' }), {
    version: '1.2.3',
    revision: 'abc123',
  })
  assert.match(buildInfo({}).version, /^\d+\.\d+\.\d+/)
  assert.equal(buildInfo({}).revision, 'unknown')
})

test('naming rules: persona_<area>_<thing>, _total on counters only, units on histograms, no scrape labels', () => {
  assert.throws(() => counter('verifications_total', 'assertions verified here'), TypeError)
  assert.throws(() => counter('persona_verifier_verifications', 'assertions verified here'), TypeError)
  assert.throws(() => gauge('persona_auth_queue_total', 'hashes waiting for a worker'), TypeError)
  assert.throws(() => histogram('persona_verifier_latency', 'time to verify one', [], [1]), TypeError)
  assert.throws(() => counter('persona_mail_sent_total', 'mails sent to the relay', ['cluster']), TypeError)
  assert.throws(() => counter('persona_mail_sent_total', 'mails sent to the relay', ['Template']), TypeError)
  assert.throws(() => counter('persona_mail_sent_total', 'short'), TypeError)
  assert.doesNotThrow(() => counter('persona_mail_sent_total', 'mails sent to the relay', ['template']))
})

test('the catalogue: every spec follows the rules and every name is unique', () => {
  const names = catalogNames()
  assert.equal(new Set(names).size, names.length)
  for (const area of Object.values(METRICS)) for (const spec of Object.values(area)) checkSpec(spec)
  assert.ok(names.includes('persona_verifier_verifications_total'))
})

test('typed metrics from the catalogue land in the app registry', async (t) => {
  const app = createService({ name: 'test', logger: false })
  t.after(() => app.close())
  const verifications = app.metrics.use(METRICS.verifier.verifications)
  verifications.inc({ result: 'failure', reason: 'expired' }, 3)
  const text = (await app.inject({ url: '/metrics' })).body
  assert.equal(
    metricSample(text, 'persona_verifier_verifications_total', { result: 'failure', reason: 'expired' }),
    3,
  )
  // Registering the same spec twice in one process is a bug, said loudly.
  assert.throws(() => app.metrics.use(METRICS.verifier.verifications))
})

test('a gauge given a reader is read at each scrape', async (t) => {
  const app = createService({ name: 'test', logger: false })
  t.after(() => app.close())
  let depth = 2
  app.metrics.use(METRICS.auth.bcryptQueue, () => depth)
  const read = async () =>
    metricSample((await app.inject({ url: '/metrics' })).body, 'persona_auth_bcrypt_queue_depth')
  assert.equal(await read(), 2)
  depth = 7
  assert.equal(await read(), 7)
})

test('reason classes: each BrowserID failure code maps to an operator-facing class', () => {
  assert.equal(verifyReasonClass(undefined), 'none')
  assert.equal(verifyReasonClass('ERR_ASSERTION_EXPIRED'), 'expired')
  assert.equal(verifyReasonClass('ERR_AUDIENCE_MISMATCH'), 'audience')
  assert.equal(verifyReasonClass('ERR_BAD_SIGNATURE'), 'signature')
  assert.equal(verifyReasonClass('ERR_SUPPORT_DOCUMENT_FETCH'), 'support_document')
  assert.equal(verifyReasonClass('ERR_ISSUER_NOT_AUTHORIZED'), 'issuer')
  assert.equal(verifyReasonClass('ERR_SOMETHING_NEW'), 'internal')
})

test('security events: one JSON line on the security stream with a CEF string, and a counter', async (t) => {
  const lines: Record<string, unknown>[] = []
  const stream = new Writable({
    write(chunk, _enc, cb) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l))
      cb()
    },
  })
  const app = createService({ name: 'reader', logger: { level: 'info', stream } })
  app.post('/x', async (req) => {
    securityEvent(req, 'csrf_failed', { ip: '198.51.100.7', reason: 'mismatch|=x' })
    securityEvent(req, 'revoked_session_used', { userId: 42 })
    return { ok: true }
  })
  t.after(() => app.close())
  await app.inject({ method: 'POST', url: '/x', payload: {} })
  const security = lines.filter((l) => l.stream === 'security')
  assert.equal(security.length, 2)
  const [csrf, revoked] = security
  assert.equal(csrf?.event, 'security.csrf_failed')
  assert.equal(csrf?.level, 30)
  assert.ok(typeof csrf?.reqId === 'string', 'carries the request id')
  assert.equal(
    csrf?.cef,
    `CEF:0|Mozilla|Persona|${buildInfo().version}|persona.reader.csrf_failed|CSRF token missing or wrong|6|src=198.51.100.7 reason=mismatch|\\=x`,
  )
  assert.equal(revoked?.level, 40, 'severity 7 and up log at warn')
  const text = (await app.inject({ url: '/metrics' })).body
  assert.equal(metricSample(text, 'persona_security_events_total', { event: 'csrf_failed' }), 1)
  assert.equal(metricSample(text, 'persona_security_events_total', { event: 'revoked_session_used' }), 1)
})

test('CEF escaping: pipes in the header, equals and newlines in values', () => {
  const line = toCef('proxy', '1|2', 'fetch_refused', { domain: 'a=b\nc', reason: 'back\\slash' })
  assert.equal(
    line,
    'CEF:0|Mozilla|Persona|1\\|2|persona.proxy.fetch_refused|Outbound fetch refused by the proxy policy|5|dhost=a\\=b\\nc reason=back\\\\slash',
  )
})
