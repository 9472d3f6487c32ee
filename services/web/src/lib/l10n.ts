// SPDX-License-Identifier: MPL-2.0
// The page's messages in the browser. Static served this page in the locale it negotiated from
// Accept-Language (`<html lang dir>`), and the build put the hashed .ftl of every locale in a JSON
// block (#persona-l10n); the dialog may switch once more when the relying site asks for a language.
import { type MessageArgs, Messages, negotiate } from '@persona/l10n'

interface PageL10n {
  readonly locale: string
  /** locale -> URL of this page's hashed .ftl */
  readonly assets: Readonly<Record<string, string>>
}

let current: Messages | undefined

function pageL10n(): PageL10n {
  const el = document.getElementById('persona-l10n')
  const raw: unknown = JSON.parse(el?.textContent ?? '{}')
  const locale = typeof raw === 'object' && raw !== null ? Reflect.get(raw, 'locale') : undefined
  const assets = typeof raw === 'object' && raw !== null ? Reflect.get(raw, 'assets') : undefined
  if (typeof locale !== 'string' || typeof assets !== 'object' || assets === null) {
    throw new TypeError('page has no localization data')
  }
  const map: Record<string, string> = {}
  for (const [k, v] of Object.entries(assets)) if (typeof v === 'string') map[k] = v
  return { locale, assets: map }
}

async function fetchMessages(locale: string, url: string): Promise<Messages> {
  const res = await fetch(url, { credentials: 'same-origin' })
  if (!res.ok) throw new Error(`messages for ${locale}: HTTP ${res.status}`)
  return new Messages(locale, [await res.text()], {
    onMissing: (id) => console.warn(`l10n ${locale}: missing ${id}`),
  })
}

/**
 * Loads the messages of the page's locale, or of the best match for `preferred` (a relying site's
 * `lang`, tried before the page's own locale), and sets `lang` and `dir` on the document to match.
 */
export async function loadMessages(preferred: readonly string[] = []): Promise<Messages> {
  const page = pageL10n()
  const available = Object.keys(page.assets)
  const locale = preferred.length > 0 ? negotiate([...preferred, page.locale], available) : page.locale
  if (current?.locale === locale) return current
  const url = page.assets[locale]
  if (url === undefined) throw new Error(`no messages for ${locale}`)
  current = await fetchMessages(locale, url)
  document.documentElement.lang = locale
  document.documentElement.dir = current.dir
  return current
}

/** The current locale (after loadMessages). */
export function locale(): string {
  return current?.locale ?? document.documentElement.lang
}

/** A message of the current locale. */
export function t(id: string, args?: MessageArgs): string {
  if (current === undefined) throw new Error(`t(${id}) before loadMessages()`)
  return current.format(id, args)
}

/**
 * A message for an attribute a screen reader speaks but nobody sees laid out (aria-label): without the
 * bidi isolation marks, which only matter for display.
 */
export function tLabel(id: string, args?: MessageArgs): string {
  return t(id, args).replace(/[\u2068\u2069]/g, '')
}

const OPEN = '\uE000'
const CLOSE = '\uE001'

/**
 * A message with some placeables as DOM nodes (an address in <strong>): each named node takes the
 * place of its placeable, wherever the translation put it.
 */
export function tNodes(
  id: string,
  args: MessageArgs,
  nodes: Readonly<Record<string, Node>>,
): (Node | string)[] {
  const marked: Record<string, string | number> = { ...args }
  for (const name of Object.keys(nodes)) marked[name] = `${OPEN}${name}${CLOSE}`
  const out: (Node | string)[] = []
  for (const [i, part] of t(id, marked)
    .split(new RegExp(`${OPEN}|${CLOSE}`))
    .entries()) {
    // Odd parts are the names between the markers.
    const node = i % 2 === 1 ? nodes[part] : undefined
    if (node !== undefined) out.push(node)
    else if (part !== '') out.push(part)
  }
  return out
}
