// SPDX-License-Identifier: MPL-2.0
// The verifier's metrics as a real process in cluster mode: a scrape, whichever worker answers it,
// reports every worker's counts (aggregated in the primary), and verifications are counted by result
// and reason class.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { generateKeyPair } from '@persona/browserid'
import { freePort, metricSample } from '@persona/kit'

const server = new URL('../src/server.ts', import.meta.url).pathname

/** One POST on a fresh connection, so the primary hands it to the next worker. */
function post(port: number, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/verify',
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', connection: 'close' },
      },
      (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

test('cluster mode: every scrape sums all workers; verifications by result and reason class', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'verifier-metrics-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const { publicKey } = await generateKeyPair('RS256')
  writeFileSync(join(dir, 'pub.json'), publicKey.serialize())
  const port = await freePort()
  const child = spawn(process.execPath, [server], {
    env: {
      ...process.env,
      LOG_LEVEL: 'warn',
      VERIFIER_PORT: String(port),
      VERIFIER_MODE: 'cluster',
      VERIFIER_WORKERS: '2',
      PUBLIC_KEY_FILE: join(dir, 'pub.json'),
      ISSUER_DOMAIN: 'login.example',
      PROXY_URL: 'http://127.0.0.1:9',
      PERSONA_VERSION: '9.8.7-test',
    },
    stdio: 'ignore',
  })
  t.after(() => child.kill('SIGKILL'))
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/__heartbeat__`)).ok) break
    } catch {}
    if (i > 600 || child.exitCode !== null) throw new Error('verifier did not start')
    await new Promise((r) => setTimeout(r, 100))
  }
  // Both workers listening and answering the primary (each reports 1; the scrape shows the sum).
  for (let i = 0; ; i++) {
    const text = await (
      await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { connection: 'close' } })
    ).text()
    if (metricSample(text, 'persona_process_workers', { service: 'verifier' }) === 2) break
    if (i > 300) throw new Error(`workers never both reported:\n${text.slice(0, 400)}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  const N = 10
  for (let i = 0; i < N; i++) {
    assert.equal(
      await post(port, JSON.stringify({ assertion: 'not.an~assertion', audience: 'https://rp.example' })),
      200,
    )
  }
  assert.equal(await post(port, '{"audience":"https://rp.example"}'), 400)
  // Workers take connections in turn: each has about half; only the primary's sum gives N.
  for (let scrape = 0; scrape < 4; scrape++) {
    const res = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { connection: 'close' } })
    assert.equal(res.status, 200)
    const text = await res.text()
    assert.equal(
      metricSample(text, 'persona_verifier_verifications_total', { result: 'failure', reason: 'malformed' }),
      N,
      `scrape ${scrape} sums every worker`,
    )
    assert.equal(
      metricSample(text, 'persona_verifier_verifications_total', { result: 'failure', reason: 'request' }),
      1,
    )
    assert.equal(
      metricSample(text, 'persona_verifier_verification_duration_seconds_count', { result: 'failure' }),
      N + 1,
    )
    assert.equal(metricSample(text, 'persona_build_info', { service: 'verifier', version: '9.8.7-test' }), 1)
  }
})
