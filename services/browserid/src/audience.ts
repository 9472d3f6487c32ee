// SPDX-License-Identifier: MPL-2.0
// Audience handling, re-implementing compareAudiences of Persona's lib/verifier/certassertion.js: the
// assertion's `aud` is an origin; the relying site may name itself as a full origin (http, https or app
// scheme, optional port), as `host:port`, or as a bare `host`. Only the parts it gives are compared,
// with the scheme's default port (443 for https, 80 otherwise) filled in where a port is absent.

export interface Audience {
  /** 'https:', 'http:' or 'app:'; absent when the site gave no scheme. */
  readonly scheme?: string
  /** Lower-cased host name (IPv6 in brackets). */
  readonly host: string
  /** Decimal port; filled from the scheme's default when a scheme was given. */
  readonly port?: string
}

const SCHEME_RE = /^(https?|app):\/\//i
const HOST_PORT_RE = /^([^:/?#@\s]+)(?::(\d{1,5}))?$/

function defaultPort(scheme: string): string {
  return scheme === 'https:' ? '443' : '80'
}

/** Parses an audience in any of the accepted forms; null when it is none of them. */
export function parseAudience(input: unknown): Audience | null {
  if (typeof input !== 'string' || input.length === 0 || input.length > 2048) return null
  if (SCHEME_RE.test(input)) {
    let url: URL
    try {
      url = new URL(input)
    } catch {
      return null
    }
    const scheme = url.protocol.toLowerCase()
    const host = url.hostname.toLowerCase()
    if (!host || url.username || url.password) return null
    return { scheme, host, port: url.port || defaultPort(scheme) }
  }
  const m = HOST_PORT_RE.exec(input)
  if (!m?.[1]) return null
  const port = m[2]
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return null
  return port === undefined
    ? { host: m[1].toLowerCase() }
    : { host: m[1].toLowerCase(), port: String(Number(port)) }
}

/**
 * The canonical text of an audience: `scheme://host:port` when it has a scheme (the default port always
 * written out), else `host[:port]`. Null when it can't be parsed.
 */
export function normalizeAudience(input: unknown): string | null {
  const a = parseAudience(input)
  if (!a) return null
  if (a.scheme) return `${a.scheme}//${a.host}:${a.port ?? defaultPort(a.scheme)}`
  return a.port ? `${a.host}:${a.port}` : a.host
}

/**
 * Compares the assertion's audience (`want`, from the signed assertion) with what the relying site sent
 * (`got`). Returns null when they match, else the reason (`scheme mismatch`, `port mismatch`, …).
 */
export function compareAudiences(want: unknown, got: unknown): string | null {
  const g = parseAudience(got)
  if (!g) return 'malformed audience'
  const w = parseAudience(want)
  // The assertion's own audience must be a full origin.
  if (!w?.scheme) return 'malformed audience in assertion'
  if (g.scheme && g.scheme !== w.scheme) return 'scheme mismatch'
  if (g.port && g.port !== w.port) return 'port mismatch'
  if (g.host !== w.host) return 'domain mismatch'
  return null
}
