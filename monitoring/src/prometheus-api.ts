// SPDX-License-Identifier: MPL-2.0
// The few Prometheus and Alertmanager HTTP API calls the tests and tools make: an instant query, the
// active alerts as Prometheus sees them, and the alerts as Alertmanager holds them (silenced or not).

export interface Sample {
  readonly metric: Readonly<Record<string, string>>
  readonly value: number
}

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) })
  const body: unknown = await res.json()
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status} ${JSON.stringify(body).slice(0, 300)}`)
  return body
}

function stringRecord(v: unknown): Record<string, string> {
  if (typeof v !== 'object' || v === null) return {}
  return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'))
}

/** An instant query; a vector result as samples (a scalar as one sample without labels). */
export async function query(prometheus: string, promql: string): Promise<Sample[]> {
  const body = await getJson(`${prometheus}/api/v1/query?query=${encodeURIComponent(promql)}`)
  const data = Reflect.get(Object(body), 'data')
  const type = Reflect.get(Object(data), 'resultType')
  const result: unknown = Reflect.get(Object(data), 'result')
  if (type === 'scalar' && Array.isArray(result)) return [{ metric: {}, value: Number(result[1]) }]
  if (!Array.isArray(result)) throw new Error(`query ${promql}: unexpected answer`)
  return result.map((r: unknown) => {
    const value: unknown = Reflect.get(Object(r), 'value')
    return {
      metric: stringRecord(Reflect.get(Object(r), 'metric')),
      value: Array.isArray(value) ? Number(value[1]) : Number.NaN,
    }
  })
}

export interface AmAlert {
  readonly labels: Readonly<Record<string, string>>
  /** active, suppressed or unprocessed */
  readonly state: string
  readonly silencedBy: readonly string[]
  readonly inhibitedBy: readonly string[]
}

/** Every alert Alertmanager holds, with whether it is silenced or inhibited. */
export async function alertmanagerAlerts(alertmanager: string): Promise<AmAlert[]> {
  const body = await getJson(`${alertmanager}/api/v2/alerts`)
  if (!Array.isArray(body)) throw new Error('Alertmanager: unexpected alert list')
  return body.map((a: unknown) => {
    const status = Object(Reflect.get(Object(a), 'status'))
    const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [])
    return {
      labels: stringRecord(Reflect.get(Object(a), 'labels')),
      state: String(Reflect.get(status, 'state') ?? ''),
      silencedBy: list(Reflect.get(status, 'silencedBy')),
      inhibitedBy: list(Reflect.get(status, 'inhibitedBy')),
    }
  })
}
