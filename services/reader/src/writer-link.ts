// SPDX-License-Identifier: MPL-2.0
// Reader -> writer calls, typed from the calls' declarations. Each carries the writer token, the request
// id, the browser's address and the shared part of its session (`x-persona-session`); facts the reader
// has established (an assertion it verified) travel in `x-persona-verified`. The writer's session
// changes and GTID are applied to the browser's session here, so every caller gets read-your-writes.
import { ERROR_CODES, type ErrorCode, InternalClient, PersonaError } from '@persona/kit'
import { isGtidPos } from '@persona/store/gtid'
import {
  type ArgsOf,
  CLIENT_IP_HEADER,
  decodeSessionUpdate,
  encodeHeader,
  GTID_HEADER,
  type ReplyOf,
  SESSION_HEADER,
  type StoredSession,
  sharedPart,
  VERIFIED_HEADER,
  type VerifiedFacts,
  type WsapiCall,
} from '@persona/wsapi'
import { Value } from 'typebox/value'
import { applyUpdate } from './session.ts'

/** Who is calling: the browser's request and session. */
export interface CallerOfWriter {
  readonly session: StoredSession
  readonly requestId: string
  readonly clientIp: string
  readonly acceptLanguage?: string | undefined
  readonly now: () => number
}

/** The writer's calls on behalf of one browser request. */
export interface WriterCalls {
  /**
   * Calls `call` on the writer with `args`; its 200 answer, typed.
   * @throws {PersonaError} the writer's own error (same code and reason), or ERR_BAD_GATEWAY for an
   *   answer outside the call's declaration
   */
  call<C extends WsapiCall>(
    call: C,
    args: ArgsOf<C>,
    opts?: { readonly verified?: VerifiedFacts },
  ): Promise<ReplyOf<C>>
}

function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERROR_CODES, code)
}

/** The PersonaError a writer's error answer stands for, so the reader answers the browser the same. */
function writerError(call: WsapiCall, status: number, body: unknown): PersonaError {
  const code: unknown = typeof body === 'object' && body !== null ? Reflect.get(body, 'code') : undefined
  const reason: unknown = typeof body === 'object' && body !== null ? Reflect.get(body, 'reason') : undefined
  if (isErrorCode(code) && ERROR_CODES[code] === status && typeof reason === 'string') {
    return new PersonaError(code, reason)
  }
  return new PersonaError('ERR_BAD_GATEWAY', 'writer answered badly', {
    detail: `${call.name}: status ${status}`,
  })
}

export class WriterLink {
  readonly #client: InternalClient
  readonly #token: string
  readonly #fullDurationMs: number

  constructor(baseUrl: string, token: string, fullDurationMs: number) {
    this.#client = new InternalClient('writer', baseUrl)
    this.#token = token
    this.#fullDurationMs = fullDurationMs
  }

  /** The writer's calls for one request. */
  for(caller: CallerOfWriter): WriterCalls {
    return { call: (call, args, opts = {}) => this.#call(caller, call, args, opts.verified) }
  }

  async #call<C extends WsapiCall>(
    caller: CallerOfWriter,
    call: C,
    args: ArgsOf<C>,
    verified: VerifiedFacts | undefined,
  ): Promise<ReplyOf<C>> {
    const headers: Record<string, string> = {
      [SESSION_HEADER]: encodeHeader(sharedPart(caller.session)),
      [CLIENT_IP_HEADER]: caller.clientIp,
    }
    if (caller.acceptLanguage !== undefined) headers['accept-language'] = caller.acceptLanguage.slice(0, 200)
    if (verified !== undefined) headers[VERIFIED_HEADER] = encodeHeader(verified)
    let path = `/wsapi/${call.name}`
    if (call.method === 'GET') {
      const qs = new URLSearchParams()
      for (const [k, v] of Object.entries(args)) qs.set(k, String(v))
      const q = qs.toString()
      if (q !== '') path += `?${q}`
    }
    const res = await this.#client.call(path, {
      method: call.method,
      ...(call.method === 'POST' ? { body: args } : {}),
      headers,
      requestId: caller.requestId,
      token: this.#token,
    })
    // Session changes apply even to an error answer (e.g. a pending link the writer found gone).
    const update = decodeSessionUpdate(res.headers[SESSION_HEADER])
    if (update !== undefined) applyUpdate(caller.session, update, this.#fullDurationMs, caller.now())
    const gtid = res.headers[GTID_HEADER]
    if (typeof gtid === 'string' && gtid !== '' && isGtidPos(gtid)) caller.session.gtid = gtid
    if (res.status !== 200) throw writerError(call, res.status, res.body)
    const body: unknown = res.body
    if (!Value.Check(call.response, body)) {
      throw new PersonaError('ERR_BAD_GATEWAY', 'writer answered badly', {
        detail: `${call.name}: answer outside its declaration`,
      })
    }
    // Checked against `call.response` just above; ReplyOf<C> is that schema's static type.
    return body as ReplyOf<C>
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
