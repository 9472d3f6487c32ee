// SPDX-License-Identifier: MPL-2.0
// Load shedding: a saturated verifier answers 503 {status:'failure', reason:'too busy'} with Retry-After
// at once instead of queueing: (1) when more verifications wait for its CPU than the queue holds (a
// backlog delivered to it all at once), never while fewer callers than that are at it; (2) when its
// verifications under way reach the limit (held here on an IdP that answers only when the test lets
// it); (3) when its event loop lags (if an operator turns that on; saturated here by a stand-in
// reading); and it serves again once the pressure is gone.
import assert from 'node:assert/strict'
import { connect, type Socket } from 'node:net'
import { after, before, describe, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import {
  bundleAssertion,
  generateKeyPair,
  type PublicKey,
  type SecretKey,
  signAssertion,
  signCertificate,
} from '@persona/browserid'
import { metricSample } from '@persona/kit'
import { Admission, type LoadStats, SAMPLE_MS } from '../src/load-shed.ts'
import { type Harness, startHarness } from './harness.ts'

const RP = 'https://rp.example'
let idp: { publicKey: PublicKey; secretKey: SecretKey }
let user: { publicKey: PublicKey; secretKey: SecretKey }

before(async () => {
  ;[idp, user] = await Promise.all([generateKeyPair('RS256'), generateKeyPair('DS128')])
})

function bundle(domain: string): string {
  const now = Date.now()
  const cert = signCertificate(
    { issuer: domain, publicKey: user.publicKey, email: `u@${domain}`, iat: now, exp: now + 3600_000 },
    idp.secretKey,
  )
  return bundleAssertion([cert], signAssertion({ audience: RP, exp: now + 120_000 }, user.secretKey))
}

async function verify(url: string, assertion: string) {
  const res = await fetch(`${url}/verify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ assertion, audience: RP }),
  })
  return { status: res.status, retryAfter: res.headers.get('retry-after'), json: await res.json() }
}

const doc = () => ({ 'public-key': idp.publicKey.toJSON(), authentication: '/a', provisioning: '/p' })

describe('admission share', () => {
  test('falls while the loop is saturated by requests, not on one pause, starvation or start-up; then recovers', () => {
    const a = new Admission(25)
    a.sample(60, 1, 10) // one long pause (a GC): not saturation yet
    a.sample(1, 0.5, 10)
    assert.equal(a.share, 1)
    for (let i = 0; i < 10; i++) a.sample(40, 0.3, 10) // lagging, mostly idle: starved of CPU, not saturated
    for (let i = 0; i < 10; i++) a.sample(40, 1, 0) // busy with something else than requests (start-up)
    assert.equal(a.share, 1)
    for (let i = 0; i < 10; i++) a.sample(40, 0.99, 10)
    assert.ok(a.share < 0.1, `share ${a.share}`)
    assert.equal(a.admit(0.5), false)
    assert.equal(a.admit(0.001), true)
    for (let i = 0; i < 40; i++) a.sample(1, 0.5, 10)
    assert.equal(a.share, 1)
    assert.equal(a.admit(0.999), true)
    const off = new Admission(0)
    for (let i = 0; i < 10; i++) off.sample(1000, 1, 10)
    assert.equal(off.share, 1)
  })
})

/** One HTTP/1.1 answer read off a raw socket: status, Retry-After and the JSON body. */
function answerOf(socket: Socket): Promise<{ status: number; retryAfter: string | null; json: unknown }> {
  return new Promise((resolve, reject) => {
    let text = ''
    socket.setEncoding('utf8')
    socket.on('data', (c: string) => {
      text += c
    })
    socket.on('error', reject)
    socket.on('end', () => {
      const [head = '', body = ''] = text.split('\r\n\r\n')
      const retry = /^retry-after: *(.*)$/im.exec(head)?.[1]?.trim() ?? null
      resolve({ status: Number(head.split(' ')[1]), retryAfter: retry, json: JSON.parse(body) })
    })
  })
}

describe('verifications queued for the CPU (inline, as each cluster worker verifies)', () => {
  const MAX_QUEUED = 4
  let h: Harness
  let stats: LoadStats | undefined
  before(async () => {
    h = await startHarness({
      fallbackDomain: 'login.example',
      fallbackPublicKey: idp.publicKey.toJSON(),
      documents: { 'idp.example': doc() },
      inline: true,
      env: { VERIFIER_MAX_QUEUED: String(MAX_QUEUED), VERIFIER_MAX_PENDING: '0' },
      onLoadStats: (s) => {
        stats = s
      },
    })
  })
  after(() => h.close())

  /**
   * `n` requests that reach the verifier together: every connection is accepted first, then every
   * request is written at once, so one turn of its event loop reads them all (a backlog, as after a
   * burst or while it was busy).
   */
  async function together(n: number, assertion: string) {
    const port = Number(new URL(h.url).port)
    const before = await h.connections()
    const sockets = await Promise.all(
      Array.from(
        { length: n },
        () =>
          new Promise<Socket>((resolve, reject) => {
            const s = connect(port, '127.0.0.1', () => resolve(s))
            s.once('error', reject)
          }),
      ),
    )
    while ((await h.connections()) < before + n) await sleep(5)
    const body = JSON.stringify({ assertion, audience: RP })
    const request = `POST /verify HTTP/1.1\r\nhost: verifier\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
    const answers = sockets.map(answerOf)
    for (const s of sockets) s.write(request)
    return Promise.all(answers)
  }

  test('a backlog beyond the queue: the queue is served, the rest refused at once with 503 + Retry-After', async () => {
    const assertion = bundle('idp.example')
    assert.equal((await verify(h.url, assertion)).json.status, 'okay') // the IdP's document is cached
    const answers = await together(3 * MAX_QUEUED, assertion)
    const okay = answers.filter((a) => a.status === 200 && (a.json as { status: string }).status === 'okay')
    const busy = answers.filter((a) => a.status === 503)
    assert.equal(okay.length, MAX_QUEUED, JSON.stringify(answers))
    assert.equal(busy.length, 2 * MAX_QUEUED)
    for (const b of busy) {
      assert.equal(b.retryAfter, '1')
      assert.deepEqual(b.json, { status: 'failure', reason: 'too busy' })
    }
    assert.equal(stats?.shedByQueue, 2 * MAX_QUEUED)
    // The queue drained: the next one is served.
    assert.equal((await verify(h.url, assertion)).json.status, 'okay')
  })

  test('never refuses while fewer callers than the queue holds are at it, however slow the machine', async () => {
    const assertion = bundle('idp.example')
    const shedBefore = stats?.shedByQueue ?? 0
    const answers = await together(MAX_QUEUED, assertion)
    assert.deepEqual(
      answers.map((a) => a.status),
      Array(MAX_QUEUED).fill(200),
    )
    // A site's pool of MAX_QUEUED connections, each posting as soon as its last answer is back.
    const loop = await Promise.all(
      Array.from({ length: MAX_QUEUED }, async () => {
        const statuses: number[] = []
        for (let i = 0; i < 25; i++) statuses.push((await verify(h.url, assertion)).status)
        return statuses
      }),
    )
    assert.deepEqual(loop.flat(), Array(25 * MAX_QUEUED).fill(200))
    assert.equal(stats?.shedByQueue, shedBefore)
  })
})

