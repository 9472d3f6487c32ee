// SPDX-License-Identifier: MPL-2.0
// Support documents of other domains, fetched through the proxy and cached: the IdP's Cache-Control
// max-age is honoured within [min, max] bounds, "no document" and failed fetches are cached briefly,
// and concurrent requests for one domain share one fetch (lru-cache's fetchMethod is single-flight).
import { InternalClient, PersonaError } from '@persona/kit'
import { LRUCache } from 'lru-cache'

export type DocumentLookup =
  | { readonly kind: 'found'; readonly document: Readonly<Record<string, unknown>> }
  | { readonly kind: 'none' }
  | { readonly kind: 'failed'; readonly reason: string }

export interface SupportDocumentCacheOptions {
  readonly proxyUrl: string
  readonly minTtlS: number
  readonly maxTtlS: number
  readonly negativeTtlS: number
  readonly failureTtlS: number
  readonly size: number
}

export class SupportDocumentCache {
  readonly #client: InternalClient
  readonly #cache: LRUCache<string, DocumentLookup>
  /** Fetches made through the proxy (tests and metrics read it). */
  fetches = 0

  constructor(opts: SupportDocumentCacheOptions) {
    this.#client = new InternalClient('proxy', opts.proxyUrl, 8000)
    this.#cache = new LRUCache<string, DocumentLookup>({
      max: opts.size,
      ttl: opts.negativeTtlS * 1000 || 1,
      ttlAutopurge: false,
      fetchMethod: async (domain, _stale, { options }) => {
        const result = await this.#fetch(domain)
        if (result.lookup.kind === 'found') {
          const maxAge = result.maxAgeS ?? opts.minTtlS
          options.ttl = Math.min(Math.max(maxAge, opts.minTtlS), opts.maxTtlS) * 1000
        } else {
          const s = result.lookup.kind === 'none' ? opts.negativeTtlS : opts.failureTtlS
          options.ttl = Math.max(s * 1000, 1)
        }
        return result.lookup
      },
    })
  }

  async get(domain: string): Promise<DocumentLookup> {
    const v = await this.#cache.fetch(domain.toLowerCase())
    return v ?? { kind: 'failed', reason: `could not fetch ${domain} support document` }
  }

  async #fetch(domain: string): Promise<{ lookup: DocumentLookup; maxAgeS: number | undefined }> {
    this.fetches++
    try {
      const res = await this.#client.call(`/wellknown?domain=${encodeURIComponent(domain)}`)
      if (
        res.status === 200 &&
        typeof res.body === 'object' &&
        res.body !== null &&
        !Array.isArray(res.body)
      ) {
        return {
          lookup: { kind: 'found', document: { ...res.body } },
          maxAgeS: maxAge(res.headers['cache-control']),
        }
      }
      if (res.status === 404) return { lookup: { kind: 'none' }, maxAgeS: undefined }
      return { lookup: { kind: 'failed', reason: reasonOf(domain, res.body) }, maxAgeS: undefined }
    } catch (e) {
      const reason = e instanceof PersonaError ? e.reason : 'proxy unavailable'
      return {
        lookup: { kind: 'failed', reason: `can't get ${domain} support document: ${reason}` },
        maxAgeS: undefined,
      }
    }
  }

  async close(): Promise<void> {
    this.#cache.clear()
    await this.#client.close()
  }
}

function reasonOf(domain: string, body: unknown): string {
  if (typeof body === 'object' && body !== null && 'reason' in body && typeof body.reason === 'string') {
    return `can't get ${domain} support document: ${body.reason}`
  }
  return `can't get ${domain} support document`
}

/** max-age from a Cache-Control header; no-store/no-cache mean "don't keep it" (the minimum applies). */
export function maxAge(header: string | string[] | undefined): number | undefined {
  const v = Array.isArray(header) ? header.join(',') : header
  if (v === undefined) return undefined
  if (/\b(no-store|no-cache)\b/i.test(v)) return 0
  const m = /\bmax-age\s*=\s*"?(\d+)"?/i.exec(v)
  return m?.[1] === undefined ? undefined : Number(m[1])
}
