// SPDX-License-Identifier: MPL-2.0
// The locales Persona ships and how one is chosen for a request (Persona's i18n-abide did this from
// Accept-Language, with English as the fallback). Pure and browser-safe: the dialog negotiates again
// when a relying site asks for a language of its own. Adding a locale: one row here and one folder of
// .ftl files under src/locales/ (README: "Languages").
import { negotiateLanguages } from '@fluent/langneg'

export type Direction = 'ltr' | 'rtl'

export interface LocaleInfo {
  /** BCP 47 tag, also the folder name under src/locales/. */
  readonly code: string
  /** The language's own name for itself (a language picker shows this). */
  readonly name: string
  readonly dir: Direction
}

/** Shipped locales, English first (the fallback and the source of every message). */
export const LOCALES = [
  { code: 'en', name: 'English', dir: 'ltr' },
  { code: 'de', name: 'Deutsch', dir: 'ltr' },
  { code: 'fr', name: 'Français', dir: 'ltr' },
  { code: 'es', name: 'Español', dir: 'ltr' },
  { code: 'pt-BR', name: 'Português (Brasil)', dir: 'ltr' },
  { code: 'ja', name: '日本語', dir: 'ltr' },
  { code: 'zh-CN', name: '简体中文', dir: 'ltr' },
  { code: 'ar', name: 'العربية', dir: 'rtl' },
] as const satisfies readonly LocaleInfo[]

export type ShippedLocale = (typeof LOCALES)[number]['code']

export const DEFAULT_LOCALE = 'en'

/**
 * The pseudo-locale: English with every letter accented and each message bracketed and lengthened, so a
 * string that escaped localization (plain ASCII English on screen) stands out in a test or a screenshot.
 * It is chosen only when asked for by name, never as a match for another English tag.
 */
export const PSEUDO_LOCALE = 'en-XA'

/** Every locale a page can be served in: the shipped ones and the pseudo-locale. */
export const ALL_LOCALES: readonly string[] = [...LOCALES.map((l) => l.code), PSEUDO_LOCALE]

const RTL_LANGUAGES = new Set(['ar', 'he', 'fa', 'ur', 'ps', 'yi', 'dv', 'ckb'])

export function dirOf(locale: string): Direction {
  const shipped = LOCALES.find((l) => l.code === locale)
  if (shipped !== undefined) return shipped.dir
  return RTL_LANGUAGES.has(locale.split('-')[0]?.toLowerCase() ?? '') ? 'rtl' : 'ltr'
}

/** The locale the files for `locale` live under: the pseudo-locale is made from English. */
export function sourceLocaleOf(locale: string): string {
  return locale === PSEUDO_LOCALE ? DEFAULT_LOCALE : locale
}

const TAG = /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/

/** Language tags from an Accept-Language header, by quality then order (malformed parts and q=0 dropped). */
export function parseAcceptLanguage(header: string | undefined): string[] {
  if (header === undefined || header.length > 1000) return []
  const ranked: { tag: string; q: number; i: number }[] = []
  for (const [i, part] of header.split(',').entries()) {
    const [tag = '', ...params] = part.trim().split(';')
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
    const q = qParam === undefined ? 1 : Number(qParam.slice(2))
    if (TAG.test(tag) && Number.isFinite(q) && q > 0 && q <= 1) ranked.push({ tag, q, i })
  }
  return ranked.sort((a, b) => b.q - a.q || a.i - b.i).map((r) => r.tag)
}

/**
 * The best locale for what the user (or the relying site) asked for, from `available` (default: all
 * shipped locales); English when nothing matches. `pt` finds pt-BR, `zh` and `zh-Hans` find zh-CN.
 */
export function negotiate(requested: readonly string[], available: readonly string[] = ALL_LOCALES): string {
  const wanted = requested.filter((r) => r.length > 0 && r.length <= 35)
  const pseudo = available.includes(PSEUDO_LOCALE)
  for (const r of wanted) {
    // The pseudo-locale only by exact name; it must never stand in for "en-US".
    if (pseudo && r.toLowerCase() === PSEUDO_LOCALE.toLowerCase()) return PSEUDO_LOCALE
    // Then the bare language: langneg cannot read every region (es-419 is Latin American Spanish).
    const language = r.split('-')[0] ?? r
    const [best] = negotiateLanguages(
      language === r ? [r] : [r, language],
      available.filter((a) => a !== PSEUDO_LOCALE),
      { strategy: 'lookup', defaultLocale: '' },
    )
    if (best) return best
  }
  return available.includes(DEFAULT_LOCALE) ? DEFAULT_LOCALE : (available[0] ?? DEFAULT_LOCALE)
}

/** negotiate() over an Accept-Language header. */
export function negotiateHeader(header: string | undefined, available?: readonly string[]): string {
  return negotiate(parseAcceptLanguage(header), available)
}
