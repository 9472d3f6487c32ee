// SPDX-License-Identifier: MPL-2.0
// Fetches https://DOMAIN/.well-known/browserid for the reader and the verifier, and nothing else:
// addresses checked after DNS resolution (and pinned), size and time capped, redirects followed only
// within the same domain over https, and every outcome classified so callers can tell "this domain
// has no support document" (fall back to our IdP) from "we could not find out" (fail closed).
//
// Where the destination is decided: in the connector, on the host undici is about to open a socket
// to -- the host the WHATWG URL parser produced. A literal address (however it was written) is judged
// there; a name goes through the guarded DNS lookup, whose checked answer is the one connected to.
// Network failures (refused, reset, TLS, timeout, forbidden address) all come out as one
// `unreachable` kind whose details are for the log only: told apart, they would make a port scanner.
import { Agent, buildConnector, request } from 'undici'
import { type AddressVerdict, checkAddress, literalAddress } from './address-policy.ts'
import { DestinationRefusedError, guardedLookup, type Resolver, systemResolver } from './guarded-lookup.ts'
import type { Shims } from './shims.ts'

export const WELL_KNOWN_PATH = '/.well-known/browserid'

export type FetchOutcome =
  | {
      readonly kind: 'found'
      readonly document: Readonly<Record<string, unknown>>
      /** Origin the document came from (a shim's origin in development). */
      readonly origin: string
      readonly cacheControl: string | undefined
    }
  /** No document: HTTP 404/410, or the name does not exist. */
  | { readonly kind: 'none'; readonly detail: string }
  /** The IdP answered, but not with a usable document; `reason` only describes what it sent. */
  | { readonly kind: 'invalid'; readonly reason: string }
  /** No answer: a refused destination, a network or TLS failure, or too slow. Details are for logs. */
  | {
      readonly kind: 'unreachable'
      readonly cause: 'refused' | 'network' | 'timeout'
      readonly detail: string
    }

export interface FetcherOptions {
  readonly shims: Shims
  readonly maxBytes: number
  readonly timeoutMs: number
  readonly maxRedirects: number
  /** Tests inject a resolver, an address policy and a CA; production uses the system's. */
  readonly resolve?: Resolver
  readonly checkAddress?: (address: string) => AddressVerdict
  readonly ca?: string
  /** Tests only: open every guarded connection on this port instead of 443 (after every check). */
  readonly connectPort?: number
}

const REDIRECTS = new Set([301, 302, 303, 307, 308])

export class SupportDocumentFetcher {
  readonly #opts: FetcherOptions
  readonly #guarded: Agent
  readonly #shimmed: Agent

