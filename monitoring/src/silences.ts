// SPDX-License-Identifier: MPL-2.0
// Drain silences: while the deploy tool has a cluster out of DNS and upgrades it, every alert of that
// cluster is silenced (its processes restart, its DNS check fails on purpose); after, the silence is
// lifted. A silence that outlives a stalled deploy expires on its own (default 45 minutes), so a
// forgotten drain still pages. Talks to Alertmanager's v2 API.
export const DRAIN_CREATOR = 'persona-deploy'
const DEFAULT_DURATION_MS = 45 * 60_000

interface SilenceJson {
  readonly id: string
  readonly createdBy: string
  readonly comment: string
  readonly status: { readonly state: string }
  readonly matchers: readonly { readonly name: string; readonly value: string; readonly isRegex: boolean }[]
}

function isSilenceList(v: unknown): v is SilenceJson[] {
  return (
    Array.isArray(v) && v.every((s) => typeof s === 'object' && s !== null && 'id' in s && 'matchers' in s)
  )
}

async function call(url: string, init: RequestInit = {}): Promise<unknown> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) })
  const text = await res.text()
  if (!res.ok)
    throw new Error(`Alertmanager ${init.method ?? 'GET'} ${url}: HTTP ${res.status} ${text.slice(0, 200)}`)
  return text === '' ? undefined : JSON.parse(text)
}

export interface DrainOptions {
  /** Who drains, written into the silence's comment (e.g. `deploy 1.4.0`). */
  readonly reason?: string
  readonly durationMs?: number
  readonly now?: () => number
}

/**
 * Silences every alert of `cluster` for the drain; returns the silence id (lift it with liftDrain).
 * @throws {Error} when Alertmanager refuses or cannot be reached: the deploy should stop, not page.
 * @example const id = await drainCluster('http://127.0.0.1:9093', 'a', { reason: 'deploy 1.4.0' })
 */
export async function drainCluster(
  alertmanager: string,
  cluster: string,
  o: DrainOptions = {},
): Promise<string> {
  const now = (o.now ?? Date.now)()
  const body = {
    matchers: [{ name: 'cluster', value: cluster, isRegex: false, isEqual: true }],
    startsAt: new Date(now).toISOString(),
    endsAt: new Date(now + (o.durationMs ?? DEFAULT_DURATION_MS)).toISOString(),
    createdBy: DRAIN_CREATOR,
    comment: `cluster ${cluster} drained${o.reason === undefined ? '' : `: ${o.reason}`}`,
  }
  const out = await call(`${alertmanager.replace(/\/$/, '')}/api/v2/silences`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  const id = typeof out === 'object' && out !== null && 'silenceID' in out ? out.silenceID : undefined
  if (typeof id !== 'string') throw new Error('Alertmanager did not return a silence id')
  return id
}

/** The active drain silences of `cluster` (all clusters when omitted). */
export async function drainSilences(alertmanager: string, cluster?: string): Promise<SilenceJson[]> {
  const list = await call(`${alertmanager.replace(/\/$/, '')}/api/v2/silences`)
  if (!isSilenceList(list)) throw new Error('Alertmanager answered an unexpected silence list')
  return list.filter(
    (s) =>
      s.createdBy === DRAIN_CREATOR &&
      s.status.state === 'active' &&
      (cluster === undefined ||
        s.matchers.some((m) => m.name === 'cluster' && m.value === cluster && !m.isRegex)),
  )
}

/** Lifts the drain silences of `cluster` (every one the deploy tool set for it); returns how many. */
export async function liftDrain(alertmanager: string, cluster: string): Promise<number> {
  const active = await drainSilences(alertmanager, cluster)
  for (const s of active) await liftSilence(s.id, alertmanager)
  return active.length
}

/** Alertmanager's URL: ALERTMANAGER_URL, else loopback on ALERTMANAGER_PORT (9093). */
export function defaultAlertmanager(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return env.ALERTMANAGER_URL || `http://127.0.0.1:${env.ALERTMANAGER_PORT || '9093'}`
}

/**
 * The deploy tool's hook (scripts/multi/deploy.ts Silencer): silences `cluster` while it is drained.
 * @example const id = await silenceCluster('a', 'deploy v2'); ...; await liftSilence(id)
 */
export function silenceCluster(
  cluster: string,
  reason: string,
  alertmanager = defaultAlertmanager(),
): Promise<string> {
  return drainCluster(alertmanager, cluster, { reason })
}

/** Lifts one silence by id (the one silenceCluster returned). */
export async function liftSilence(id: string, alertmanager = defaultAlertmanager()): Promise<void> {
  await call(`${alertmanager.replace(/\/$/, '')}/api/v2/silence/${encodeURIComponent(id)}`, {
    method: 'DELETE',
  })
}
