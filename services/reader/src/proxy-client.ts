// SPDX-License-Identifier: MPL-2.0
// The reader's way to a domain's BrowserID support document: the proxy service fetches
// `https://DOMAIN/.well-known/browserid` for us (`GET /wellknown?domain=D`: 200 the document JSON,
// 404 `{reason}` when the domain has none, 502 when the fetch failed). The reader never goes out itself.
import { InternalClient, PersonaError } from '@persona/kit'

/** The proxy's response header naming the origin a support document came from. */
const IDP_ORIGIN_HEADER = 'x-idp-origin'

export type SupportLookup =
  | {
      readonly kind: 'document'
      readonly document: Record<string, unknown>
      /** Where the document came from (the proxy's `x-idp-origin`): `https://D`, or a dev shim's origin. */
      readonly origin: string
    }
  | { readonly kind: 'none'; readonly reason: string }
  | { readonly kind: 'error'; readonly reason: string }

export class ProxyClient {
  readonly #client: InternalClient

  constructor(baseUrl: string, timeoutMs = 10_000) {
    this.#client = new InternalClient('proxy', baseUrl, timeoutMs)
  }

  /** Never throws: a down proxy is reported as `{kind:'error'}` so callers can treat the domain as secondary. */
  async supportDocument(domain: string, requestId?: string): Promise<SupportLookup> {
    try {
      const res = await this.#client.call(`/wellknown?domain=${encodeURIComponent(domain)}`, {
        method: 'GET',
        ...(requestId !== undefined ? { requestId } : {}),
      })
      const body = res.body
      const reason =
        isRecord(body) && typeof body.reason === 'string' ? body.reason : `proxy answered ${res.status}`
      if (res.status === 200 && isRecord(body)) {
        const origin = res.headers[IDP_ORIGIN_HEADER]
        return {
          kind: 'document',
          document: body,
          origin: typeof origin === 'string' && origin !== '' ? origin : `https://${domain}`,
        }
      }
      if (res.status === 404) return { kind: 'none', reason }
      return { kind: 'error', reason }
    } catch (e) {
      return { kind: 'error', reason: e instanceof PersonaError ? e.reason : 'proxy unavailable' }
    }
  }

  /** Resolves when the proxy answers its shallow heartbeat. */
  async ping(): Promise<void> {
    const res = await this.#client.call('/__lbheartbeat__', { method: 'GET', timeoutMs: 2000 })
    if (res.status !== 200) throw new Error(`proxy heartbeat answered ${res.status}`)
  }

  async close(): Promise<void> {
    await this.#client.close()
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