  constructor(opts: FetcherOptions) {
    this.#opts = opts
    const check = opts.checkAddress ?? checkAddress
    const common = {
      maxResponseSize: opts.maxBytes,
      headersTimeout: opts.timeoutMs,
      bodyTimeout: opts.timeoutMs,
    }
    const connect = buildConnector({
      lookup: guardedLookup(opts.resolve ?? systemResolver, check),
      timeout: opts.timeoutMs,
      ...(opts.ca === undefined ? {} : { ca: opts.ca }),
    })
    this.#guarded = new Agent({
      ...common,
      connect: (options, callback) => {
        const literal = literalAddress(options.hostname)
        if (literal !== null) {
          const verdict = check(literal)
          if (!verdict.allowed) {
            callback(new DestinationRefusedError(verdict.reason), null)
            return
          }
        }
        const port = opts.connectPort === undefined ? options.port : String(opts.connectPort)
        connect({ ...options, port }, callback)
      },
    })
    // Shims point at local origins on purpose; they exist only outside production (config refuses).
    this.#shimmed = new Agent({ ...common, connect: { timeout: opts.timeoutMs } })
  }

  async fetch(domain: string): Promise<FetchOutcome> {
    const shim = this.#opts.shims.get(domain)
    const start = shim === undefined ? `https://${domain}${WELL_KNOWN_PATH}` : `${shim}${WELL_KNOWN_PATH}`
    const dispatcher = shim === undefined ? this.#guarded : this.#shimmed
    const deadline = AbortSignal.timeout(this.#opts.timeoutMs)
    let url: URL
    try {
      url = new URL(start)
    } catch {
      return { kind: 'unreachable', cause: 'refused', detail: `${JSON.stringify(domain)} is not a host` }
    }
    try {
      for (let hop = 0; ; hop++) {
        const res = await request(url, {
          method: 'GET',
          dispatcher,
          signal: deadline,
          headers: { accept: 'application/json' },
        })
        if (REDIRECTS.has(res.statusCode)) {
          await res.body.dump()
          const location = res.headers.location
          if (typeof location !== 'string') return { kind: 'invalid', reason: 'redirect without a location' }
          const next = new URL(location, url)
          if (next.host !== url.host || next.protocol !== url.protocol) {
            return { kind: 'invalid', reason: 'redirect off the domain' }
          }
          if (hop + 1 > this.#opts.maxRedirects) return { kind: 'invalid', reason: 'too many redirects' }
          url = next
          continue
        }
        if (res.statusCode === 404 || res.statusCode === 410) {
          await res.body.dump()
          return { kind: 'none', detail: `HTTP ${res.statusCode}` }
        }
        if (res.statusCode !== 200) {
          await res.body.dump()
          return { kind: 'invalid', reason: `answered HTTP ${res.statusCode}` }
        }
        const declared = Number(res.headers['content-length'] ?? '0')
        if (declared > this.#opts.maxBytes) {
          await res.body.dump()
          return { kind: 'invalid', reason: `support document larger than ${this.#opts.maxBytes} bytes` }
        }
        const text = await res.body.text()
        let document: unknown
        try {
          document = JSON.parse(text)
        } catch {
          return { kind: 'invalid', reason: 'support document is not valid JSON' }
        }
        if (typeof document !== 'object' || document === null || Array.isArray(document)) {
          return { kind: 'invalid', reason: 'support document is not a JSON object' }
        }
        const cc = res.headers['cache-control']
        return {
          kind: 'found',
          document: { ...document },
          origin: url.origin,
          cacheControl: typeof cc === 'string' ? cc : undefined,
        }
      }
    } catch (e) {
      return classify(e, this.#opts.maxBytes)
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.#guarded.close(), this.#shimmed.close()])
  }
}

function classify(e: unknown, maxBytes: number): FetchOutcome {
  const detail = describe(e)
  for (let cur: unknown = e, depth = 0; cur instanceof Error && depth < 5; cur = cur.cause, depth++) {
    if (cur instanceof DestinationRefusedError) return { kind: 'unreachable', cause: 'refused', detail }
    const code = 'code' in cur ? cur.code : undefined
    if (code === 'ENOTFOUND') return { kind: 'none', detail: 'the name does not resolve' }
    if (code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') {
      return { kind: 'invalid', reason: `support document larger than ${maxBytes} bytes` }
    }
    if (
      code === 'UND_ERR_HEADERS_TIMEOUT' ||
      code === 'UND_ERR_BODY_TIMEOUT' ||
      code === 'UND_ERR_CONNECT_TIMEOUT' ||
      cur.name === 'TimeoutError'
    ) {
      return { kind: 'unreachable', cause: 'timeout', detail }
    }
  }
  return { kind: 'unreachable', cause: 'network', detail }
}

/** The whole cause chain, for the log: "fetch failed: connect ECONNREFUSED 10.0.0.1:443 (ECONNREFUSED)". */
function describe(e: unknown): string {
  const parts: string[] = []
  for (let cur: unknown = e, depth = 0; cur !== undefined && depth < 5; depth++) {
    if (!(cur instanceof Error)) {
      parts.push(String(cur))
      break
    }
    const code = 'code' in cur && typeof cur.code === 'string' ? ` (${cur.code})` : ''
    parts.push(`${cur.message}${code}`)
    cur = cur.cause
  }
  return parts.join(': ')
}
