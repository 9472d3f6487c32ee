// SPDX-License-Identifier: MPL-2.0
// Prometheus metrics of every process: `/metrics` (and the older `/__metrics__`) on the internal port
// only. Each app gets its own registry with the process defaults (event-loop lag among them), build
// info, a latency histogram by route and status, and whatever the service declares from the catalogue
// (metric-catalog.ts) through the typed `app.metrics.use(spec)`. Requests that came through a proxy
// (nginx, the router) get a 404: metrics are for the scraper on the private network, never the web.
import { readFileSync } from 'node:fs'
import type { FastifyInstance } from 'fastify'
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'
import { aggregatedMetrics, joinClusterAggregation } from './metrics-cluster.ts'

/** How the verifier's primary combines one gauge across its cluster workers. */
export type Aggregate = 'sum' | 'first' | 'min' | 'max' | 'average'

interface SpecBase<L extends string> {
  readonly name: string
  readonly help: string
  readonly labels: readonly L[]
}
export interface CounterSpec<L extends string = string> extends SpecBase<L> {
  readonly kind: 'counter'
}
export interface GaugeSpec<L extends string = string> extends SpecBase<L> {
  readonly kind: 'gauge'
  readonly aggregate: Aggregate
}
export interface HistogramSpec<L extends string = string> extends SpecBase<L> {
  readonly kind: 'histogram'
  readonly buckets: readonly number[]
}
export type MetricSpec = CounterSpec | GaugeSpec | HistogramSpec

/** Labels every series gets from the scrape (or the registry), so no metric may declare them. */
export const RESERVED_LABELS = ['service', 'cluster', 'host', 'instance', 'job', 'process', 'le'] as const

const NAME = /^persona_[a-z][a-z0-9]*_[a-z][a-z0-9_]*[a-z0-9]$/
const LABEL = /^[a-z][a-z0-9_]*$/

/**
 * Checks a spec against the naming rules: `persona_<area>_<thing>`, counters end in `_total`, histograms
 * carry a unit (`_seconds`, `_bytes`), gauges never end in `_total`; labels are snake_case and none of
 * the reserved ones.
 * @throws {TypeError} naming the rule the spec breaks.
 */
export function checkSpec(spec: MetricSpec): void {
  const { name } = spec
  if (!NAME.test(name)) throw new TypeError(`metric ${name}: name must be persona_<area>_<thing>`)
  if (spec.kind === 'counter' && !name.endsWith('_total'))
    throw new TypeError(`metric ${name}: a counter ends in _total`)
  if (spec.kind !== 'counter' && name.endsWith('_total'))
    throw new TypeError(`metric ${name}: only counters end in _total`)
  if (spec.kind === 'histogram' && !/_(seconds|bytes)$/.test(name))
    throw new TypeError(`metric ${name}: a histogram names its unit (_seconds or _bytes)`)
  if (spec.help.trim().length < 10) throw new TypeError(`metric ${name}: help says what it counts`)
  const reserved: readonly string[] = RESERVED_LABELS
  for (const l of spec.labels) {
    if (!LABEL.test(l)) throw new TypeError(`metric ${name}: label ${l} is not snake_case`)
    if (reserved.includes(l)) throw new TypeError(`metric ${name}: label ${l} is set by the scrape`)
  }
}

/** A counter spec; `labels` typed so `inc({...})` only takes those names. */
export function counter<const L extends string = never>(
  name: string,
  help: string,
  labels: readonly L[] = [],
): CounterSpec<L> {
  const spec: CounterSpec<L> = { kind: 'counter', name, help, labels }
  checkSpec(spec)
  return spec
}

export function gauge<const L extends string = never>(
  name: string,
  help: string,
  labels: readonly L[] = [],
  aggregate: Aggregate = 'sum',
): GaugeSpec<L> {
  const spec: GaugeSpec<L> = { kind: 'gauge', name, help, labels, aggregate }
  checkSpec(spec)
  return spec
}

export function histogram<const L extends string = never>(
  name: string,
  help: string,
  labels: readonly L[],
  buckets: readonly number[],
): HistogramSpec<L> {
  const spec: HistogramSpec<L> = { kind: 'histogram', name, help, labels, buckets }
  checkSpec(spec)
  return spec
}

/** Latency buckets shared by every request histogram (the SLO thresholds are bucket bounds). */
export const LATENCY_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
] as const

export const HTTP_REQUEST_DURATION = histogram(
  'persona_http_request_duration_seconds',
  'time to answer a request, by method, route template and status',
  ['method', 'route', 'status'],
  LATENCY_BUCKETS,
)
export const BUILD_INFO = gauge(
  'persona_build_info',
  'always 1; the labels say which version of which service runs',
  ['version', 'revision', 'node_version'],
  'first',
)

