// SPDX-License-Identifier: MPL-2.0
// A relying site's returnTo, kept by the dialog when it sends a verification mail, so the page behind
// the emailed link (in this same browser) can offer the way back to the site, as Persona's verification
// page did. Only an http(s) URL the dialog already checked is kept, for a day.

const KEY = 'persona.returnTo'
const MAX_AGE_MS = 24 * 60 * 60 * 1000

export interface ReturnTo {
  readonly url: string
  /** The site's name as the dialog showed it. */
  readonly site: string
}

export function saveReturnTo(storage: Storage, r: ReturnTo, now: number): void {
  storage.setItem(KEY, JSON.stringify({ ...r, at: now }))
}

/** The saved way back, once (it is removed), if still fresh and well-formed. */
export function takeReturnTo(storage: Storage, now: number): ReturnTo | undefined {
  const raw = storage.getItem(KEY)
  storage.removeItem(KEY)
  if (raw === null) return undefined
  try {
    const v: unknown = JSON.parse(raw)
    if (typeof v !== 'object' || v === null) return undefined
    const url = Reflect.get(v, 'url')
    const site = Reflect.get(v, 'site')
    const at = Reflect.get(v, 'at')
    if (typeof url !== 'string' || typeof site !== 'string' || typeof at !== 'number') return undefined
    if (now - at > MAX_AGE_MS || at > now) return undefined
    const u = new URL(url)
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined
    return { url: u.href, site: site.slice(0, 100) }
  } catch {
    return undefined
  }
}
