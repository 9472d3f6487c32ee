// SPDX-License-Identifier: MPL-2.0
// Security headers of the pages static serves: a strict Content-Security-Policy (no inline script, only
// our own origin, IdP provisioning pages as the only frames) and per-page framing rules, since the
// communication iframe must be framable by any relying site while the dialog and account pages never are.

export const FRAME_RULES = ['deny', 'sameorigin', 'any'] as const
export type FrameRule = (typeof FRAME_RULES)[number]

const FRAME_ANCESTORS: Record<FrameRule, string> = { deny: "'none'", sameorigin: "'self'", any: '*' }

/** The CSP of an HTML page; `frameSources` are the extra frame-src entries (e.g. `https:`). */
export function pageCsp(frame: FrameRule, frameSources: readonly string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    // Relying sites may show their logo (https or data: URIs, as Persona allowed).
    "img-src 'self' data: https:",
    "font-src 'self'",
    "connect-src 'self'",
    `frame-src ${["'self'", ...frameSources].join(' ')}`,
    `frame-ancestors ${FRAME_ANCESTORS[frame]}`,
    "form-action 'self'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ')
}

/** Headers for an HTML page with the given framing rule. */
export function pageHeaders(frame: FrameRule, frameSources: readonly string[]): Record<string, string> {
  const h: Record<string, string> = {
    'content-security-policy': pageCsp(frame, frameSources),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
    'cache-control': 'no-cache',
  }
  // X-Frame-Options for browsers without frame-ancestors; it has no "anyone" value, so omit it then.
  if (frame === 'deny') h['x-frame-options'] = 'DENY'
  if (frame === 'sameorigin') h['x-frame-options'] = 'SAMEORIGIN'
  return h
}

/** Cache-Control for a file under dist/: hashed assets forever, entry points briefly. */
export function assetCacheControl(relPath: string, entryMaxAge: number): string {
  if (relPath.startsWith('assets/')) return 'public, max-age=31536000, immutable'
  return `public, max-age=${entryMaxAge}`
}
