// SPDX-License-Identifier: MPL-2.0
// A browser's part of the wsapi, over HTTPS to the service name through a given undici dispatcher (a
// DNS-resolving one for the load tests, one pinned to a cluster for a deploy's smoke test): keeps its
// cookies, fetches the CSRF token, and gives the relying site's /verify.
import { randomBytes } from 'node:crypto'
import { bundleAssertion, generateKeyPair, signAssertion } from '@persona/browserid'
import { type Dispatcher, request } from 'undici'
import { firstLink, waitForMessage } from '../../test/fixtures/mailcatcher/client.ts'
import { SERVICE_NAME } from './plan.ts'

export interface Answer {
  readonly status: number
  readonly text: string
  readonly body: unknown
}

/** A field of a JSON answer. */
export function field(a: Answer, name: string): unknown {
  return typeof a.body === 'object' && a.body !== null ? Reflect.get(a.body, name) : undefined
}

export class WebClient {
  readonly #base: string
  readonly #dispatcher: Dispatcher
  readonly #cookies = new Map<string, string>()
  #csrf = ''

  constructor(dispatcher: Dispatcher, base = DEFAULT_BASE) {
    this.#dispatcher = dispatcher
    this.#base = base
  }

  async send(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    type = 'application/json',
  ): Promise<Answer> {
    const headers: Record<string, string> = {}
    if (this.#cookies.size > 0) headers.cookie = [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    if (body !== undefined) headers['content-type'] = type
    const res = await request(`${this.#base}${path}`, {
      method,
      headers,
      body: body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body),
      dispatcher: this.#dispatcher,
      headersTimeout: 20_000,
      bodyTimeout: 20_000,
    })
    const set = res.headers['set-cookie']
    for (const c of Array.isArray(set) ? set : set === undefined ? [] : [set]) {
      const m = /^([^=;\s]+)=([^;]*)/.exec(c)
      if (m?.[1] !== undefined && m[2] !== undefined) this.#cookies.set(m[1], m[2])
    }
    // A sign-in rotates the CSRF token; the answer carries the new one.
    const rotated = res.headers['x-csrf-token']
    if (typeof rotated === 'string' && rotated !== '') this.#csrf = rotated
    const text = await res.body.text()
    let parsed: unknown = text
    try {
      parsed = JSON.parse(text)
    } catch {
      // plain text (cert_key answers the certificate as text/plain)
    }
    return { status: res.statusCode, text, body: parsed }
  }

  /** The same browser (cookies, CSRF token) reaching the service through another dispatcher. */
  via(dispatcher: Dispatcher): WebClient {
    const c = new WebClient(dispatcher, this.#base)
    for (const [k, v] of this.#cookies) c.#cookies.set(k, v)
    c.#csrf = this.#csrf
    return c
  }

  async context(): Promise<Answer> {
    const r = await this.send('GET', '/wsapi/session_context')
    const token = field(r, 'csrf_token')
    if (r.status === 200 && typeof token === 'string') this.#csrf = token
    return r
  }

  get(call: string, query: Record<string, string> = {}): Promise<Answer> {
    const qs = new URLSearchParams(query).toString()
    return this.send('GET', `/wsapi/${call}${qs === '' ? '' : `?${qs}`}`)
  }

  async post(call: string, args: Record<string, unknown> = {}): Promise<Answer> {
    if (this.#csrf === '') {
      const c = await this.context()
      if (this.#csrf === '') return c
    }
    return this.send('POST', `/wsapi/${call}`, { ...args, csrf: this.#csrf })
  }

  /** A relying site's check of an assertion. */
  verify(assertion: string, audience: string): Promise<Answer> {
    return this.send('POST', '/verify', { assertion, audience })
  }
}

export const SITE = 'https://rp.example.test'

/** A fresh address in a domain that has no support document (so we are its identity provider). */
export function freshEmail(tag: string): string {
  return `${tag}-${randomBytes(5).toString('hex')}@users.${SERVICE_NAME.slice(SERVICE_NAME.indexOf('.') + 1)}`
}

function expect(ok: boolean, step: string, a: Answer): void {
  if (!ok) throw new Error(`${step}: ${a.status} ${a.text.slice(0, 200)}`)
}

const DEFAULT_BASE = `https://${SERVICE_NAME}`

/** Signs up `email` (stage_user, the mailed link, complete_user_creation); `base`: another entry. */
export async function signUp(
  d: Dispatcher,
  mailUrl: string,
  email: string,
  pass: string,
  base = DEFAULT_BASE,
): Promise<void> {
  const b = new WebClient(d, base)
  const since = new Date(Date.now() - 1000)
  const staged = await b.post('stage_user', { email, pass, site: SITE })
  expect(staged.status === 200 && field(staged, 'success') === true, 'stage_user', staged)
  const mail = await waitForMessage(email, { baseUrl: mailUrl, since, timeoutMs: 20_000 })
  const token = new URL(firstLink(mail) ?? 'x:').searchParams.get('token') ?? ''
  const done = await b.post('complete_user_creation', { token })
  expect(done.status === 200 && field(done, 'success') === true, 'complete_user_creation', done)
}

/** Signs in (authenticate_user), gets a certificate (cert_key) and returns a backed assertion for SITE. */
export async function signIn(
  d: Dispatcher,
  email: string,
  pass: string,
  base = DEFAULT_BASE,
): Promise<{ assertion: string; client: WebClient }> {
  const b = new WebClient(d, base)
  const auth = await b.post('authenticate_user', { email, pass, ephemeral: false })
  expect(auth.status === 200 && field(auth, 'success') === true, 'authenticate_user', auth)
  const user = await generateKeyPair('RS256')
  const cert = await b.post('cert_key', { email, pubkey: user.publicKey.serialize(), ephemeral: false })
  expect(cert.status === 200 && cert.text.split('.').length === 3, 'cert_key', cert)
  const a = signAssertion({ audience: SITE, exp: Date.now() + 120_000 }, user.secretKey)
  return { assertion: bundleAssertion([cert.text], a), client: b }
}

/** Verifies `assertion` for SITE; throws unless the verifier says okay for `email`. */
export async function verifyOkay(
  d: Dispatcher,
  assertion: string,
  email: string,
  base = DEFAULT_BASE,
): Promise<void> {
  const v = await new WebClient(d, base).verify(assertion, SITE)
  expect(v.status === 200 && field(v, 'status') === 'okay' && field(v, 'email') === email, '/verify', v)
}

/**
 * A deploy's smoke test through one cluster's own entry: sign-up, sign-in with cert_key, and /verify
 * okay. Resolves with how long it took; throws naming the failed step.
 */
export async function smokeTest(d: Dispatcher, mailUrl: string): Promise<number> {
  const t0 = performance.now()
  const email = freshEmail('smoke')
  const pass = `smoke-${randomBytes(6).toString('hex')}`
  await signUp(d, mailUrl, email, pass)
  const { assertion } = await signIn(d, email, pass)
  await verifyOkay(d, assertion, email)
  return Math.round(performance.now() - t0)
}
