// SPDX-License-Identifier: MPL-2.0
// SHIMMED_PRIMARIES (development and tests only): "idp.test=http://127.0.0.1:9001,other.test=..." sends
// requests for those domains to a local origin instead of https://DOMAIN.

export type Shims = ReadonlyMap<string, string>

/** @throws {Error} naming the bad entry */
export function parseShims(spec: string): Shims {
  const shims = new Map<string, string>()
  for (const entry of spec.split(',').map((e) => e.trim())) {
    if (entry === '') continue
    const eq = entry.indexOf('=')
    if (eq <= 0) throw new Error(`SHIMMED_PRIMARIES entry "${entry}" is not domain=origin`)
    const domain = entry.slice(0, eq).trim().toLowerCase()
    const origin = entry.slice(eq + 1).trim()
    let url: URL
    try {
      url = new URL(origin)
    } catch {
      throw new Error(`SHIMMED_PRIMARIES entry "${entry}": "${origin}" is not a URL`)
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new Error(`SHIMMED_PRIMARIES entry "${entry}": origin must be http or https`)
    }
    shims.set(domain, url.origin)
  }
  return shims
}
