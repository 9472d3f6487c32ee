// SPDX-License-Identifier: MPL-2.0
// Reader -> writer calls. Each carries the writer token, the request id, the browser's address and the
// session fields the writer needs (`x-persona-session`); facts the reader has established (an assertion
// it verified) travel in `x-persona-verified`. The answer's session changes and GTID are applied to the
// browser's session here, so every caller gets read-your-writes for free.
import type { Session } from '@fastify/secure-session'
import { InternalClient } from '@persona/kit'
import { isGtidPos } from '@persona/store'
import {
  CLIENT_IP_HEADER,
  decodeSessionPatch,
  encodeHeader,
  GTID_HEADER,
  SESSION_HEADER,
  VERIFIED_HEADER,
  type VerifiedFacts,
} from '@persona/wsapi'
import { applyPatch, stateForWriter } from './session.ts'

export interface WriterCall {
  readonly name: string
  readonly method: 'GET' | 'POST'
  readonly args: Record<string, unknown>
  readonly session: Session
  readonly requestId: string
  readonly clientIp: string
  readonly acceptLanguage?: string | undefined
  readonly verified?: VerifiedFacts
}

export interface WriterAnswer {
  readonly status: number
  readonly body: unknown
}

export class WriterLink {
  readonly #client: InternalClient
  readonly #token: string
  readonly #fullDurationMs: number
  readonly #now: () => number

  constructor(baseUrl: string, token: string, fullDurationMs: number, now: () => number) {
    this.#client = new InternalClient('writer', baseUrl)
    this.#token = token
    this.#fullDurationMs = fullDurationMs
    this.#now = now
  }

  async call(c: WriterCall): Promise<WriterAnswer> {
    const headers: Record<string, string> = {
      [SESSION_HEADER]: encodeHeader(stateForWriter(c.session, this.#now())),
      [CLIENT_IP_HEADER]: c.clientIp,
    }
    if (c.acceptLanguage !== undefined) headers['accept-language'] = c.acceptLanguage.slice(0, 200)
    if (c.verified !== undefined) headers[VERIFIED_HEADER] = encodeHeader(c.verified)
    let path = `/wsapi/${c.name}`
    if (c.method === 'GET') {
      const qs = new URLSearchParams()
      for (const [k, v] of Object.entries(c.args)) qs.set(k, String(v))
      const q = qs.toString()
      if (q !== '') path += `?${q}`
    }
    const res = await this.#client.call(path, {
      method: c.method,
      ...(c.method === 'POST' ? { body: c.args } : {}),
      headers,
      requestId: c.requestId,
      token: this.#token,
    })
    const patch = decodeSessionPatch(res.headers[SESSION_HEADER])
    if (patch !== undefined) applyPatch(c.session, patch, this.#fullDurationMs, this.#now())
    const gtid = res.headers[GTID_HEADER]
    if (typeof gtid === 'string' && gtid !== '' && isGtidPos(gtid)) c.session.set('gtid', gtid)
    return { status: res.status, body: res.body }
  }

  /** Resolves when the writer answers its heartbeat (deep check). */
  async ping(): Promise<void> {
    const res = await this.#client.call('/__lbheartbeat__', { method: 'GET', timeoutMs: 2000 })
    if (res.status !== 200) throw new Error(`writer heartbeat answered ${res.status}`)
  }

  async close(): Promise<void> {
    await this.#client.close()
  }
}
