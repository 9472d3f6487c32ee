// SPDX-License-Identifier: MPL-2.0
// Calls between our own services (reader -> writer, reader -> certifier, verifier -> proxy): keep-alive
// pools, a bounded time for every call, the request id and the shared internal token passed along, and
// failures turned into a 502/504 PersonaError that names the service.
import { Agent, request, errors as undiciErrors } from 'undici'
import { PersonaError } from './errors.ts'
import { REQUEST_ID_HEADER } from './request-id.ts'

/** Header carrying the shared secret that proves a call comes from the reader. */
export const INTERNAL_TOKEN_HEADER = 'x-persona-token'

export interface InternalCallOptions {
  readonly method?: 'GET' | 'POST'
  readonly body?: unknown
  readonly headers?: Readonly<Record<string, string>>
  readonly requestId?: string
  readonly token?: string
  readonly timeoutMs?: number
}

export interface InternalResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
  readonly body: unknown
}

export class InternalClient {
  readonly #base: string
  readonly #service: string
  readonly #agent: Agent
  readonly #timeoutMs: number

  constructor(service: string, baseUrl: string, timeoutMs = 10_000) {
    this.#service = service
    this.#base = baseUrl.replace(/\/$/, '')
    this.#timeoutMs = timeoutMs
    this.#agent = new Agent({ keepAliveTimeout: 30_000, connections: 128, connect: { timeout: 2000 } })
  }

  /** @throws {PersonaError} ERR_BAD_GATEWAY when unreachable, ERR_GATEWAY_TIMEOUT when too slow */
  async call(path: string, opts: InternalCallOptions = {}): Promise<InternalResponse> {
    const timeout = opts.timeoutMs ?? this.#timeoutMs
    const headers: Record<string, string> = { ...opts.headers }
    if (opts.requestId !== undefined) headers[REQUEST_ID_HEADER] = opts.requestId
    if (opts.token !== undefined) headers[INTERNAL_TOKEN_HEADER] = opts.token
    let payload: string | undefined
    if (opts.body !== undefined) {
      payload = JSON.stringify(opts.body)
      headers['content-type'] = 'application/json'
    }
    try {
      const res = await request(`${this.#base}${path}`, {
        method: opts.method ?? (payload === undefined ? 'GET' : 'POST'),
        headers,
        body: payload ?? null,
        dispatcher: this.#agent,
        headersTimeout: timeout,
        bodyTimeout: timeout,
        signal: AbortSignal.timeout(timeout),
      })
      const text = await res.body.text()
      const type = String(res.headers['content-type'] ?? '')
      let body: unknown = text
      if (type.includes('json') && text !== '') {
        try {
          body = JSON.parse(text)
        } catch {
          body = text
        }
      }
      return { status: res.statusCode, headers: res.headers, body }
    } catch (e) {
      if (isTimeout(e)) {
        throw new PersonaError('ERR_GATEWAY_TIMEOUT', `${this.#service} did not answer in time`, { cause: e })
      }
      throw new PersonaError('ERR_BAD_GATEWAY', `${this.#service} is unavailable`, { cause: e })
    }
  }

  async close(): Promise<void> {
    await this.#agent.close()
  }
}

function isTimeout(e: unknown): boolean {
  if (e instanceof undiciErrors.HeadersTimeoutError || e instanceof undiciErrors.BodyTimeoutError) return true
  if (e instanceof undiciErrors.ConnectTimeoutError) return true
  return e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')
}
