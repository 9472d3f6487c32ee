// SPDX-License-Identifier: MPL-2.0
// Verification mail (Persona's lib/email.js): four kinds of message, each with a link to one of our
// landing pages carrying the token, saying which site asked. Sent with nodemailer over SMTP; the call
// answers before delivery ends, and a failed delivery is logged, never shown to the caller.
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer'

export type MailKind = 'new' | 'confirm' | 'reset' | 'transition'

const KINDS: Readonly<
  Record<MailKind, { readonly landing: string; readonly subject: string; readonly action: string }>
> = {
  new: {
    landing: '/verify_email_address',
    subject: 'Complete sign-in',
    action: 'finish creating your account',
  },
  confirm: { landing: '/confirm', subject: 'Complete sign-in', action: 'confirm this email address' },
  reset: { landing: '/reset_password', subject: 'Complete password reset', action: 'reset your password' },
  transition: { landing: '/complete_transition', subject: 'Complete sign-in', action: 'finish signing in' },
}

export interface MailerOptions {
  readonly host: string
  readonly port: number
  readonly secure: boolean
  readonly user?: string | undefined
  readonly pass?: string | undefined
  /** Base of the links, e.g. `https://login.persona.org`. */
  readonly publicUrl: string
  readonly from: string
}

export interface VerificationMail {
  readonly kind: MailKind
  readonly to: string
  /** The asking site's origin (`https://rp.example:8443`); shown as its host. */
  readonly site: string
  readonly token: string
  readonly backgroundColor?: string | undefined
  readonly siteLogo?: string | undefined
}

const DEFAULT_BACKGROUND = '45505b'

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** The link a message carries. */
export function verificationUrl(publicUrl: string, kind: MailKind, token: string): string {
  const u = new URL(KINDS[kind].landing, publicUrl)
  u.searchParams.set('token', token)
  return u.toString()
}

export class Mailer {
  readonly #transport: Transporter
  readonly #opts: MailerOptions

  constructor(opts: MailerOptions) {
    this.#opts = opts
    this.#transport = nodemailer.createTransport({
      host: opts.host,
      port: opts.port,
      secure: opts.secure,
      // Without TLS on connect, still upgrade with STARTTLS when the server offers it (not to localhost).
      ignoreTLS: !opts.secure && (opts.host === '127.0.0.1' || opts.host === 'localhost'),
      ...(opts.user !== undefined && opts.user !== ''
        ? { auth: { user: opts.user, pass: opts.pass ?? '' } }
        : {}),
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    })
  }

  /** The message as it will be sent (exported for tests). */
  compose(m: VerificationMail): SendMailOptions {
    const k = KINDS[m.kind]
    const host = new URL(m.site).hostname
    const link = verificationUrl(this.#opts.publicUrl, m.kind, m.token)
    const bg = (m.backgroundColor ?? DEFAULT_BACKGROUND).replace(/^#/, '')
    const logo =
      m.siteLogo !== undefined
        ? `<img src="${escapeHtml(m.siteLogo)}" alt="" style="max-height:64px"><br>`
        : ''
    const text = `${host} asked Persona to ${k.action} for ${m.to}.\n\nTo continue, open this link:\n${link}\n\nIf you did not ask for this, ignore this message.\n`
    const html = `<!doctype html><html><body style="font-family:sans-serif"><div style="background:#${escapeHtml(bg)};color:#fff;padding:16px">${logo}<strong>${escapeHtml(host)}</strong></div><p>${escapeHtml(host)} asked Persona to ${k.action} for ${escapeHtml(m.to)}.</p><p><a href="${escapeHtml(link)}">Click here to continue</a></p><p>If you did not ask for this, ignore this message.</p></body></html>`
    return {
      from: this.#opts.from,
      to: m.to,
      subject: `${host}: ${k.subject}`,
      text,
      html,
      headers: { 'X-BrowserID-VerificationURL': link, 'X-BrowserID-RelyingParty': host },
    }
  }

  async send(m: VerificationMail): Promise<void> {
    await this.#transport.sendMail(this.compose(m))
  }

  /** Resolves when the SMTP server answers (deep heartbeat). */
  async verify(): Promise<void> {
    await this.#transport.verify()
  }

  close(): void {
    this.#transport.close()
  }
}
