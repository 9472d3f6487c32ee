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

export function loggerOptions(service: string, level: string): LoggerOptions {
  return {
    level,
    base: { service },
    messageKey: 'msg',
    redact: { paths, censor: '[redacted]' },
    serializers: {
      req: (req: { method?: string; url?: string; id?: string }) => ({
        method: req.method,
        // Query strings can carry tokens (email links); log the path only.
        url: typeof req.url === 'string' ? req.url.split('?')[0] : req.url,
        id: req.id,
      }),
    },
  }
}