describe('verifications under way', () => {
  let h: Harness
  let stats: LoadStats | undefined
  let release: () => void = () => undefined
  const held = new Promise<void>((r) => {
    release = r
  })
  before(async () => {
    h = await startHarness({
      fallbackDomain: 'login.example',
      fallbackPublicKey: idp.publicKey.toJSON(),
      documents: { 'slow.example': doc() },
      gates: { 'slow.example': () => held },
      env: { VERIFIER_MAX_PENDING: '3', VERIFIER_MAX_LAG_MS: '0', VERIFIER_RETRY_AFTER_S: '7' },
      onLoadStats: (s) => {
        stats = s
      },
    })
  })
  after(async () => {
    release()
    await h.close()
  })

  test('past the limit: 503 too busy with Retry-After at once; the held ones then verify', async () => {
    const assertion = bundle('slow.example')
    const answers: Awaited<ReturnType<typeof verify>>[] = []
    // The IdP holds its answer until two callers have been turned away (or 10 s, and the test fails).
    const safety = setTimeout(release, 10_000)
    const all = Array.from({ length: 5 }, () =>
      verify(h.url, assertion).then((a) => {
        answers.push(a)
        if (answers.length === 2) release()
        return a
      }),
    )
    await Promise.all(all)
    clearTimeout(safety)
    const shed = answers.slice(0, 2)
    for (const a of shed) {
      assert.equal(a.status, 503)
      assert.equal(a.retryAfter, '7')
      assert.deepEqual(a.json, { status: 'failure', reason: 'too busy' })
    }
    for (const a of answers.slice(2)) assert.equal(a.json.status, 'okay', JSON.stringify(a.json))
    assert.equal(stats?.shedByPending, 2)
    assert.equal(stats?.pending, 0)
    // Counted apart from errors: a shed request is capacity, not a fault (the SLO still counts it).
    const text = await (await fetch(`${h.url}/metrics`)).text()
    assert.equal(
      metricSample(text, 'persona_verifier_verifications_total', { result: 'shed', reason: 'overload' }),
      2,
    )
    assert.equal(metricSample(text, 'persona_verifier_verifications_total', { result: 'error' }), 0)
    // Nothing is held any more: the next one is served.
    assert.equal((await verify(h.url, assertion)).json.status, 'okay')
  })
})

