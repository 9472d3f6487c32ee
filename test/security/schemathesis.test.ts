// SPDX-License-Identifier: MPL-2.0
// Fuzzing by a tool nobody here wrote: Schemathesis (from PyPI, installed by scripts/deps.sh test into
// .tools/schemathesis) against the live local stack, as `make dev` runs it. It reads the public API's
// OpenAPI description where relying sites read it (GET /openapi.json through nginx) and the proxy's
// own description on its internal port, and runs every operation with bounded examples (coverage and
// fuzzing phases, positive and negative data), checking for server errors, answers that do not
// conform to the declared schemas, and undeclared status codes. Zero failures. Reports (JUnit) go to
// test-output/schemathesis/; a failure prints Schemathesis's own account, seed and replay command.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { generateKeyPair } from '@persona/browserid'
import { WSAPI_CALLS } from '@persona/wsapi'
import { type Stack, startStack } from '../../scripts/dev/stack.ts'
import { firstLink, waitForMessage } from '../fixtures/mailcatcher/client.ts'

const ROOT = join(import.meta.dirname, '..', '..')
const ST = join(ROOT, '.tools', 'schemathesis', 'bin', 'st')
const REPORTS = join(ROOT, 'test-output', 'schemathesis')
const CHECKS = 'not_a_server_error,response_schema_conformance,status_code_conformance'

interface Run {
  readonly code: number | null
  readonly output: string
}

function schemathesis(args: readonly string[], cwd: string, env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    // Run in a scratch directory: Schemathesis keeps a cache (.schemathesis/) where it runs.
    const child = spawn(ST, [...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', SCHEMATHESIS_TELEMETRY: 'false', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (c: Buffer) => {
      output += c.toString()
    })
    child.stderr.on('data', (c: Buffer) => {
      output += c.toString()
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, output }))
  })
}

