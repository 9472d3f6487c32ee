// SPDX-License-Identifier: MPL-2.0
// The browser's wsapi client (re-implements Persona's common/js/network.js): GETs with query args,
// POSTs as JSON with the session's CSRF token (from session_context) added as `csrf`; a sign-in gives the
// session a new token, which the answer carries in a header and the client takes from there. The calls'
// names, arguments and replies are typed from their declarations in @persona/wsapi (types, and one
// header name: no server code reaches the bundle).
import type { AnyCall, ArgsOf, CallNamed, ReplyOf } from '@persona/wsapi'
import { CSRF_HEADER } from '@persona/wsapi/csrf-header'

type PublicCall = Exclude<AnyCall, { readonly internal: true }>
/** Names of the public calls the browser makes with GET and with POST. */
export type GetCallName = Extract<PublicCall, { readonly method: 'GET' }>['name']
export type PostCallName = Extract<PublicCall, { readonly method: 'POST' }>['name']

/** A call's arguments as the browser passes them: an optional argument may be given as undefined. */
type ArgsIn<N extends AnyCall['name']> = LooseOptional<ArgsOf<CallNamed<N>>>
type LooseOptional<A> = A extends object
  ? { [K in keyof A as undefined extends A[K] ? K : never]?: A[K] | undefined } & {
      [K in keyof A as undefined extends A[K] ? never : K]: A[K]
    }
  : never

/** The rest parameters of a call: its arguments, which may be left out when none is required. */
type ArgList<N extends AnyCall['name']> = Record<never, never> extends ArgsIn<N> ? [ArgsIn<N>?] : [ArgsIn<N>]

/** The success answer of call `N`. */
export type Reply<N extends AnyCall['name']> = ReplyOf<CallNamed<N>>
export type SessionContext = Reply<'session_context'>
export type AddressInfo = Reply<'address_info'>
type Success<N extends AnyCall['name']> = Extract<Reply<N>, { readonly success: true }>

/** A relying site's experimental certificate options, passed on to cert_key. */
export interface CertOptions {
  readonly forceIssuer?: string
  readonly allowUnverified?: boolean
}

/** A wsapi call that failed at the HTTP level (4xx/5xx), with Persona's text or JSON reason. */
export class WsapiError extends Error {
  readonly status: number
  readonly call: string
  constructor(call: string, status: number, reason: string) {
    super(reason)
    this.name = 'WsapiError'
    this.status = status
    this.call = call
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

async function readBody(call: string, res: Response): Promise<unknown> {
  const text = await res.text()
  let body: unknown = text
  if ((res.headers.get('content-type') ?? '').includes('json')) {
    try {
      body = JSON.parse(text)
    } catch {
      body = text
    }
  }
  if (!res.ok) {
    const reason = isRecord(body) && typeof body.reason === 'string' ? body.reason : String(text)
    throw new WsapiError(call, res.status, reason)
  }
  return body
}

/**
 * A 200 answer of call `N`. The server checks its replies against the same declarations (tests run it
 * with reply checking on), so the browser takes the declared type instead of re-parsing by hand.
 */
function replyOf<N extends AnyCall['name']>(_call: N, body: unknown): Reply<N> {
  return body as Reply<N>
}

function defined(args: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined))
}

export class Wsapi {
  readonly base: string
  private context: SessionContext | undefined
  /** server_time - local time when the context was read; assertions use server time. */
  private skewMs = 0
  /**
   * The language the page shows, when it is not the browser's own (a relying site's `lang`): sent as
   * Accept-Language so that the mail the server sends reads like the dialog that asked for it.
   */
  acceptLanguage: string | undefined

  constructor(base = '') {
    this.base = base
  }

  async get<N extends GetCallName>(call: N, ...args: ArgList<N>) {
    const qs = new URLSearchParams()
    for (const [k, v] of Object.entries(defined(args[0] ?? {}))) qs.set(k, String(v))
    const q = qs.toString()
    const res = await fetch(`${this.base}/wsapi/${call}${q ? `?${q}` : ''}`, {
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
      cache: 'no-store',
    })
    this.takeCsrf(res)
    return replyOf(call, await readBody(call, res))
  }

