// SPDX-License-Identifier: MPL-2.0
// The verification mail's text (Persona's email templates), in the language of the browser that asked:
// subject, plain text and HTML from the `mail` messages of @persona/l10n, with the site's colour and
// logo. Pure: the mailer sends what this returns.
import { type Messages, negotiateHeader } from '@persona/l10n'
import { Catalog } from '@persona/l10n/catalog'
import type { MailKind } from '@persona/wsapi'

export type { MailKind }

/** Each kind's landing page and its messages (ids spelled out so the message tests can find them). */
const KINDS: Readonly<
  Record<MailKind, { readonly landing: string; readonly subject: string; readonly intro: string }>
> = {
  new: { landing: '/verify_email_address', subject: 'mail-subject-new', intro: 'mail-intro-new' },
  confirm: { landing: '/confirm', subject: 'mail-subject-confirm', intro: 'mail-intro-confirm' },
  reverify: { landing: '/confirm', subject: 'mail-subject-reverify', intro: 'mail-intro-reverify' },
  reset: { landing: '/reset_password', subject: 'mail-subject-reset', intro: 'mail-intro-reset' },
  transition: {
    landing: '/complete_transition',
    subject: 'mail-subject-transition',
    intro: 'mail-intro-transition',
  },
}

const DEFAULT_BACKGROUND = '45505b'

export interface MailContent {
  readonly locale: string
  readonly subject: string
  readonly text: string
  readonly html: string
}

export interface MailRequest {
  readonly kind: MailKind
  readonly to: string
  /** The asking site's host, as shown to the user. */
  readonly site: string
  readonly link: string
  /** The browser's Accept-Language (the dialog sends its own language when a site chose one). */
  readonly acceptLanguage?: string | undefined
  /** Six hex digits, with or without '#'. */
  readonly backgroundColor?: string | undefined
  /** https URL of the site's logo (the wsapi refuses anything else). */
  readonly siteLogo?: string | undefined
}

const catalog = new Catalog('mail', undefined, { isolateLtr: false })

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** The link a message of this kind carries. */
export function verificationUrl(publicUrl: string, kind: MailKind, token: string): string {
  const u = new URL(KINDS[kind].landing, publicUrl)
  u.searchParams.set('token', token)
  return u.toString()
}

/** Black or white text, whichever reads better on the site's colour (WCAG relative luminance). */
function textOn(hex: string): string {
  const [r = 0, g = 0, b = 0] = [0, 2, 4].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  })
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.4 ? '#1d2329' : '#ffffff'
}

function html(m: Messages, req: MailRequest, intro: string): string {
  const raw = (req.backgroundColor ?? DEFAULT_BACKGROUND).replace(/^#/, '')
  // #abc is #aabbcc, as in CSS.
  const six = /^[0-9a-fA-F]{3}$/.test(raw) ? raw.replace(/./g, '$&$&') : raw
  const bg = /^[0-9a-fA-F]{6}$/.test(six) ? six : DEFAULT_BACKGROUND
  const logoUrl = req.siteLogo ?? ''
  const logo = logoUrl.startsWith('https://')
    ? `<img src="${escapeHtml(logoUrl)}" alt="" width="64" height="64" style="display:block;max-width:64px;max-height:64px;margin-block-end:8px">`
    : ''
  const dir = m.dir
  const align = dir === 'rtl' ? 'right' : 'left'
  return [
    `<!doctype html><html lang="${m.locale}" dir="${dir}"><head><meta charset="utf-8"></head>`,
    `<body style="font-family:system-ui,sans-serif;margin:0;padding:16px;text-align:${align}">`,
    `<div style="background:#${bg};color:${textOn(bg)};padding:16px;border-radius:8px 8px 0 0">${logo}<strong dir="ltr">${escapeHtml(req.site)}</strong></div>`,
    '<div style="border:1px solid #d5dbe1;border-top:0;padding:16px;border-radius:0 0 8px 8px">',
    `<p>${escapeHtml(intro)}</p>`,
    `<p><a href="${escapeHtml(req.link)}" style="display:inline-block;background:#0b63ce;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none">${escapeHtml(m.format('mail-button'))}</a></p>`,
    `<p style="font-size:13px;color:#5b6670">${escapeHtml(m.format('mail-open-link'))}<br><a href="${escapeHtml(req.link)}" dir="ltr">${escapeHtml(req.link)}</a></p>`,
    `<p style="font-size:13px;color:#5b6670">${escapeHtml(m.format('mail-ignore'))}</p>`,
    `<p style="font-size:12px;color:#5b6670">${escapeHtml(m.format('mail-footer', { site: req.site }))}</p>`,
    '</div></body></html>',
  ].join('')
}

/** The message for one request, in the best locale for its Accept-Language (English otherwise). */
export function composeMail(req: MailRequest): MailContent {
  const m = catalog.get(negotiateHeader(req.acceptLanguage))
  const k = KINDS[req.kind]
  const args = { site: req.site, email: req.to }
  const intro = m.format(k.intro, args)
  const text = [
    intro,
    '',
    m.format('mail-open-link'),
    req.link,
    '',
    m.format('mail-ignore'),
    '',
    m.format('mail-footer', { site: req.site }),
    '',
  ].join('\n')
  return { locale: m.locale, subject: m.format(k.subject, args), text, html: html(m, req, intro) }
}

/** A notice to an account's owner (no link, no asking site). */
export interface NoticeRequest {
  readonly kind: NoticeKind
  readonly to: string
  /** How many wrong passwords started the backoff. */
  readonly failures: number
  readonly acceptLanguage?: string | undefined
}

/** Notices: `signin-failures` (the account's sign-in backoff has started). */
export type NoticeKind = 'signin-failures'

/** The notice in the best locale for its Accept-Language (English otherwise). */
export function composeNotice(req: NoticeRequest): MailContent {
  const m = catalog.get(negotiateHeader(req.acceptLanguage))
  const lines = [
    m.format('mail-notice-signin-failures', { email: req.to, count: req.failures }),
    m.format('mail-notice-signin-failures-safe'),
    m.format('mail-notice-signin-failures-reset'),
  ]
  const footer = m.format('mail-footer-notice')
  const dir = m.dir
  const html = [
    `<!doctype html><html lang="${m.locale}" dir="${dir}"><head><meta charset="utf-8"></head>`,
    `<body style="font-family:system-ui,sans-serif;margin:0;padding:16px;text-align:${dir === 'rtl' ? 'right' : 'left'}">`,
    ...lines.map((l) => `<p>${escapeHtml(l)}</p>`),
    `<p style="font-size:12px;color:#5b6670">${escapeHtml(footer)}</p>`,
    '</body></html>',
  ].join('')
  const text = [...lines.flatMap((l) => [l, '']), footer, ''].join('\n')
  return { locale: m.locale, subject: m.format('mail-subject-signin-failures'), text, html }
}
