// SPDX-License-Identifier: MPL-2.0
// Checks what the relying site sent with request() (re-implements dialog/js/modules/validate_rp_params.js):
// only plain, well-formed values reach the dialog's screens.
import {
  isValidEmail,
  isValidHostname,
  MAX_EMAIL_LENGTH,
  MAX_HOSTNAME_LENGTH,
} from '@persona/browserid/email'

export interface RpParams {
  readonly siteName?: string
  /** https only (an absolute URL, or a path on an https site): shown in the dialog and the mail. */
  readonly siteLogo?: string
  readonly backgroundColor?: string
  readonly termsOfService?: string
  readonly privacyPolicy?: string
  readonly returnTo?: string
  readonly email?: string
  /** A language the site wants the dialog in (BCP 47), tried before the browser's own. */
  readonly lang?: string
  /** experimental_forceIssuer: certificates from Persona under this issuer, primaries treated as ours. */
  readonly forceIssuer?: string
  /** experimental_allowUnverified: an address not yet (re)confirmed may sign in. */
  readonly allowUnverified?: boolean
  /** experimental_forceAuthentication: the user types the password again, even when signed in. */
  readonly forceAuthentication?: boolean
}

function flag(v: unknown): boolean {
  return v === true || v === 'true'
}

function str(v: unknown, max = 2048): string | undefined {
  return typeof v === 'string' && v.length > 0 && v.length <= max ? v : undefined
}

/** An absolute http(s) URL, or one relative to the site, resolved against its origin. */
function siteUrl(v: unknown, origin: string): string | undefined {
  const s = str(v)
  if (!s) return undefined
  try {
    const u = new URL(s, origin)
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : undefined
  } catch {
    return undefined
  }
}

export function validateRpParams(raw: unknown, origin: string): RpParams {
  const p = typeof raw === 'object' && raw !== null ? raw : {}
  const get = (k: string): unknown => (k in p ? Reflect.get(p, k) : undefined)
  const out: Record<string, string | boolean> = {}
  const siteName = str(get('siteName'), 100)
  if (siteName) out.siteName = siteName
  const color = str(get('backgroundColor'), 7)
  if (color && /^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(color))
    out.backgroundColor = color.replace(/^#?/, '#')
  const tos = siteUrl(get('termsOfService'), origin)
  const pp = siteUrl(get('privacyPolicy'), origin)
  // Persona shows the two only together.
  if (tos && pp) {
    out.termsOfService = tos
    out.privacyPolicy = pp
  }
  const returnTo = siteUrl(get('returnTo'), origin)
  if (returnTo && new URL(returnTo).origin === origin) out.returnTo = returnTo
  const email = str(get('email'), MAX_EMAIL_LENGTH)
  if (email && isValidEmail(email)) out.email = email
  const logo = siteUrl(get('siteLogo'), origin)
  if (logo && new URL(logo).protocol === 'https:') out.siteLogo = logo
  const issuer = str(get('experimental_forceIssuer'), MAX_HOSTNAME_LENGTH)
  if (issuer && isValidHostname(issuer)) out.forceIssuer = issuer.toLowerCase()
  if (flag(get('experimental_allowUnverified'))) out.allowUnverified = true
  if (flag(get('experimental_forceAuthentication'))) out.forceAuthentication = true
  const lang = str(get('lang'), 35)
  if (lang && /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(lang)) out.lang = lang
  return out
}
