// SPDX-License-Identifier: MPL-2.0
// Verification mail (Persona's lib/email.js): five kinds of message, each with a link to one of our
// landing pages carrying the token, saying which site asked, in the asking browser's language
// (mail-message.ts); and notices to an account's owner (wrong passwords started its sign-in backoff). Sent with nodemailer over SMTP; the call answers before delivery ends, and a
// failed delivery is logged, never shown to the caller.
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer'
import {
  composeMail,
  composeNotice,
  type MailContent,
  type MailKind,
  type NoticeKind,
  type NoticeRequest,
  verificationUrl,
} from './mail-message.ts'

export { type MailKind, type NoticeKind, verificationUrl } from './mail-message.ts'

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
  /** The asking browser's Accept-Language; the mail is written in the best match. */
  readonly acceptLanguage?: string | undefined
}

export class Mailer {
  readonly #transport: Transporter
  readonly #opts: MailerOptions
  readonly #observers: ((kind: MailKind | NoticeKind, sent: boolean) => void)[] = []

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
    const host = new URL(m.site).hostname
    const link = verificationUrl(this.#opts.publicUrl, m.kind, m.token)
    const c = composeMail({
      kind: m.kind,
      to: m.to,
      site: host,
      link,
      acceptLanguage: m.acceptLanguage,
      backgroundColor: m.backgroundColor,
      siteLogo: m.siteLogo,
    })
    return {
      from: this.#opts.from,
      to: m.to,
      subject: c.subject,
      text: c.text,
      html: c.html,
      headers: {
        'X-BrowserID-VerificationURL': link,
        'X-BrowserID-RelyingParty': host,
        'Content-Language': c.locale,
      },
    }
  }

  async send(m: VerificationMail): Promise<void> {
    await this.#deliver(m.kind, this.compose(m))
  }

  /** Sends a notice to an account's owner. */
  async notify(n: NoticeRequest): Promise<void> {
    const c: MailContent = composeNotice(n)
    await this.#deliver(n.kind, {
      from: this.#opts.from,
      to: n.to,
      subject: c.subject,
      text: c.text,
      html: c.html,
      headers: { 'Content-Language': c.locale },
    })
  }

  async #deliver(kind: MailKind | NoticeKind, mail: SendMailOptions): Promise<void> {
    let sent = false
    try {
      await this.#transport.sendMail(mail)
      sent = true
    } finally {
      for (const o of this.#observers) o(kind, sent)
    }
  }

  /** Calls `observer` after each send with whether the relay took the mail (the writer's counters). */
  observe(observer: (kind: MailKind | NoticeKind, sent: boolean) => void): void {
    this.#observers.push(observer)
  }

  /** Resolves when the SMTP server answers (deep heartbeat). */
  async verify(): Promise<void> {
    await this.#transport.verify()
  }

  close(): void {
    this.#transport.close()
  }
}
