// SPDX-License-Identifier: MPL-2.0
// Test stack for the account services: a real MariaDB master + replica, the mail catcher's SMTP
// listener, a primary IdP on a local port (reached through the real proxy's SHIMMED_PRIMARIES), and the
// certifier, writer and reader apps on free ports. `Browser` is a cookie-keeping wsapi client.
import { mkdtemp, rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateKeyPair, type SecretKey } from '@persona/browserid'
import { buildApp as buildCertifier, ensureKeys, loadCertifierConfig } from '@persona/certifier'
import { buildApp as buildProxy, type ProxyDeps, proxyConfig } from '@persona/proxy'
import { buildApp as buildReader, loadReaderConfig, type ReaderDeps } from '@persona/reader'
import { type DatabasePair, haveMariadb, startDatabases } from '@persona/store/launcher'
import { buildApp as buildVerifier, verifierConfig } from '@persona/verifier'
import { buildApp as buildWriter, loadWriterConfig } from '@persona/writer'
import Fastify, { type FastifyInstance } from 'fastify'
import { request } from 'undici'
import {
  type CaughtMessage,
  caughtIds,
  type MailCatcher,
  startMailCatcher,
  waitForCaught,
} from '../fixtures/mailcatcher/index.ts'

export { tokenOf } from '../fixtures/mailcatcher/index.ts'

export const SKIP = haveMariadb() ? false : 'mariadb-server is not installed'
export const WRITER_TOKEN = 'writer-token-for-tests-0123456789'
export const CERTIFIER_TOKEN = 'certifier-token-for-tests-0123456789'
export const PRIMARY_DOMAIN = 'primary.test'
/** Delegates its BrowserID authority to us: its users are ours (password accounts). */
export const DELEGATING_DOMAIN = 'delegating.test'
/** The issuer our certifier names (the verifier's fallback issuer). */
export const ISSUER = 'login.persona.test'
const PASSWORDS = { admin: 'acc-admin-pw', writer: 'acc-writer-pw', reader: 'acc-reader-pw' }

interface Listening {
  readonly app: FastifyInstance
  readonly url: string
}

async function listen(app: FastifyInstance): Promise<Listening> {
  await app.listen({ host: '127.0.0.1', port: 0 })
  const addr: AddressInfo | string | null = app.server.address()
  if (addr === null || typeof addr === 'string') throw new Error('no address')
  return { app, url: `http://127.0.0.1:${addr.port}` }
}

export interface StackOptions {
  /** Extra reader env (e.g. low rate limits). */
  readonly readerEnv?: Record<string, string>
  readonly writerEnv?: Record<string, string>
  /** The proxy's test hooks (resolver, address policy, connection port). */
  readonly proxyDeps?: ProxyDeps
  readonly proxyEnv?: Record<string, string>
  /** The reader's test hooks (a bcrypt hasher to watch). */
  readonly readerDeps?: Pick<ReaderDeps, 'hasher'>
}

