// SPDX-License-Identifier: MPL-2.0
// Fetches https://DOMAIN/.well-known/browserid for the reader and the verifier, and nothing else:
// addresses checked after DNS resolution (and pinned), size and time capped, redirects followed only
// within the same domain over https, and every outcome classified so callers can tell "this domain
// has no support document" (fall back to our IdP) from "we could not find out" (fail closed).
import { Agent, request } from 'undici'
import { type AddressVerdict, checkAddress } from './address-policy.ts'
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
  | { readonly kind: 'none'; readonly reason: string }
  | { readonly kind: 'refused'; readonly reason: string }
  | { readonly kind: 'failed'; readonly reason: string }
  | { readonly kind: 'timeout'; readonly reason: string }

export interface FetcherOptions {
  readonly shims: Shims
  readonly maxBytes: number
  readonly timeoutMs: number
  readonly maxRedirects: number
  /** Tests inject a resolver, an address policy and a CA; production uses the system's. */
  readonly resolve?: Resolver
  readonly checkAddress?: (address: string) => AddressVerdict
  readonly ca?: string
}

const REDIRECTS = new Set([301, 302, 303, 307, 308])

export class SupportDocumentFetcher {
  readonly #opts: FetcherOptions
  readonly #guarded: Agent
  readonly #shimmed: Agent

  constructor(opts: FetcherOptions) {
    this.#opts = opts
    const lookup = guardedLookup(opts.resolve ?? systemResolver, opts.checkAddress ?? checkAddress)
    const common = {
      maxResponseSize: opts.maxBytes,
      headersTimeout: opts.timeoutMs,
      bodyTimeout: opts.timeoutMs,
    }
    this.#guarded = new Agent({
      ...common,
      connect: { lookup, timeout: opts.timeoutMs, ...(opts.ca === undefined ? {} : { ca: opts.ca }) },
    })
    // Shims point at local origins on purpose; they exist only outside production (config refuses).
    this.#shimmed = new Agent({ ...common, connect: { timeout: opts.timeoutMs } })
  }

  async fetch(domain: string): Promise<FetchOutcome> {
    const shim = this.#opts.shims.get(domain)
    const start = shim === undefined ? `https://${domain}${WELL_KNOWN_PATH}` : `${shim}${WELL_KNOWN_PATH}`
    const dispatcher = shim === undefined ? this.#guarded : this.#shimmed
    const deadline = AbortSignal.timeout(this.#opts.timeoutMs)
    let url = new URL(start)
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
          if (typeof location !== 'string') return { kind: 'failed', reason: `redirect without a location` }
          const next = new URL(location, url)
          if (next.host !== url.host || next.protocol !== url.protocol) {
            return { kind: 'refused', reason: `redirect off the domain to ${next.origin}` }
          }
          if (hop + 1 > this.#opts.maxRedirects) return { kind: 'failed', reason: 'too many redirects' }
          url = next
          continue
        }
        if (res.statusCode === 404 || res.statusCode === 410) {
          await res.body.dump()
          return { kind: 'none', reason: `${domain} has no support document (HTTP ${res.statusCode})` }
        }
        if (res.statusCode !== 200) {
          await res.body.dump()
          return { kind: 'failed', reason: `${domain} answered HTTP ${res.statusCode}` }
        }
        const declared = Number(res.headers['content-length'] ?? '0')
        if (declared > this.#opts.maxBytes) {
          await res.body.dump()
          return { kind: 'refused', reason: `support document larger than ${this.#opts.maxBytes} bytes` }
        }
        const text = await res.body.text()
        let document: unknown
        try {
          document = JSON.parse(text)
        } catch {
          return { kind: 'failed', reason: `${domain} support document is not valid JSON` }
        }
        if (typeof document !== 'object' || document === null || Array.isArray(document)) {
          return { kind: 'failed', reason: `${domain} support document is not a JSON object` }
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
      return classify(domain, e)
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.#guarded.close(), this.#shimmed.close()])
  }
}

function classify(domain: string, e: unknown): FetchOutcome {
  for (let cur: unknown = e, depth = 0; cur instanceof Error && depth < 5; cur = cur.cause, depth++) {
    if (cur instanceof DestinationRefusedError) return { kind: 'refused', reason: cur.message }
    const code = 'code' in cur ? cur.code : undefined
    if (code === 'ENOTFOUND') return { kind: 'none', reason: `${domain} does not resolve` }
    if (code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') {
      return { kind: 'refused', reason: 'support document too large' }
    }
    if (
      code === 'UND_ERR_HEADERS_TIMEOUT' ||
      code === 'UND_ERR_BODY_TIMEOUT' ||
      code === 'UND_ERR_CONNECT_TIMEOUT' ||
      cur.name === 'TimeoutError'
    ) {
      return { kind: 'timeout', reason: `${domain} did not answer in time` }
    }
  }
  const msg = e instanceof Error ? e.message : String(e)
  return { kind: 'failed', reason: `could not fetch ${domain} support document: ${msg}` }
}
