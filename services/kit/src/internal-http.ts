// SPDX-License-Identifier: MPL-2.0
// Calls between our own services (reader -> writer, reader -> certifier, verifier -> proxy): keep-alive
// pools, a bounded time for every call, the request id, the shared internal token and the internal API
// version passed along, and failures turned into a 502/504 PersonaError that names the service.
import { Agent, request, errors as undiciErrors } from 'undici'
import { PersonaError } from './errors.ts'
import { REQUEST_ID_HEADER } from './request-id.ts'

/** Header carrying the shared secret that proves a call comes from the reader. */
export const INTERNAL_TOKEN_HEADER = 'x-persona-token'

/**
 * The version of the calls between our services (the writer's and certifier's routes, the headers they
 * read). Bump it with any change an older peer would misread: a reader and a writer of different
 * versions then refuse each other instead of misbehaving. Deploys upgrade a cluster whole while it is
 * out of DNS, so peers of one cluster never stay mixed.
 * v2: the session travels as @persona/wsapi's SharedSession/SessionUpdate; internal calls are POSTs;
 * a sign-in is recorded by one increment_/reset_failed_auth_tries call.
 * v3: end_sessions (logout on the server); increment_/reset_failed_auth_tries take the address tried and
 * answer the sign-in backoff's verdict (retry_after_ms); the session carries knownAccounts.
 */
export const INTERNAL_API_VERSION = 3
/** Header carrying the internal API version, on every internal request and answer. */
export const INTERNAL_API_HEADER = 'x-persona-internal-api'

/** The clear error both sides give when the versions differ. */
export function apiVersionMismatch(peer: string, peerVersion: string, ours: number): string {
  return `internal API version mismatch: ${peer} speaks v${peerVersion}, this process v${ours} (upgrade the whole cluster before it serves traffic)`
}

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
  readonly #apiVersion: number

  /** `apiVersion` is this process's internal API version (tests pass another to play an old peer). */
  constructor(service: string, baseUrl: string, timeoutMs = 10_000, apiVersion = INTERNAL_API_VERSION) {
    this.#service = service
    this.#base = baseUrl.replace(/\/$/, '')
    this.#timeoutMs = timeoutMs
    this.#apiVersion = apiVersion
    this.#agent = new Agent({ keepAliveTimeout: 30_000, connections: 128, connect: { timeout: 2000 } })
  }

  /**
   * @throws {PersonaError} ERR_BAD_GATEWAY when unreachable or when the peer speaks another internal
   * API version, ERR_GATEWAY_TIMEOUT when too slow
   */
  async call(path: string, opts: InternalCallOptions = {}): Promise<InternalResponse> {
    const timeout = opts.timeoutMs ?? this.#timeoutMs
    const headers: Record<string, string> = {
      ...opts.headers,
      [INTERNAL_API_HEADER]: String(this.#apiVersion),
    }
    if (opts.requestId !== undefined) headers[REQUEST_ID_HEADER] = opts.requestId
    if (opts.token !== undefined) headers[INTERNAL_TOKEN_HEADER] = opts.token
    let payload: string | undefined
    if (opts.body !== undefined) {
      payload = JSON.stringify(opts.body)
      headers['content-type'] = 'application/json'
    }
    let res: Awaited<ReturnType<typeof request>>
    try {
      res = await request(`${this.#base}${path}`, {
        method: opts.method ?? (payload === undefined ? 'GET' : 'POST'),
        headers,
        body: payload ?? null,
        dispatcher: this.#agent,
        headersTimeout: timeout,
        bodyTimeout: timeout,
        signal: AbortSignal.timeout(timeout),
      })
    } catch (e) {
      throw this.#failure(e)
    }
    // A peer that states another version is refused whatever it answered (services that do not check
    // versions, such as the proxy, state none).
    const peerVersion = res.headers[INTERNAL_API_HEADER]
    if (typeof peerVersion === 'string' && peerVersion !== String(this.#apiVersion)) {
      await res.body.dump().catch(() => {})
      throw new PersonaError(
        'ERR_BAD_GATEWAY',
        `${this.#service} refused: ${apiVersionMismatch(this.#service, peerVersion, this.#apiVersion)}`,
      )
    }
    try {
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
      throw this.#failure(e)
    }
  }

  #failure(e: unknown): PersonaError {
    if (isTimeout(e)) {
      return new PersonaError('ERR_GATEWAY_TIMEOUT', `${this.#service} did not answer in time`, { cause: e })
    }
    return new PersonaError('ERR_BAD_GATEWAY', `${this.#service} is unavailable`, { cause: e })
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
