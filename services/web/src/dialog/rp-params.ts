// SPDX-License-Identifier: MPL-2.0
// Checks what the relying site sent with request() (re-implements dialog/js/modules/validate_rp_params.js):
// only plain, well-formed values reach the dialog's screens.

export interface RpParams {
  readonly siteName?: string
  readonly backgroundColor?: string
  readonly termsOfService?: string
  readonly privacyPolicy?: string
  readonly returnTo?: string
  readonly email?: string
  /** A language the site wants the dialog in (BCP 47), tried before the browser's own. */
  readonly lang?: string
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
  const out: Record<string, string> = {}
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
  const email = str(get('email'), 254)
  if (email && /^[^\s@]+@[^\s@]+$/.test(email)) out.email = email
  const lang = str(get('lang'), 35)
  if (lang && /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(lang)) out.lang = lang
  return out
}
