// SPDX-License-Identifier: MPL-2.0
// pino options shared by every service: JSON to stdout, secrets redacted wherever they appear.
import type { LoggerOptions } from 'pino'

/** Field names whose values never reach a log line. */
export const REDACTED_FIELDS = [
  'pass',
  'password',
  'oldpass',
  'newpass',
  'assertion',
  'cert',
  'certificate',
  'pubkey',
  'token',
  'secret',
  'csrf',
  'cookie',
  'authorization',
  'x-persona-token',
  'x-persona-session',
  'privateKey',
] as const

const paths = REDACTED_FIELDS.flatMap((f) => [
  f.includes('-') ? `["${f}"]` : f,
  f.includes('-') ? `*["${f}"]` : `*.${f}`,
  f.includes('-') ? `req.headers["${f}"]` : `req.headers.${f}`,
])

/**
 * The path of a request URL as logs may show it: without its query string (email links carry tokens
 * there), cut also at a `?` a client percent-encoded into the path.
 */
export function pathForLog(url: string): string {
  return (url.split('?')[0] ?? '').replace(/%3f.*$/is, '')
}

export function loggerOptions(service: string, level: string): LoggerOptions {
  return {
    level,
    base: { service },
    messageKey: 'msg',
    redact: { paths, censor: '[redacted]' },
    serializers: {
      req: (req: { method?: string; url?: string; id?: string }) => ({
        method: req.method,
        url: typeof req.url === 'string' ? pathForLog(req.url) : req.url,
        id: req.id,
      }),
    },
  }
}
