// SPDX-License-Identifier: MPL-2.0
// The browser's wsapi client (re-implements Persona's common/js/network.js): GETs with query args,
// POSTs as JSON with the session's CSRF token (from session_context) added as `csrf`.

export interface SessionContext {
  readonly csrf_token: string
  readonly server_time: number
  readonly authenticated: boolean
  readonly auth_level?: 'password' | 'assertion'
  readonly has_password: boolean
  /** Share (0..1) of dialog sessions that record interaction data. */
  readonly data_sample_rate: number
  /** False when the browser sent back none of our cookies: the dialog cannot keep a session. */
  readonly cookies: boolean
  readonly userid?: number
}

export interface AddressInfo {
  readonly type: 'primary' | 'secondary'
  readonly issuer: string
  readonly state: string
  readonly normalizedEmail?: string
  readonly auth?: string
  readonly prov?: string
  readonly disabled?: boolean
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

/** A relying site's experimental certificate options, passed on to cert_key. */
export interface CertOptions {
  readonly forceIssuer?: string
  readonly allowUnverified?: boolean
}

/** Call arguments; arrays of objects only in POST bodies (interaction_data's `data`). */
type Args = Record<string, string | number | boolean | undefined | readonly object[]>

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

  async get(call: string, args: Args = {}): Promise<unknown> {
    const qs = new URLSearchParams()
    for (const [k, v] of Object.entries(args)) if (v !== undefined) qs.set(k, String(v))
    const q = qs.toString()
    const res = await fetch(`${this.base}/wsapi/${call}${q ? `?${q}` : ''}`, {
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
      cache: 'no-store',
    })
    return readBody(call, res)
  }

  async post(call: string, args: Args = {}): Promise<unknown> {
    const ctx = await this.sessionContext()
    const body: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(args)) if (v !== undefined) body[k] = v
    body.csrf = ctx.csrf_token
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
    return readBody(call, res)
  }

  /** session_context, cached until `refresh` (the CSRF token survives logouts, not resets). */
  async sessionContext(refresh = false): Promise<SessionContext> {
    if (this.context && !refresh) return this.context
    const raw = await this.get('session_context')
    if (!isRecord(raw) || typeof raw.csrf_token !== 'string')
      throw new WsapiError('session_context', 0, 'bad reply')
    const ctx: SessionContext = {
      csrf_token: raw.csrf_token,
      server_time: typeof raw.server_time === 'number' ? raw.server_time : Date.now(),
      authenticated: raw.authenticated === true,
      has_password: raw.has_password === true,
      cookies: raw.cookies !== false,
      data_sample_rate:
        typeof raw.data_sample_rate === 'number' && raw.data_sample_rate >= 0 && raw.data_sample_rate <= 1
          ? raw.data_sample_rate
          : 0,
      ...(raw.auth_level === 'password' || raw.auth_level === 'assertion'
        ? { auth_level: raw.auth_level }
        : {}),
      ...(typeof raw.userid === 'number' ? { userid: raw.userid } : {}),
    }
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
  async postOk(call: string, args: Args = {}): Promise<Record<string, unknown>> {
    const r = await this.post(call, args)
    if (!isRecord(r) || r.success !== true) {
      const reason = isRecord(r) && typeof r.reason === 'string' ? r.reason : `${call} failed`
      throw new WsapiError(call, 200, reason)
    }
    return r
  }

  /** @param issuer a site's experimental_forceIssuer: the address is then treated as ours (secondary). */
  async addressInfo(email: string, issuer?: string): Promise<AddressInfo> {
    const r = await this.get('address_info', { email, ...(issuer !== undefined ? { issuer } : {}) })
    if (!isRecord(r) || (r.type !== 'primary' && r.type !== 'secondary')) {
      throw new WsapiError('address_info', 0, 'bad reply')
    }
    return {
      type: r.type,
      issuer: typeof r.issuer === 'string' ? r.issuer : '',
      state: typeof r.state === 'string' ? r.state : 'unknown',
      ...(typeof r.normalizedEmail === 'string' ? { normalizedEmail: r.normalizedEmail } : {}),
      ...(typeof r.auth === 'string' ? { auth: r.auth } : {}),
      ...(typeof r.prov === 'string' ? { prov: r.prov } : {}),
      ...(typeof r.disabled === 'boolean' ? { disabled: r.disabled } : {}),
    }
  }

  async listEmails(): Promise<string[]> {
    const r = await this.get('list_emails')
    if (!isRecord(r) || !Array.isArray(r.emails)) return []
    return r.emails.filter((e): e is string => typeof e === 'string')
  }

  /** Polled status calls answer {status}. */
  async status(call: string, email: string): Promise<string> {
    const r = await this.get(call, { email })
    return isRecord(r) && typeof r.status === 'string' ? r.status : 'failed'
  }

  /** cert_key answers the certificate as the whole text body. */
  async certKey(email: string, pubkey: string, ephemeral: boolean, opts: CertOptions = {}): Promise<string> {
    const r = await this.post('cert_key', { email, pubkey, ephemeral, ...opts })
    if (typeof r !== 'string' || r.split('.').length !== 3)
      throw new WsapiError('cert_key', 0, 'bad certificate')
    return r
  }

  async emailForToken(token: string): Promise<{ email: string; mustAuth: boolean; needsPassword: boolean }> {
    const r = await this.get('email_for_token', { token })
    if (!isRecord(r) || r.success !== true || typeof r.email !== 'string') {
      throw new WsapiError('email_for_token', 200, 'This link is not valid any more.')
    }
    return { email: r.email, mustAuth: r.must_auth === true, needsPassword: r.needs_password === true }
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