export interface Stack {
  readonly readerUrl: string
  readonly writerUrl: string
  readonly certifierUrl: string
  readonly verifierUrl: string
  readonly publicKeyFile: string
  readonly mail: MailCatcher
  readonly db: DatabasePair
  /** The primary IdP's secret key (certifies *@primary.test). */
  readonly idpKey: SecretKey
  /** Where the primary IdP really listens (its shim): its pages are served from here. */
  readonly idpOrigin: string
  readonly audience: string
  /** The reader app itself (listening at readerUrl too): tests of the reader inject into it. */
  readonly reader: FastifyInstance
  /** A browser talking to the reader over its socket. */
  browser(): Browser
  /**
   * A browser whose requests are injected into the reader in process (fastify's `inject`), from
   * `ip` (default 127.0.0.1).
   */
  injected(ip?: string): Browser
  /** Ids of the messages caught so far (pass to waitForMail to skip them). */
  mark(): ReadonlySet<string>
  /** The newest message to `to` not in `seen`, waiting up to 10 s. */
  waitForMail(to: string, seen?: ReadonlySet<string>): Promise<CaughtMessage>
  stop(): Promise<void>
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const dir = await mkdtemp(join(tmpdir(), 'persona-accounts-'))
  const started: FastifyInstance[] = []
  let db: DatabasePair | undefined
  let mail: MailCatcher | undefined
  const stop = async () => {
    for (const a of started.reverse()) await a.close().catch(() => {})
    await mail?.stop().catch(() => {})
    await db?.stop().catch(() => {})
    await rm(dir, { recursive: true, force: true })
  }
  try {
    db = await startDatabases({ dir: join(dir, 'db'), passwords: PASSWORDS })
    mail = await startMailCatcher({ smtpPort: 0, httpPort: 0 })
    const keys = await ensureKeys(join(dir, 'keys'))

    const idp = await generateKeyPair('RS256')
    const idpApp = Fastify()
    idpApp.get('/.well-known/browserid', async () => ({
      'public-key': idp.publicKey.toJSON(),
      authentication: '/sign_in',
      provisioning: '/provision',
    }))
    started.push(idpApp)
    const idpServer = await listen(idpApp)
    // A domain that hands its authority to us (our PUBLIC_URL's host).
    const delegatingApp = Fastify()
    delegatingApp.get('/.well-known/browserid', async () => ({ authority: '127.0.0.1' }))
    started.push(delegatingApp)
    const delegatingServer = await listen(delegatingApp)

    const proxy = await buildProxy(
      proxyConfig({
        PROXY_PORT: '0',
        LOG_LEVEL: 'silent',
        SHIMMED_PRIMARIES: `${PRIMARY_DOMAIN}=${idpServer.url},${DELEGATING_DOMAIN}=${delegatingServer.url}`,
        ...opts.proxyEnv,
      }),
      opts.proxyDeps,
    )
    started.push(proxy)
    const proxyServer = await listen(proxy)

    const certifier = await buildCertifier(
      loadCertifierConfig({
        CERTIFIER_PRIVATE_KEY_FILE: keys.privateKeyFile,
        CERTIFIER_TOKEN,
        ISSUER_DOMAIN: ISSUER,
      }),
      { logger: false },
    )
    started.push(certifier)
    const certifierServer = await listen(certifier)

    const verifier = await buildVerifier(
      verifierConfig({
        VERIFIER_PORT: '0',
        LOG_LEVEL: 'silent',
        PUBLIC_KEY_FILE: keys.publicKeyFile,
        ISSUER_DOMAIN: ISSUER,
        PROXY_URL: proxyServer.url,
        VERIFIER_WORKERS: '1',
      }),
    )
    started.push(verifier)
    const verifierServer = await listen(verifier)

    const publicUrl = 'http://127.0.0.1:8080'
    const writer = await buildWriter(
      loadWriterConfig({
        ...db.env('WRITER'),
        WRITER_TOKEN,
        PUBLIC_URL: publicUrl,
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(mail.smtpPort),
        BCRYPT_ROUNDS: '4',
        ...opts.writerEnv,
      }),
      { logger: false, checkReplies: true },
    )
    started.push(writer)
    const writerServer = await listen(writer)

    const reader = await buildReader(
      loadReaderConfig({
        ...db.env('READER'),
        SESSION_SECRET: 'a-session-secret-for-tests-only-0123456789',
        WRITER_URL: writerServer.url,
        WRITER_TOKEN,
        CERTIFIER_URL: certifierServer.url,
        CERTIFIER_TOKEN,
        PROXY_URL: proxyServer.url,
        PUBLIC_URL: publicUrl,
        PUBLIC_KEY_FILE: keys.publicKeyFile,
        COOKIE_SECURE: 'false',
        BCRYPT_ROUNDS: '4',
        RATE_SIGNIN_PER_MIN: '1000',
        RATE_EMAIL_PER_HOUR: '1000',
        ...opts.readerEnv,
      }),
      { logger: false, checkReplies: true, ...opts.readerDeps },
    )
    started.push(reader)
    const readerServer = await listen(reader)
    const catcher = mail

    return {
      readerUrl: readerServer.url,
      writerUrl: writerServer.url,
      certifierUrl: certifierServer.url,
      verifierUrl: verifierServer.url,
      publicKeyFile: keys.publicKeyFile,
      mail: catcher,
      db,
      idpKey: idp.secretKey,
      idpOrigin: idpServer.url,
      audience: publicUrl,
      reader,
      browser: () => new Browser(readerServer.url),
      injected: (ip) => new Browser(injectTransport(reader, ip)),
      mark: () => caughtIds(catcher),
      waitForMail: (to, seen) => waitForCaught(catcher, to, seen),
      stop,
    }
  } catch (e) {
    await stop()
    throw e
  }
}

export interface Answer {
  readonly status: number
  readonly body: unknown
  readonly text: string
  readonly headers: Record<string, string | string[] | undefined>
}

/** How a Browser's requests reach the reader. */
type Transport = (
  method: 'GET' | 'POST',
  path: string,
  headers: Record<string, string>,
  body: string | undefined,
) => Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }>