  async post<N extends PostCallName>(call: N, ...args: ArgList<N>) {
    try {
      return await this.postOnce(call, args[0])
    } catch (e) {
      // The session's token changed under this page (a sign-in in another tab, e.g. the mailed link
      // opened there): read the current one and send once more. Only a page of ours can read it.
      if (!(e instanceof WsapiError && e.status === 403 && e.message === 'CSRF violation')) throw e
      await this.sessionContext(true)
      return this.postOnce(call, args[0])
    }
  }

  private async postOnce<N extends PostCallName>(call: N, args: ArgsIn<N> | undefined) {
    const ctx = await this.sessionContext()
    const body = { ...defined(args ?? {}), csrf: ctx.csrf_token }
    const res = await fetch(`${this.base}/wsapi/${call}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...(this.acceptLanguage ? { 'accept-language': this.acceptLanguage } : {}),
      },
      body: JSON.stringify(body),
    })
    this.takeCsrf(res)
    return replyOf(call, await readBody(call, res))
  }

  /** A new CSRF token the server gave the session (at a sign-in) replaces the cached one. */
  private takeCsrf(res: Response): void {
    const token = res.headers.get(CSRF_HEADER)
    if (token !== null && token !== '' && this.context !== undefined && token !== this.context.csrf_token)
      this.context = { ...this.context, csrf_token: token }
  }

  /**
   * session_context, cached until `refresh` (the CSRF token survives logouts; a sign-in's new one is
   * taken from its answer).
   */
  async sessionContext(refresh = false): Promise<SessionContext> {
    if (this.context && !refresh) return this.context
    const ctx = await this.get('session_context')
    if (typeof ctx.csrf_token !== 'string') throw new WsapiError('session_context', 0, 'bad reply')
    this.skewMs = ctx.server_time - Date.now()
    this.context = ctx
    return ctx
  }

  /** Forgets the cached context (after a call that changes authentication). */
  invalidate(): void {
    this.context = undefined
  }

  /** Local clock corrected by the server's, for assertion expiry. */
  now(): number {
    return Date.now() + this.skewMs
  }

  /** A POST whose JSON reply must say success:true; returns the reply. */
  async postOk<N extends PostCallName>(call: N, ...args: ArgList<N>): Promise<Success<N>> {
    const r: unknown = await this.post(call, ...args)
    if (!isRecord(r) || r.success !== true) {
      const reason = isRecord(r) && typeof r.reason === 'string' ? r.reason : `${call} failed`
      throw new WsapiError(call, 200, reason)
    }
    // success:true was just checked; the declared reply's success member is that shape.
    return r as Success<N>
  }

  /** @param issuer a site's experimental_forceIssuer: the address is then treated as ours (secondary). */
  addressInfo(email: string, issuer?: string): Promise<AddressInfo> {
    return this.get('address_info', { email, issuer })
  }

  async listEmails(): Promise<string[]> {
    return (await this.get('list_emails')).emails
  }

  /** Polled status calls answer {status}. */
  async status(
    call:
      | 'user_creation_status'
      | 'email_addition_status'
      | 'password_reset_status'
      | 'transition_status'
      | 'email_reverify_status',
    email: string,
  ): Promise<string> {
    return (await this.get(call, { email })).status
  }

  /** cert_key answers the certificate as the whole text body. */
  async certKey(email: string, pubkey: string, ephemeral: boolean, opts: CertOptions = {}): Promise<string> {
    const r = await this.post('cert_key', { email, pubkey, ephemeral, ...opts })
    if (r.split('.').length !== 3) throw new WsapiError('cert_key', 0, 'bad certificate')
    return r
  }

  async emailForToken(token: string): Promise<{ email: string; mustAuth: boolean; needsPassword: boolean }> {
    const r = await this.get('email_for_token', { token })
    if (!r.success) throw new WsapiError('email_for_token', 200, 'This link is not valid any more.')
    return { email: r.email, mustAuth: r.must_auth, needsPassword: r.needs_password }
  }
}

/** Persona answers 400 "requires authentication"; some servers use 401. Either means: sign in again. */
export function isAuthRequired(e: unknown): boolean {
  return (
    e instanceof WsapiError &&
    (e.status === 400 || e.status === 401) &&
    /requires authentication/i.test(e.message)
  )
}

export function isRecordValue(v: unknown): v is Record<string, unknown> {
  return isRecord(v)
}