export const PROCESS_WORKERS = gauge(
  'persona_process_workers',
  "worker processes counted in this scrape (the verifier's cluster workers; 1 elsewhere)",
  [],
  'sum',
)

export interface BuildInfo {
  readonly version: string
  readonly revision: string
}

/**
 * The running build: PERSONA_VERSION and PERSONA_REVISION (set by the image build and the deploy tool),
 * else the repository's package version and `unknown`.
 */
export function buildInfo(env: Readonly<Record<string, string | undefined>> = process.env): BuildInfo {
  return {
    version: env.PERSONA_VERSION || packageVersion(),
    revision: env.PERSONA_REVISION || 'unknown',
  }
}

function packageVersion(): string {
  try {
    const pkg: unknown = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
    if (typeof pkg === 'object' && pkg !== null && 'version' in pkg && typeof pkg.version === 'string') {
      return pkg.version
    }
  } catch {
    // An image without the manifest still reports a version label.
  }
  return '0.0.0'
}

/** One process's metrics: its registry and the typed way to declare what it counts. */
export class ServiceMetrics {
  readonly registry = new Registry()
  readonly service: string
  readonly version: string

  constructor(service: string, build: BuildInfo = buildInfo()) {
    this.service = service
    this.version = build.version
    this.registry.setDefaultLabels({ service })
    collectDefaultMetrics({ register: this.registry })
    this.use(BUILD_INFO).set(
      { version: build.version, revision: build.revision, node_version: process.versions.node },
      1,
    )
    this.use(PROCESS_WORKERS).set(1)
  }

  /**
   * Registers a catalogue entry in this process's registry; each spec once per process. A gauge may
   * be given `read`, called at each scrape to set its value (e.g. a queue's current length).
   */
  use<L extends string>(spec: CounterSpec<L>): Counter<L>
  use<L extends string>(spec: GaugeSpec<L>, read?: () => number): Gauge<L>
  use<L extends string>(spec: HistogramSpec<L>): Histogram<L>
  use<L extends string>(spec: CounterSpec<L> | GaugeSpec<L> | HistogramSpec<L>, read?: () => number) {
    const base = {
      name: spec.name,
      help: spec.help,
      labelNames: [...spec.labels],
      registers: [this.registry],
    }
    switch (spec.kind) {
      case 'counter':
        return new Counter<L>(base)
      case 'gauge':
        return new Gauge<L>({
          ...base,
          aggregator: spec.aggregate,
          ...(read === undefined
            ? {}
            : {
                collect(this: Gauge<L>) {
                  this.set(read())
                },
              }),
        })
      case 'histogram':
        return new Histogram<L>({ ...base, buckets: [...spec.buckets] })
    }
  }

  /** The text exposition of this process (all cluster workers summed in the verifier). */
  async expose(): Promise<string> {
    return (await aggregatedMetrics()) ?? this.registry.metrics()
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** This process's metrics: `app.metrics.use(SPEC)` gives a typed counter, gauge or histogram. */
    metrics: ServiceMetrics
  }
}

/** The paths a scraper reads; `/__metrics__` is Persona's older name, kept as an alias. */
export const METRICS_PATHS = ['/metrics', '/__metrics__'] as const

/** True when a request came through a proxy hop (nginx or the router add X-Forwarded-For). */
function viaProxy(headers: Record<string, string | string[] | undefined>): boolean {
  return headers['x-forwarded-for'] !== undefined || headers['x-forwarded-host'] !== undefined
}

export function registerMetrics(app: FastifyInstance, service: string): ServiceMetrics {
  const metrics = new ServiceMetrics(service)
  joinClusterAggregation(metrics.registry)
  app.decorate('metrics', metrics)
  const duration = metrics.use(HTTP_REQUEST_DURATION)
  app.addHook('onResponse', async (req, reply) => {
    duration.observe(
      { method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    )
  })
  for (const path of METRICS_PATHS) {
    app.get(path, { logLevel: 'warn' }, async (req, reply) => {
      if (viaProxy(req.headers)) {
        return reply
          .code(404)
          .send({ success: false, code: 'ERR_NOT_FOUND', reason: `no such path: ${path}` })
      }
      const text = await metrics.expose()
      return reply.type(metrics.registry.contentType).send(text)
    })
  }
  return metrics
}

/**
 * The value of the first series called `name` whose labels include `labels`, in a text exposition;
 * undefined when there is none (for tests and tools that read a scrape).
 * @example metricSample(text, 'persona_build_info', { service: 'verifier' }) // 1
 */
export function metricSample(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue
    return Number(line.slice(line.lastIndexOf(' ') + 1))
  }
  return undefined
}
