// SPDX-License-Identifier: MPL-2.0
// One scrape, the whole process: a service that forks node:cluster workers (the verifier) shares one
// listening socket, so a scrape lands on any one worker. That worker asks the primary, which gathers
// every worker's registry through prom-client's AggregatorRegistry and answers with the sum. Counters
// and histograms add up; gauges combine as their spec says (metrics.ts `aggregate`).
import cluster from 'node:cluster'
import { randomUUID } from 'node:crypto'
import { AggregatorRegistry, type Registry } from 'prom-client'

const ASK = 'persona:metrics:ask'
const ANSWER = 'persona:metrics:answer'
/** Set by the primary before forking, so a worker knows someone will answer. */
const FLAG = 'PERSONA_CLUSTER_METRICS'
const ANSWER_TIMEOUT_MS = 4000

interface Ask {
  readonly type: typeof ASK
  readonly id: string
}
interface Answer {
  readonly type: typeof ANSWER
  readonly id: string
  readonly text?: string
  readonly error?: string
}

function isAsk(m: unknown): m is Ask {
  return typeof m === 'object' && m !== null && 'type' in m && m.type === ASK && 'id' in m
}
function isAnswer(m: unknown): m is Answer {
  return typeof m === 'object' && m !== null && 'type' in m && m.type === ANSWER && 'id' in m
}

/**
 * In the primary, before the first fork: answer workers' scrapes with every worker's metrics combined.
 * @example if (cluster.isPrimary) { serveClusterMetrics(); for (...) cluster.fork() }
 */
export function serveClusterMetrics(): void {
  if (!cluster.isPrimary) throw new TypeError('serveClusterMetrics runs in the cluster primary')
  const aggregator = new AggregatorRegistry()
  process.env[FLAG] = '1'
  cluster.on('message', (worker, message: unknown) => {
    if (!isAsk(message)) return
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: ANSWER, id: message.id, text } satisfies Answer),
      (e: unknown) =>
        worker.send({ type: ANSWER, id: message.id, error: e instanceof Error ? e.message : String(e) }),
    )
  })
}

/** In a cluster worker, offers this registry to the primary's aggregation; elsewhere a no-op. */
export function joinClusterAggregation(registry: Registry): void {
  if (!cluster.isWorker || process.env[FLAG] !== '1') return
  // Constructing one installs prom-client's worker-side listener; setRegistries says what it reports.
  new AggregatorRegistry()
  AggregatorRegistry.setRegistries([registry])
}

const pending = new Map<string, (a: Answer) => void>()
let listening = false

/**
 * The combined metrics of every worker, asked of the primary; undefined outside a cluster worker, or
 * when the primary does not answer in time (the caller then serves this worker's own).
 */
export async function aggregatedMetrics(): Promise<string | undefined> {
  const send = process.send?.bind(process)
  if (!cluster.isWorker || process.env[FLAG] !== '1' || send === undefined) return undefined
  if (!listening) {
    listening = true
    process.on('message', (m: unknown) => {
      if (isAnswer(m)) pending.get(m.id)?.(m)
    })
  }
  const id = randomUUID()
  const answer = await new Promise<Answer | undefined>((resolve) => {
    const timer = setTimeout(() => {
      pending.delete(id)
      resolve(undefined)
    }, ANSWER_TIMEOUT_MS)
    pending.set(id, (a) => {
      clearTimeout(timer)
      pending.delete(id)
      resolve(a)
    })
    send({ type: ASK, id } satisfies Ask)
  })
  return answer?.text
}
