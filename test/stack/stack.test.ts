// SPDX-License-Identifier: MPL-2.0
// The whole local stack as `make dev` starts it (startStack: MariaDB pair, mail catcher, seven
// services, nginx, fixtures), on free ports in a temp dir, checked through nginx only: heartbeats, the
// support document, session_context, a failing /verify, 404 for the writer's internal calls, mail out
// through SMTP, a JSON 502 while reader is down, and a shutdown that leaves no process behind, then a
// restart on the same state.
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { request as httpRequest } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { isPortInUse, SERVICES } from '@persona/kit'
import { type Stack, startStack } from '../../scripts/dev/stack.ts'
import { waitForMessage } from '../fixtures/mailcatcher/client.ts'

interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** A request with any Host header (fetch will not set one). */
function send(
  base: string,
  path: string,
  opts: { method?: string; host?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const url = new URL(path, base)
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method: opts.method ?? 'GET',
        headers: {
          ...opts.headers,
          ...(opts.host ? { host: opts.host } : {}),
          ...(opts.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(opts.body)) }),
        },
        timeout: 20_000,
      },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => {
          body += c
        })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
      },
    )
    req.on('timeout', () => req.destroy(new Error(`timeout on ${path}`)))
    req.on('error', reject)
    req.end(opts.body)
  })
}

