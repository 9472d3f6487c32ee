// SPDX-License-Identifier: MPL-2.0
// Small helpers for the container tests: run the docker CLI, find a compose project's containers by
// label (names differ between Compose v2 and docker-compose 1.29), probe a TCP port from inside a
// container, and a cookie-keeping wsapi client that reaches Persona only through nginx's published port.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

const run = promisify(execFile)

export interface ExecResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Runs a command; never throws on a non-zero exit (the caller asserts on `code`). */
export async function sh(cmd: string, args: readonly string[], timeoutMs = 60_000): Promise<ExecResult> {
  try {
    const r = await run(cmd, [...args], { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 })
    return { code: 0, stdout: r.stdout, stderr: r.stderr }
  } catch (e) {
    const o = typeof e === 'object' && e !== null ? e : {}
    const code = 'code' in o && typeof o.code === 'number' ? o.code : 1
    const stdout = 'stdout' in o && typeof o.stdout === 'string' ? o.stdout : ''
    const stderr = 'stderr' in o && typeof o.stderr === 'string' ? o.stderr : String(e)
    return { code, stdout, stderr }
  }
}

export async function docker(args: readonly string[], timeoutMs = 60_000): Promise<ExecResult> {
  return sh('docker', args, timeoutMs)
}

/** Compose v2 as a docker plugin when present, else docker-compose 1.29. */
export async function composeCommand(): Promise<string[]> {
  return (await docker(['compose', 'version'])).code === 0 ? ['docker', 'compose'] : ['docker-compose']
}

/** Every container (running or not) of a compose project, by its service label. */
export async function projectContainers(project: string): Promise<Map<string, string>> {
  const r = await docker([
    'ps',
    '-a',
    '--filter',
    `label=com.docker.compose.project=${project}`,
    '--format',
    '{{.ID}} {{.Label "com.docker.compose.service"}}',
  ])
  const out = new Map<string, string>()
  for (const line of r.stdout.split('\n')) {
    const [id, service] = line.trim().split(' ')
    if (id !== undefined && service !== undefined && id !== '') out.set(service, id)
  }
  return out
}

/** `docker inspect` of one container as parsed JSON (the first element). */
export async function inspect(id: string): Promise<Record<string, unknown>> {
  const r = await docker(['inspect', id])
  if (r.code !== 0) throw new Error(`docker inspect ${id}: ${r.stderr}`)
  const v: unknown = JSON.parse(r.stdout)
  const first: unknown = Array.isArray(v) ? v[0] : undefined
  if (typeof first !== 'object' || first === null) throw new Error(`docker inspect ${id}: no result`)
  return { ...first }
}

export function path(v: unknown, ...keys: string[]): unknown {
  let cur = v
  for (const k of keys) {
    if (typeof cur !== 'object' || cur === null) return undefined
    cur = Reflect.get(cur, k)
  }
  return cur
}

/**
 * Tries a TCP connection from inside a container to host:port. Node images use node; the others
 * (nginx, mariadb) bash's /dev/tcp. True only when the connection opened.
 */
export async function canConnect(
  container: string,
  host: string,
  port: number,
  hasNode: boolean,
): Promise<boolean> {
  const cmd = hasNode
    ? [
        'node',
        '-e',
        `const s=require('node:net').connect({host:${JSON.stringify(host)},port:${port},timeout:3000});` +
          `s.on('connect',()=>{console.log('open');process.exit(0)});` +
          `s.on('timeout',()=>{console.log('timeout');process.exit(1)});s.on('error',(e)=>{console.log(e.code);process.exit(1)})`,
      ]
    : ['timeout', '4', 'bash', '-c', `exec 3<>/dev/tcp/${host}/${port} && echo open`]
  const r = await docker(['exec', container, ...cmd], 20_000)
  return r.code === 0 && r.stdout.includes('open')
}

export interface WsapiResponse {
  readonly status: number
  readonly text: string
  readonly body: unknown
}

/** A browser's view of Persona through nginx: keeps the session cookie and echoes the CSRF token. */
export class WsapiClient {
  readonly base: string
  /** Every Set-Cookie header seen, as sent (tests read its attributes: Secure, SameSite). */
  readonly setCookies: string[] = []
  private cookies = new Map<string, string>()
  private csrf = ''
  private readonly dispatcher: object | undefined

  /** `dispatcher`: how to connect (an undici Agent trusting a test CA, resolving a test name). */
  constructor(base: string, dispatcher?: object) {
    this.base = base
    this.dispatcher = dispatcher
  }

  private async send(method: string, url: string, body?: unknown): Promise<WsapiResponse> {
    const headers: Record<string, string> = {}
    if (this.cookies.size > 0) {
      headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    }
    if (body !== undefined) headers['content-type'] = 'application/json'
    const init = {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(this.dispatcher === undefined ? {} : { dispatcher: this.dispatcher }),
      signal: AbortSignal.timeout(30_000),
    }
    // The dispatcher is undici's own Agent; fetch's types name an older copy of the same interface.
    const res = await fetch(url, init as RequestInit)
    for (const c of res.headers.getSetCookie()) {
      this.setCookies.push(c)
      const m = /^([^=;\s]+)=([^;]*)/.exec(c)
      if (m?.[1] !== undefined && m[2] !== undefined) this.cookies.set(m[1], m[2])
    }
    // A sign-in rotates the CSRF token; the answer carries the new one.
    this.csrf = res.headers.get('x-csrf-token') ?? this.csrf
    const text = await res.text()
    let parsed: unknown = text
    try {
      parsed = JSON.parse(text)
    } catch {
      // plain text (cert_key answers the certificate as text/plain)
    }
    return { status: res.status, text, body: parsed }
  }