/** Every operation of a description, as `METHOD path`. */
async function operations(url: string): Promise<string[]> {
  const doc = (await (await fetch(url)).json()) as { paths?: Record<string, Record<string, unknown>> }
  return Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`),
  )
}

interface FuzzOptions {
  readonly name: string
  readonly description: string
  readonly maxExamples: number
  readonly cwd: string
  readonly env?: Record<string, string>
}

/**
 * What a run sent: the answers each operation (`METHOD path`) got, by status, from Schemathesis's HAR
 * report; a 400 for a body that was not even read (not JSON) counts as `400 unread`.
 */
type Answers = Map<string, Map<string, number>>

interface HarEntry {
  readonly request: { readonly method: string; readonly url: string }
  readonly response: { readonly status: number; readonly content: { readonly text?: string } }
}

async function answersOf(har: string): Promise<Answers> {
  const entries = (JSON.parse(await readFile(har, 'utf8')) as { log: { entries: HarEntry[] } }).log.entries
  const answers: Answers = new Map()
  for (const e of entries) {
    const op = `${e.request.method} ${new URL(e.request.url).pathname}`
    const unread = e.response.status === 400 && /not valid JSON/.test(e.response.content.text ?? '')
    const kind = unread ? '400 unread' : String(e.response.status)
    const byKind = answers.get(op) ?? new Map<string, number>()
    byKind.set(kind, (byKind.get(kind) ?? 0) + 1)
    answers.set(op, byKind)
  }
  return answers
}

async function fuzz(o: FuzzOptions): Promise<Answers> {
  const ops = await operations(o.description)
  assert.ok(ops.length > 0, `${o.description} describes no operation`)
  const har = join(REPORTS, `${o.name}.har`)
  const args = [
    'run',
    o.description,
    '--checks',
    CHECKS,
    '--max-examples',
    String(o.maxExamples),
    // One worker: Python 3.11's ast module is not safe to use from two of Schemathesis's threads.
    '--workers',
    '1',
    '--request-timeout',
    '30',
    '--no-color',
    '--report',
    'junit,har',
    '--report-junit-path',
    join(REPORTS, `${o.name}.xml`),
    '--report-har-path',
    har,
  ]
  const t0 = performance.now()
  const run = await schemathesis(args, o.cwd, o.env ?? {})
  const seconds = Math.round((performance.now() - t0) / 1000)
  assert.equal(run.code, 0, `Schemathesis found failures in ${o.name}:\n${run.output}`)
  // Every operation was run, none skipped or errored.
  assert.match(run.output, new RegExp(`Selected: ${ops.length}/${ops.length}\\s+Tested: ${ops.length}\\b`))
  assert.match(run.output, /No issues found|passed/)
  assert.doesNotMatch(run.output, /❌|errored/)
  const answers = await answersOf(har)
  // (Schemathesis also tries the methods a path does not declare: those answers are counted too.)
  for (const op of ops) assert.ok(answers.has(op), `${op} was sent no request`)
  const requests = [...answers.values()].reduce((n, m) => n + [...m.values()].reduce((a, b) => a + b, 0), 0)
  const cases = /Test cases:\s*\n\s*(\d+) generated/.exec(run.output)?.[1] ?? '?'
  console.log(
    `schemathesis ${o.name}: ${ops.length} operations, ${cases} test cases, ${requests} requests, ${seconds} s`,
  )
  return answers
}

/** A browser's cookies, kept across answers as a browser keeps them. */
class Jar {
  readonly #cookies = new Map<string, string>()
  csrf = ''
  email = ''

  get header(): string {
    return [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }

  async send(url: string, body?: Record<string, unknown>): Promise<Record<string, unknown>> {
    const res = await fetch(url, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { cookie: this.header, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify({ ...body, csrf: this.csrf }) }),
    })
    for (const c of res.headers.getSetCookie()) {
      const m = /^([^=;\s]+)=([^;]*)/.exec(c)
      if (m?.[1] !== undefined && m[2] !== undefined) this.#cookies.set(m[1], m[2])
    }
    // A sign-in rotates the CSRF token; the answer carries the new one.
    this.csrf = res.headers.get('x-csrf-token') ?? this.csrf
    const answer = (await res.json()) as Record<string, unknown>
    assert.equal(res.status, 200, `${url}: ${res.status} ${JSON.stringify(answer)}`)
    return answer
  }
}

/** A new account (signed up through the mailed link), and a browser signed in to it with its password. */
async function signedIn(stack: Stack, tag: string): Promise<Jar> {
  const api = `${stack.urls.public}/wsapi`
  const email = `${tag}-${randomBytes(4).toString('hex')}@fuzz.persona.test`
  const pass = `fuzz-${randomBytes(8).toString('hex')}`
  const jar = new Jar()
  jar.email = email
  const context = async () => {
    jar.csrf = String((await jar.send(`${api}/session_context`)).csrf_token)
  }
  await context()
  const since = new Date(Date.now() - 1000)
  assert.equal(
    (await jar.send(`${api}/stage_user`, { email, pass, site: 'https://rp.fuzz.test' })).success,
    true,
  )
  const mail = await waitForMessage(email, { baseUrl: stack.urls.mail, since, timeoutMs: 20_000 })
  const token = new URL(firstLink(mail) ?? 'x:').searchParams.get('token') ?? ''
  assert.equal((await jar.send(`${api}/complete_user_creation`, { token })).success, true)
  // Signed in with the password (cert_key needs that level); the CSRF token may turn at sign-in.
  await context()
  assert.equal((await jar.send(`${api}/authenticate_user`, { email, pass, ephemeral: false })).success, true)
  await context()
  return jar
}

describe('Schemathesis against the live stack', () => {
  let dir: string
  let stack: Stack | undefined

  before(async () => {
    assert.ok(existsSync(ST), `no Schemathesis at ${ST}: scripts/deps.sh test installs it`)
    await mkdir(REPORTS, { recursive: true })
    dir = await mkdtemp(join(tmpdir(), 'persona-schemathesis-'))
    stack = await startStack({
      dir,
      env: { BCRYPT_ROUNDS: '4' },
      logLevel: 'warn',
      fixtures: false,
      serviceEnv: {
        // Fuzzed domains may resolve on a machine with DNS: a short fetch keeps the run bounded.
        proxy: { PROXY_TIMEOUT_MS: '1500' },
        // Limits high enough that the calls behind them are exercised, not just refused with 429.
        reader: { RATE_SIGNIN_PER_MIN: '100000', RATE_EMAIL_PER_HOUR: '100000' },
        // A loaded test machine is not a saturated verifier: its 503 would read as a server error.
        verifier: { VERIFIER_MAX_LAG_MS: '0' },
      },
    })
  })
  after(async () => {
    await stack?.stop()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('the public API (/openapi.json through nginx): every operation, no failure', async () => {
    assert.ok(stack)
    // Signed-in sessions and their CSRF tokens go with every request (schemathesis_hooks.py), so
    // generated calls reach the argument checks and the handlers.
    const sessions: Record<string, { cookie: string; csrf: string; email: string }> = {}
    for (const path of ['*', '/wsapi/logout', '/wsapi/account_cancel']) {
      const jar = await signedIn(stack, 'fuzz')
      sessions[path] = { cookie: jar.header, csrf: jar.csrf, email: jar.email }
    }
    // cert_key gets the signed-in address and a real key for part of its requests (the hooks).
    const user = await generateKeyPair('RS256')
    const answers = await fuzz({
      name: 'public',
      description: `${stack.urls.public}/openapi.json`,
      maxExamples: 40,
      cwd: dir,
      env: {
        PYTHONPATH: import.meta.dirname,
        SCHEMATHESIS_HOOKS: 'schemathesis_hooks',
        PERSONA_SESSIONS: JSON.stringify(sessions),
        PERSONA_PUBKEY: user.publicKey.serialize(),
      },
    })
    // The sessions worked: every POST got past the CSRF check, and every call that needs a signed-in
    // session past the sign-in check, at least once (else the fuzzing stopped at the door); the
    // calls that end a session did end one, and cert_key issued a certificate.
    for (const c of WSAPI_CALLS.filter((x) => !x.internal)) {
      const statuses = answers.get(`${c.method} /wsapi/${c.name}`) ?? new Map<string, number>()
      // 200, or the call's own refusal of its arguments (400) or of the state (409).
      const through = [...statuses.keys()].filter((s) => ['200', '400', '409'].includes(s))
      assert.ok(through.length > 0, `${c.name} never got past the door: ${JSON.stringify([...statuses])}`)
    }
    for (const op of ['POST /wsapi/logout', 'POST /wsapi/account_cancel', 'POST /wsapi/cert_key'])
      assert.ok(
        answers.get(op)?.has('200'),
        `${op} never succeeded: ${JSON.stringify([...(answers.get(op) ?? [])])}`,
      )
  })

  it("the proxy's contract (its /openapi.json): every operation, no failure", async () => {
    assert.ok(stack)
    await fuzz({
      name: 'proxy',
      description: `${stack.urls.services.proxy}/openapi.json`,
      maxExamples: 40,
      cwd: dir,
    })
  })
})
