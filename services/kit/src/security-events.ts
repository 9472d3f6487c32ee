// SPDX-License-Identifier: MPL-2.0
// Security events as one stream: every service reports them through securityEvent(), which writes one
// JSON log line marked `stream: "security"` (a log shipper routes them by that field) carrying the same
// event as an ArcSight CEF string, as Persona's original did with its `cef` logger, and counts it in
// persona_security_events_total{event}. Emails appear only as the explicit `email` field.
import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import type { Counter } from 'prom-client'
import { counter } from './metrics.ts'

/** The events, each with its CEF severity (0-10) and what it means. Names are stable: alerts use them. */
export const SECURITY_EVENTS = {
  csrf_failed: { severity: 6, name: 'CSRF token missing or wrong' },
  account_locked: { severity: 7, name: 'Account locked after repeated failed sign-ins' },
  signin_failed: { severity: 4, name: 'Sign-in with a wrong password' },
  fetch_refused: { severity: 5, name: 'Outbound fetch refused by the proxy policy' },
  revoked_session_used: { severity: 7, name: 'A revoked or invalidated session was presented' },
  internal_auth_failed: { severity: 8, name: 'Internal call with a wrong service token' },
} as const satisfies Record<string, { severity: number; name: string }>
export type SecurityEventKind = keyof typeof SECURITY_EVENTS

export const SECURITY_EVENTS_TOTAL = counter(
  'persona_security_events_total',
  'security events reported, by event (see the security log stream)',
  ['event'],
)

export interface SecurityEventFields {
  /** The client address as the service saw it (after trustProxy). */
  readonly ip?: string
  readonly email?: string
  readonly userId?: number | string
  /** A domain involved (an IdP, a relying site). */
  readonly domain?: string
  /** Short machine-readable detail, e.g. `private-address` or `bad-token`. */
  readonly reason?: string
}

/** What securityEvent needs: a Fastify request, or the app's logger and instance outside one. */
export interface SecurityEventContext {
  readonly log: FastifyBaseLogger
  readonly server: FastifyInstance
}

const counters = new WeakMap<object, Counter<'event'>>()

/** Creates the counter with every event at 0 (so rates and dashboards have a series from the start). */
export function registerSecurityEvents(app: FastifyInstance): void {
  const c = app.metrics.use(SECURITY_EVENTS_TOTAL)
  for (const kind of Object.keys(SECURITY_EVENTS)) c.inc({ event: kind }, 0)
  counters.set(app.metrics, c)
}

function counterOf(server: FastifyInstance): Counter<'event'> {
  const c = counters.get(server.metrics)
  if (c === undefined) throw new TypeError('securityEvent: the app was not built by createService')
  return c
}

function cefEscapeHeader(s: string): string {
  return s
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]/g, ' ')
}
function cefEscapeValue(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/=/g, '\\=').replace(/\r?\n/g, '\\n')
}

/** The CEF:0 line for one event (device vendor Mozilla, product Persona, as the original logged). */
export function toCef(
  service: string,
  version: string,
  kind: SecurityEventKind,
  f: SecurityEventFields,
): string {
  const def = SECURITY_EVENTS[kind]
  const ext: [string, string | number | undefined][] = [
    ['src', f.ip],
    ['suser', f.email],
    ['suid', f.userId],
    ['dhost', f.domain],
    ['reason', f.reason],
  ]
  const extension = ext
    .filter((e): e is [string, string | number] => e[1] !== undefined && e[1] !== '')
    .map(([k, v]) => `${k}=${cefEscapeValue(String(v))}`)
    .join(' ')
  const header = [
    'CEF:0',
    'Mozilla',
    'Persona',
    version,
    `persona.${service}.${kind}`,
    def.name,
    def.severity,
  ]
  return `${header.map((h) => cefEscapeHeader(String(h))).join('|')}|${extension}`
}

/**
 * Reports one security event: a `stream: "security"` log line at warn (severity 7 and up) or info,
 * and one more in persona_security_events_total{event}.
 * @example securityEvent(req, 'csrf_failed', { ip: req.ip, reason: 'missing' })
 */
export function securityEvent(
  ctx: SecurityEventContext,
  kind: SecurityEventKind,
  fields: SecurityEventFields = {},
): void {
  const { service } = ctx.server.metrics
  const def = SECURITY_EVENTS[kind]
  counterOf(ctx.server).inc({ event: kind })
  const line = {
    stream: 'security',
    event: `security.${kind}`,
    severity: def.severity,
    ...fields,
    cef: toCef(service, ctx.server.metrics.version, kind, fields),
  }
  if (def.severity >= 7) ctx.log.warn(line, `security.${kind}`)
  else ctx.log.info(line, `security.${kind}`)
}