  async context(): Promise<Record<string, unknown>> {
    const r = await this.send('GET', `${this.base}/wsapi/session_context`)
    const token = path(r.body, 'csrf_token')
    if (r.status !== 200 || typeof token !== 'string') {
      throw new Error(`session_context: ${r.status} ${r.text}`)
    }
    this.csrf = token
    return typeof r.body === 'object' && r.body !== null ? { ...r.body } : {}
  }

  get(call: string, query: Record<string, string> = {}): Promise<WsapiResponse> {
    const qs = new URLSearchParams(query).toString()
    return this.send('GET', `${this.base}/wsapi/${call}${qs === '' ? '' : `?${qs}`}`)
  }

  async post(call: string, args: Record<string, unknown> = {}): Promise<WsapiResponse> {
    if (this.csrf === '') await this.context()
    return this.send('POST', `${this.base}/wsapi/${call}`, { ...args, csrf: this.csrf })
  }
}

export interface Journey {
  /** The public origin, as the mailed links name it. */
  readonly base: string
  /** Where the browser connects, when not `base` (a load balancer stand-in on another port). */
  readonly via?: string
  /** The verifier's URL for relying sites (by the site's path or the verifier host name). */
  readonly verifyUrl: string
  /** The mail catcher (or relay stand-in) that receives the verification mail. */
  readonly mailUrl: string
  readonly email: string
  readonly pass: string
  /** The relying site's origin: the assertion's audience. */
  readonly site: string
  /** How to connect (an undici Agent trusting a test CA and resolving a test name). */
  readonly dispatcher?: object
  /** How long a sign-in may take to find an account made a moment ago (replication). */
  readonly signInWithinMs?: number
}

/**
 * A user's whole way in, as a browser and a relying site do it: stage_user, the mailed link,
 * complete_user_creation, authenticate_user (a fresh browser), cert_key, and an assertion the verifier
 * answers `okay` to. Asserts each step.
 * @returns the mail and the verifier's answer
 */
export async function signUpAndVerify(j: Journey): Promise<{ mailId: string; verdict: unknown }> {
  const { firstLink, waitForMessage } = await import('../fixtures/mailcatcher/client.ts')
  const { bundleAssertion, generateKeyPair, signAssertion } = await import('@persona/browserid')
  const at = j.via ?? j.base
  const b = new WsapiClient(at, j.dispatcher)
  await b.context()
  const since = new Date(Date.now() - 1000)
  const staged = await b.post('stage_user', { email: j.email, pass: j.pass, site: j.site })
  assert.equal(staged.status, 200, staged.text)
  assert.deepEqual(staged.body, { success: true })
  const mail = await waitForMessage(j.email, { baseUrl: j.mailUrl, since, timeoutMs: 60_000 })
  const link = firstLink(mail) ?? ''
  assert.ok(link.startsWith(`${j.base}/verify_email_address?token=`), link)
  const done = await b.post('complete_user_creation', {
    token: new URL(link).searchParams.get('token') ?? '',
  })
  assert.deepEqual(done.body, { success: true }, done.text)

  const browser = new WsapiClient(at, j.dispatcher)
  const deadline = Date.now() + (j.signInWithinMs ?? 0)
  let auth = await browser.post('authenticate_user', { email: j.email, pass: j.pass, ephemeral: false })
  while (path(auth.body, 'success') !== true && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 1000))
    auth = await browser.post('authenticate_user', { email: j.email, pass: j.pass, ephemeral: false })
  }
  assert.equal(path(auth.body, 'success'), true, auth.text)
  const user = await generateKeyPair('RS256')
  const cert = await browser.post('cert_key', {
    email: j.email,
    pubkey: user.publicKey.serialize(),
    ephemeral: false,
  })
  assert.equal(cert.status, 200, cert.text)
  assert.equal(cert.text.split('.').length, 3, 'a JWS certificate')
  const assertion = signAssertion({ audience: j.site, exp: Date.now() + 120_000 }, user.secretKey)
  const init = {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ assertion: bundleAssertion([cert.text], assertion), audience: j.site }),
    ...(j.dispatcher === undefined ? {} : { dispatcher: j.dispatcher }),
    signal: AbortSignal.timeout(30_000),
  }
  const v = await fetch(j.verifyUrl, init as RequestInit)
  const verdict: unknown = await v.json()
  assert.equal(path(verdict, 'status'), 'okay', JSON.stringify(verdict))
  assert.equal(path(verdict, 'email'), j.email)
  assert.equal(path(verdict, 'audience'), j.site)
  return { mailId: mail.ID, verdict }
}