describe('event-loop delay', () => {
  let h: Harness
  let stats: LoadStats | undefined
  // The loop as the verifier reads it: calm, or saturated (40 ms late, fully busy), as the test says.
  let saturated = false
  before(async () => {
    h = await startHarness({
      fallbackDomain: 'login.example',
      fallbackPublicKey: idp.publicKey.toJSON(),
      documents: { 'idp.example': doc() },
      env: { VERIFIER_MAX_LAG_MS: '25', VERIFIER_MAX_PENDING: '0' },
      onLoadStats: (s) => {
        stats = s
      },
      loopSample: () => (saturated ? { lagMs: 40, utilisation: 1 } : { lagMs: 0, utilisation: 0.2 }),
    })
  })
  after(() => h.close())

  test('a saturated event loop sheds with 503 + Retry-After, then serves again', async () => {
    const assertion = bundle('idp.example')
    assert.equal((await verify(h.url, assertion)).json.status, 'okay')
    saturated = true
    // Requests keep coming, as they do at a saturated verifier, until one is turned away.
    const during: Awaited<ReturnType<typeof verify>>[] = []
    for (let i = 0; i < 100 && !during.some((a) => a.status === 503); i++) {
      during.push(...(await Promise.all(Array.from({ length: 4 }, () => verify(h.url, assertion)))))
    }
    const busy = during.find((a) => a.status === 503)
    assert.ok(busy, `no 503 in ${during.length} requests on a saturated loop`)
    assert.equal(busy.retryAfter, '1')
    assert.deepEqual(busy.json, { status: 'failure', reason: 'too busy' })
    assert.ok((stats?.shedByLag ?? 0) >= 1)
    assert.ok((stats?.admitted ?? 1) < 1)
    // Calm again: the admitted share climbs back and every request is served.
    saturated = false
    let a = await verify(h.url, assertion)
    for (let i = 0; i < 200 && (a.status === 503 || (stats?.admitted ?? 0) < 1); i++) {
      await sleep(SAMPLE_MS)
      a = await verify(h.url, assertion)
    }
    assert.equal(stats?.admitted, 1)
    assert.equal((await verify(h.url, assertion)).json.status, 'okay')
  })
})
