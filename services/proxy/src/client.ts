// SPDX-License-Identifier: MPL-2.0
// The one client of the proxy's support-document contract (contract.ts), used by the reader and the
// verifier, with the one cache: bounded (LRU), a document kept as long as the IdP's Cache-Control
// says within [minTtlS, maxTtlS], "no document" and failures kept briefly (negative caching), and
// concurrent lookups of one domain sharing one fetch (lru-cache's fetchMethod is single-flight).
// Never throws: a down proxy reads as `error`, so callers fail closed or treat the domain as
// secondary. Reasons are the proxy's fixed texts, or our own: never a network error's details.
import { InternalClient } from '@persona/kit'
import { LRUCache } from 'lru-cache'
import { IDP_ORIGIN_HEADER, reasons, WELLKNOWN_ROUTE } from './contract.ts'

export type SupportLookup =
  | {
      readonly kind: 'document'
      readonly document: Readonly<Record<string, unknown>>
      /** Where the document came from (the proxy's `x-idp-origin`): `https://D`, or a dev shim's origin. */
      readonly origin: string
    }
  | { readonly kind: 'none'; readonly reason: string }
  | { readonly kind: 'error'; readonly reason: string }

export interface SupportCacheOptions {
  /** Shortest time a document is kept, whatever its Cache-Control says (spares the proxy and IdPs). */
  readonly minTtlS: number
  readonly maxTtlS: number
  /** How long "this domain has no document" is kept. */
  readonly negativeTtlS: number
  /** How long a failed lookup is kept: short, so a blip does not last, but an IdP is not hammered. */
  readonly failureTtlS: number
  /** Domains kept. */
  readonly size: number
}

export const SUPPORT_CACHE_DEFAULTS: SupportCacheOptions = {
  minTtlS: 60,
  maxTtlS: 21600,
  negativeTtlS: 30,
  failureTtlS: 5,
  size: 10000,
}

export interface SupportDocumentClientOptions {
  readonly proxyUrl: string
  readonly timeoutMs?: number
  readonly cache?: Partial<SupportCacheOptions>
}

interface Fetched {
  readonly lookup: SupportLookup
  readonly ttlS: number
}

export class SupportDocumentClient {
  readonly #client: InternalClient
  readonly #cache: LRUCache<string, SupportLookup, string | undefined>
  /** Lookups that went to the proxy (tests and metrics read it). */
  fetches = 0

  constructor(opts: SupportDocumentClientOptions) {
    const c = { ...SUPPORT_CACHE_DEFAULTS, ...opts.cache }
    const maxTtlS = Math.max(c.maxTtlS, c.minTtlS)
    this.#client = new InternalClient('proxy', opts.proxyUrl, opts.timeoutMs ?? 8000)
    this.#cache = new LRUCache<string, SupportLookup, string | undefined>({
      max: c.size,
      // lru-cache reads a ttl of 0 as "forever": the shortest we set is 1 ms.
      ttl: Math.max(c.negativeTtlS * 1000, 1),
      fetchMethod: async (domain, _stale, { options, context }) => {
        const got = await this.#fetch(domain, context, c)
        options.ttl = Math.max(Math.min(got.ttlS, maxTtlS) * 1000, 1)
        return got.lookup
      },
    })
  }

  /** D's support document, through the cache. `requestId` goes with the fetch it starts, if any. */
  async supportDocument(domain: string, requestId?: string): Promise<SupportLookup> {
    const key = domain.toLowerCase()
    const v = await this.#cache.fetch(key, { context: requestId })
    return v ?? { kind: 'error', reason: reasons.unavailable(key) }
  }

  async #fetch(domain: string, requestId: string | undefined, c: SupportCacheOptions): Promise<Fetched> {
    this.fetches++
    try {
      const res = await this.#client.call(`${WELLKNOWN_ROUTE}?domain=${encodeURIComponent(domain)}`, {
        method: 'GET',
        ...(requestId === undefined ? {} : { requestId }),
      })
      const body = res.body
      if (res.status === 200 && isRecord(body)) {
        const origin = res.headers[IDP_ORIGIN_HEADER]
        return {
          lookup: {
            kind: 'document',
            document: { ...body },
            origin: typeof origin === 'string' && origin !== '' ? origin : `https://${domain}`,
          },
          ttlS: Math.max(maxAge(res.headers['cache-control']) ?? c.minTtlS, c.minTtlS),
        }
      }
      // The proxy's reasons are written to be shown (contract.ts); anything else is not passed on.
      const said = isRecord(body) && typeof body.reason === 'string' ? body.reason : undefined
      if (res.status === 404)
        return { lookup: { kind: 'none', reason: said ?? reasons.none(domain) }, ttlS: c.negativeTtlS }
      const reason =
        (res.status === 502 || res.status === 400) && said !== undefined ? said : reasons.unavailable(domain)
      return { lookup: { kind: 'error', reason }, ttlS: c.failureTtlS }
    } catch {
      return { lookup: { kind: 'error', reason: reasons.unavailable(domain) }, ttlS: c.failureTtlS }
    }
  }

  /** Resolves when the proxy answers its shallow heartbeat. */
  async ping(): Promise<void> {
    const res = await this.#client.call('/__lbheartbeat__', { method: 'GET', timeoutMs: 2000 })
    if (res.status !== 200) throw new Error(`proxy heartbeat answered ${res.status}`)
  }

  async close(): Promise<void> {
    this.#cache.clear()
    await this.#client.close()
  }
}

/** max-age from a Cache-Control header; no-store/no-cache mean "don't keep it" (the minimum applies). */
export function maxAge(header: string | string[] | undefined): number | undefined {
  const v = Array.isArray(header) ? header.join(',') : header
  if (v === undefined) return undefined
  if (/\b(no-store|no-cache)\b/i.test(v)) return 0
  const m = /\bmax-age\s*=\s*"?(\d+)"?/i.exec(v)
  return m?.[1] === undefined ? undefined : Number(m[1])
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