/** Over a socket, as a real browser (through nginx and the router in production). */
function socketTransport(base: string): Transport {
  return async (method, path, headers, body) => {
    const res = await request(`${base}${path}`, { method, headers, body: body ?? null })
    return { status: res.statusCode, headers: res.headers, text: await res.body.text() }
  }
}

/** In process, through fastify's `inject` (fastify/demo's pattern for testing one service on its own). */
function injectTransport(app: FastifyInstance, ip?: string): Transport {
  return async (method, path, headers, body) => {
    const res = await app.inject({
      method,
      url: path,
      headers,
      ...(ip === undefined ? {} : { remoteAddress: ip }),
      ...(body === undefined ? {} : { payload: body }),
    })
    const out: Record<string, string | string[] | undefined> = {}
    for (const [k, v] of Object.entries(res.headers)) out[k] = typeof v === 'number' ? String(v) : v
    return { status: res.statusCode, headers: out, text: res.body }
  }
}

/** One browser: keeps the session cookie, fetches the CSRF token, sends JSON. */
export class Browser {
  readonly #transport: Transport
  readonly #cookies = new Map<string, string>()
  csrf: string | undefined

  /** `base`: the reader's (or nginx's) URL, reached over a socket; or any transport. */
  constructor(base: string | Transport) {
    this.#transport = typeof base === 'string' ? socketTransport(base) : base
  }

  get cookieHeader(): string {
    return [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }

  /** Drops the cookies (a different browser with the same token). */
  forget(): void {
    this.#cookies.clear()
    this.csrf = undefined
  }

  /** Another browser holding a copy of this one's cookies and CSRF token (a stolen cookie). */
  copy(): Browser {
    const other = new Browser(this.#transport)
    for (const [k, v] of this.#cookies) other.#cookies.set(k, v)
    other.csrf = this.csrf
    return other
  }

  async #send(method: 'GET' | 'POST', path: string, body?: string, type?: string): Promise<Answer> {
    const headers: Record<string, string> = {}
    if (this.#cookies.size > 0) headers.cookie = this.cookieHeader
    if (type !== undefined) headers['content-type'] = type
    const res = await this.#transport(method, path, headers, body)
    // A sign-in rotates the CSRF token; the answer carries the new one (as the dialog's client takes it).
    const rotated = res.headers['x-csrf-token']
    if (typeof rotated === 'string' && rotated !== '') this.csrf = rotated
    const set = res.headers['set-cookie']
    for (const c of Array.isArray(set) ? set : set === undefined ? [] : [set]) {
      const first = c.split(';')[0] ?? ''
      const eq = first.indexOf('=')
      if (eq > 0) {
        const value = first.slice(eq + 1)
        if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(c))
          this.#cookies.delete(first.slice(0, eq))
        else this.#cookies.set(first.slice(0, eq), value)
      }
    }
    const text = res.text
    let parsed: unknown = text
    if (String(res.headers['content-type'] ?? '').includes('json')) {
      try {
        parsed = JSON.parse(text)
      } catch {
        parsed = text
      }
    }
    return { status: res.status, body: parsed, text, headers: res.headers }
  }

  get(name: string, query: Record<string, string> = {}): Promise<Answer> {
    const qs = new URLSearchParams(query).toString()
    return this.#send('GET', `/wsapi/${name}${qs === '' ? '' : `?${qs}`}`)
  }

  /** POSTs JSON with this browser's CSRF token (fetched first when missing). */
  async post(
    name: string,
    body: Record<string, unknown> = {},
    opts: { csrf?: string | null } = {},
  ): Promise<Answer> {
    if (this.csrf === undefined && opts.csrf === undefined) await this.context()
    const csrf = opts.csrf === undefined ? this.csrf : opts.csrf
    const payload = csrf === null ? body : { ...body, csrf }
    return this.#send('POST', `/wsapi/${name}`, JSON.stringify(payload), 'application/json')
  }

  /** session_context; remembers the CSRF token. */
  async context(): Promise<Record<string, unknown>> {
    const r = await this.get('session_context')
    const b = r.body
    if (typeof b !== 'object' || b === null || !('csrf_token' in b) || typeof b.csrf_token !== 'string') {
      throw new Error(`session_context failed: ${r.status} ${r.text}`)
    }
    this.csrf = b.csrf_token
    return Object.fromEntries(Object.entries(b))
  }

  raw(method: 'GET' | 'POST', path: string, body?: string, type?: string): Promise<Answer> {
    return this.#send(method, path, body, type)
  }
}

/** A field of a JSON answer. */
export function field(a: Answer, name: string): unknown {
  return typeof a.body === 'object' && a.body !== null ? Reflect.get(a.body, name) : undefined
}
