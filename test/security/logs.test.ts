// SPDX-License-Identifier: MPL-2.0
// No token, password, assertion, certificate, cookie or CSRF token in any log (issue 15 item 7): the
// whole local stack as `make dev` runs it (MariaDB, the seven services at debug level, nginx with low
// rate limits), driven through nginx with every kind of secret-bearing request -- sign-up, email
// links, sign-in, wrong passwords, certificates, /verify by body and by query string, requests
// refused by the rate limiter, too large, or sent while the reader is down -- then every file the
// stack wrote is read and searched for each secret.
import assert from 'node:assert/strict'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { bundleAssertion, generateKeyPair, signAssertion } from '@persona/browserid'
import { type Stack, startStack } from '../../scripts/dev/stack.ts'
import { Browser, field } from '../accounts/stack.ts'
import { waitForMessage } from '../fixtures/mailcatcher/client.ts'

const PASS = 'correct horse battery staple 7261'
const WRONG = 'wrong horse battery staple 9035'
const SITE = 'https://rp.example.com'

/**
 * Every log under `dir`: the processes' output (logs/), nginx's access and error logs, MariaDB's error
 * logs. (Not the databases' data, binary or redo logs: they hold tokens and hashes by design.)
 */
async function logsUnder(dir: string): Promise<{ path: string; text: string }[]> {
  const out: { path: string; text: string }[] = []
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name)
    if (!entry.isFile() || !(/\.(log|err)$/.test(path) || /\/logs\//.test(path))) continue
    out.push({ path, text: await readFile(path, 'latin1') })
  }
  return out
}

async function post(url: string, body: string, type: string): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': type }, body })
  return { status: res.status, text: await res.text() }
}

describe('secrets in logs', () => {
  let dir: string
  let stack: Stack | undefined
  /** name -> secret value that must appear in no log. */
  const secrets = new Map<string, string>()

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'persona-logs-'))
    stack = await startStack({
      dir,
      env: { BCRYPT_ROUNDS: '4' },
      logLevel: 'debug',
      fixtures: false,
      nginxRateLimits: { verify: { rate: 2, burst: 2 }, wsapi: { rate: 20, burst: 20 } },
    })
  })
  after(async () => {
    await stack?.stop()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('drives every kind of secret-bearing request through nginx', async () => {
    assert.ok(stack)
    const base = stack.urls.public
    const b = new Browser(base)
    const email = `logs-${Date.now()}@example.test`
    await b.context()
    secrets.set('csrf', b.csrf ?? '')
    const staged = await b.post('stage_user', { email, pass: PASS, site: SITE })
    assert.equal(staged.status, 200, staged.text)
    const mail = await waitForMessage(email, { baseUrl: stack.urls.mail, timeoutMs: 15_000 })
    const token = /token=([A-Za-z0-9]{48})/.exec(mail.Text)?.[1] ?? ''
    assert.equal(token.length, 48)
    secrets.set('token', token)
    // The link as the browser opens it, and the calls its page makes.
    assert.equal((await fetch(`${base}/verify_email_address?token=${token}`)).status, 200)
    assert.equal((await b.get('email_for_token', { token })).status, 200)
    assert.deepEqual((await b.post('complete_user_creation', { token })).body, { success: true })
    assert.equal(
      field(await b.post('authenticate_user', { email, pass: WRONG, ephemeral: false }), 'success'),
      false,
    )
    assert.equal(
      field(await b.post('authenticate_user', { email, pass: PASS, ephemeral: false }), 'success'),
      true,
    )
    secrets.set('cookie', b.cookieHeader.split('=').slice(1).join('='))
    const user = await generateKeyPair('RS256')
    const cert = await b.post('cert_key', { email, pubkey: user.publicKey.serialize(), ephemeral: false })
    assert.equal(cert.status, 200, cert.text)
    secrets.set('certificate signature', cert.text.split('.')[2] ?? '')
    const assertion = bundleAssertion(
      [cert.text],
      signAssertion({ audience: SITE, exp: Date.now() + 120_000 }, user.secretKey),
    )
    secrets.set('assertion signature', assertion.split('.').at(-1) ?? '')

    // /verify by JSON body, by form body and by query string; past the limit, nginx answers 429.
    const verdicts: number[] = []
    for (let i = 0; i < 6; i++) {
      const json = await post(
        `${base}/verify`,
        JSON.stringify({ assertion, audience: SITE }),
        'application/json',
      )
      const form = await post(
        `${base}/verify`,
        new URLSearchParams({ assertion, audience: SITE }).toString(),
        'application/x-www-form-urlencoded',
      )
      const query = await post(
        `${base}/verify?${new URLSearchParams({ assertion, audience: SITE })}`,
        '',
        'application/x-www-form-urlencoded',
      )
      verdicts.push(json.status, form.status, query.status)
    }
    assert.ok(verdicts.includes(200) && verdicts.includes(429), verdicts.join(','))
    // Email links and wsapi calls past the wsapi limit.
    const limited = await Promise.all(
      Array.from({ length: 60 }, () => fetch(`${base}/wsapi/email_for_token?token=${token}`)),
    )
    assert.ok(limited.some((r) => r.status === 429))
    await Promise.all(limited.map((r) => r.arrayBuffer()))
    // Too large, with the token in the query and the password in the body.
    const big = await post(
      `${base}/wsapi/authenticate_user?token=${token}`,
      JSON.stringify({ email, pass: PASS, pad: 'x'.repeat(100_000) }),
      'application/json',
    )
    assert.equal(big.status, 413)
    // A client that percent-encodes the query into the path.
    await fetch(`${base}/wsapi/email_for_token%3Ftoken%3D${token}`)
    // The reader down: nginx fails to reach its upstream with the token in the request line.
    await stack.stopService('reader')
    assert.equal((await fetch(`${base}/wsapi/email_for_token?token=${token}`)).status, 502)
    assert.equal((await b.post('authenticate_user', { email, pass: PASS, ephemeral: false })).status, 502)
    await stack.startService('reader')
  })

  it('finds none of them in any file the stack wrote', async () => {
    assert.ok(stack)
    await stack.stop()
    stack = undefined
    secrets.set('password', PASS)
    secrets.set('wrong password', WRONG)
    for (const [name, value] of secrets) assert.ok(value.length >= 16, `${name} is a real value`)
    const logs = await logsUnder(dir)
    assert.ok(
      logs.some((f) => f.path.endsWith('access.log')),
      'nginx wrote its access log',
    )
    assert.ok(
      logs.some((f) => f.path.endsWith('reader.log')),
      "the reader's log is among them",
    )
    const found: string[] = []
    for (const f of logs) {
      for (const [name, value] of secrets) {
        const line = f.text.split('\n').find((l) => l.includes(value))
        if (line !== undefined) found.push(`${name} in ${f.path}: ${line.slice(0, 400)}`)
      }
    }
    assert.deepEqual(found, [])
    // And nginx did log the refusals, without their query strings.
    const access = logs.find((f) => f.path.endsWith('access.log'))?.text ?? ''
    assert.match(access, /"limit_req":"REJECTED"/)
    assert.match(access, /"path":"\/wsapi\/email_for_token","status":502/)
  })
})