const json = (a: Answer): Record<string, unknown> => JSON.parse(a.body) as Record<string, unknown>

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('the local stack through nginx', () => {
  let dir: string
  let stack: Stack | undefined
  let base: string

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'persona-stack-'))
    stack = await startStack({ dir, env: { BCRYPT_ROUNDS: '4' }, logLevel: 'warn' })
    base = stack.urls.public
  })
  after(async () => {
    await stack?.stop()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('answers every heartbeat: router (deep: reader, static) and verifier through nginx, each service deep', async () => {
    const router = await send(base, '/__heartbeat__?deep=1')
    assert.equal(router.status, 200, router.body)
    const checks = json(router).checks as Record<string, { ok: boolean }>
    assert.equal(checks.reader?.ok, true)
    assert.equal(checks.static?.ok, true)
    const verifier = await send(base, '/__heartbeat__?deep=1', { host: stack?.urls.verifierHost ?? '' })
    assert.equal(verifier.status, 200, verifier.body)
    assert.equal(json(verifier).service, 'verifier')
    // The other services are not reachable through nginx by design; ask them directly.
    for (const svc of SERVICES) {
      const res = await send(stack?.urls.services[svc] ?? '', '/__heartbeat__?deep=1')
      assert.equal(res.status, 200, `${svc}: ${res.body}`)
      assert.equal(json(res).service, svc)
    }
  })

  it('serves /.well-known/browserid with the key made on first run', async () => {
    const res = await send(base, '/.well-known/browserid')
    assert.equal(res.status, 200)
    assert.match(String(res.headers['content-type']), /json/)
    const doc = json(res)
    const key = JSON.parse(await readFile(stack?.keys.publicKeyFile ?? '', 'utf8')) as unknown
    assert.deepEqual(doc['public-key'], key)
    assert.equal(typeof doc.authentication, 'string')
    assert.equal(typeof doc.provisioning, 'string')
  })

  it('answers session_context for a new visitor', async () => {
    const res = await send(base, '/wsapi/session_context')
    assert.equal(res.status, 200, res.body)
    const ctx = json(res)
    assert.equal(typeof ctx.csrf_token, 'string')
    assert.equal(ctx.authenticated, false)
    assert.equal(typeof ctx.server_time, 'number')
  })

  it('serves the sign-in page from static with its CSP', async () => {
    const res = await send(base, '/sign_in')
    assert.equal(res.status, 200)
    assert.match(String(res.headers['content-type']), /text\/html/)
    assert.match(String(res.headers['content-security-policy']), /frame-ancestors 'none'/)
    assert.match(
      String(res.headers['content-security-policy']),
      new RegExp(`frame-src 'self' https: ${stack?.urls.testIdp ?? ''}`),
    )
    const missing = await send(base, '/no/such/page')
    assert.equal(missing.status, 404)
    assert.match(String(missing.headers['content-type']), /text\/html/)
  })

  it('fails /verify for a bad assertion, by path and by the verifier host name', async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' }
    const body = 'assertion=not-an-assertion&audience=http%3A%2F%2Fexample.test'
    for (const host of [undefined, stack?.urls.verifierHost]) {
      const res = await send(base, '/verify', {
        method: 'POST',
        body,
        headers: form,
        ...(host ? { host } : {}),
      })
      assert.equal(res.status, 200, res.body)
      const v = json(res)
      assert.equal(v.status, 'failure')
      assert.equal(typeof v.reason, 'string')
    }
  })

  it('answers 404 for the writer and certifier internals', async () => {
    for (const [method, path] of [
      ['GET', '/wsapi/saw_idp?domain=example.test'],
      ['GET', '/wsapi/increment_failed_auth_tries?userid=1'],
      ['POST', '/wsapi/create_account_with_assertion'],
      ['POST', '/wsapi/user_used_email_as'],
    ] as const) {
      const res = await send(base, path, {
        method,
        body: '{}',
        headers: { 'content-type': 'application/json' },
      })
      assert.equal(res.status, 404, `${method} ${path}: ${res.body}`)
    }
    // The certifier's signing route exists only as a wsapi call on reader; elsewhere nothing answers.
    for (const path of ['/cert_key', '/certifier/wsapi/cert_key', '/writer/wsapi/ping']) {
      assert.equal((await send(base, path, { method: 'POST', body: '{}' })).status, 404, path)
    }
  })

  it('sends mail from the writer to the mail catcher', async () => {
    const ctx = await send(base, '/wsapi/session_context')
    const cookie = String(ctx.headers['set-cookie'] ?? '').split(';')[0] ?? ''
    const email = `stack-${Date.now()}@example.test`
    const res = await send(base, '/wsapi/stage_user', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({
        email,
        pass: 'a fine password',
        site: 'http://example.test',
        csrf: json(ctx).csrf_token,
      }),
    })
    assert.equal(res.status, 200, res.body)
    const msg = await waitForMessage(email, { baseUrl: stack?.urls.mail ?? '', timeoutMs: 15_000 })
    assert.ok(msg.Text.includes(`${base}/verify_email_address?token=`), msg.Text)
  })

  it('answers a JSON 502 while reader is down, and recovers when it is back', async () => {
    await stack?.stopService('reader')
    const res = await send(base, '/wsapi/session_context')
    assert.equal(res.status, 502)
    assert.match(String(res.headers['content-type']), /json/)
    assert.deepEqual(json(res), { success: false, code: 'ERR_BAD_GATEWAY', reason: 'reader is unavailable' })
    const deep = await send(base, '/__heartbeat__?deep=1')
    assert.equal(deep.status, 503)
    assert.equal((json(deep).checks as Record<string, { ok: boolean }>).reader?.ok, false)
    assert.equal((await send(base, '/sign_in')).status, 200, 'pages still work')
    await stack?.startService('reader')
    assert.equal((await send(base, '/wsapi/session_context')).status, 200)
  })

  it('shuts down cleanly, leaving no process and no port behind; restarts on the same state', async () => {
    const s = stack
    assert.ok(s)
    const pids = s.pids()
    assert.ok(pids.length >= SERVICES.length + 4, `pids: ${pids.join(',')}`)
    const keyBefore = await readFile(s.keys.publicKeyFile, 'utf8')
    await s.stop()
    stack = undefined
    const left = pids.filter(alive)
    assert.deepEqual(left, [], `still running: ${left.join(',')}`)
    assert.equal(await isPortInUse(s.ports.nginx), false)
    for (const svc of SERVICES) assert.equal(await isPortInUse(s.ports[svc]), false, svc)

    // A second start on the same dir reuses secrets, keys and databases.
    stack = await startStack({ dir, env: { BCRYPT_ROUNDS: '4' }, logLevel: 'warn' })
    assert.equal(await readFile(stack.keys.publicKeyFile, 'utf8'), keyBefore)
    const doc = json(await send(stack.urls.public, '/.well-known/browserid'))
    assert.deepEqual(doc['public-key'], JSON.parse(keyBefore))
    assert.equal((await send(stack.urls.public, '/wsapi/session_context')).status, 200)
  })
})
