// SPDX-License-Identifier: MPL-2.0
// Load shedding for /verify: past saturation a relying site gets 503 {status:'failure', reason:'too busy'}
// with Retry-After at once, instead of waiting in a queue that grows without bound (Mozilla's verifier
// answered this body when its event loop lagged past 70 ms or its compute queue was full). Four signals,
// in the order a request meets them:
// - nginx in front refuses past the verifier's concurrency (nginx/render.ts, verifyMaxConns);
// - the queue for a CPU is full (crypto-pool.ts): the main signal here, since it counts this process's
//   own backlog and nothing else;
// - verifications under way in this process (waiting for a support document or a crypto thread), checked
//   once the body is in, so a slow client sending its body holds no place;
// - optionally (maxLagMs > 0, off by default) the event loop's delay: every SAMPLE_MS the loop's delay
//   and utilisation are read; while the loop lags past maxLagMs, is busy and requests keep coming, the
//   share of requests admitted falls multiplicatively, and creeps back up when calm (AIMD, as TCP does).
//   Off by default because on a shared host the delay measures the neighbours as much as the verifier:
//   it refused requests at normal load on a busy machine (docs/performance.md).
// (@fastify/under-pressure sheds all or nothing on any one signal, at 10 ms resolution: too coarse and
// too jumpy for a latency target of tens of milliseconds, hence this small gate.)
import { performance } from 'node:perf_hooks'
import type { FastifyInstance, FastifyReply } from 'fastify'

export interface LoadSheddingOptions {
  /** Verifications under way in this process beyond which new ones are refused; 0 = no limit. */
  readonly maxPending: number
  /** Event-loop delay (ms) that, sustained while the loop is busy, means saturation; 0 = never shed on it. */
  readonly maxLagMs: number
  /** Seconds a caller is told to wait (Retry-After). */
  readonly retryAfterS: number
}

export interface LoadStats {
  /** Verifications under way now. */
  pending: number
  /** Share of requests admitted now (1 when calm). */
  admitted: number
  /** Requests refused so far, by signal. */
  shedByLag: number
  shedByPending: number
  /** Refused because the queue for a CPU (inline) or a crypto thread (pool) was full (crypto-pool.ts). */
  shedByQueue: number
}

export const TOO_BUSY = { status: 'failure', reason: 'too busy' } as const

/** How often the loop is read. */
export const SAMPLE_MS = 10
/** Event-loop utilisation above which a lagging loop counts as saturated rather than starved. */
const BUSY_UTILISATION = 0.9
/** Lagging samples in a row before shedding starts (one GC pause is not saturation). */
const SUSTAINED = 2
/** Requests that must arrive while the loop lags for it to count (start-up work is not saturation). */
const ARRIVALS = 1
const DECREASE = 0.75
const INCREASE = 0.05
const FLOOR = 0.02

/** The admission share, driven by samples of (delay, utilisation); pure so it can be unit-tested. */
export class Admission {
  readonly #maxLagMs: number
  #share = 1
  #overInARow = 0
  #arrivalsInRun = 0

  constructor(maxLagMs: number) {
    this.#maxLagMs = maxLagMs
  }

  get share(): number {
    return this.#share
  }

  sample(lagMs: number, utilisation: number, arrivals: number): void {
    const over = this.#maxLagMs > 0 && lagMs > this.#maxLagMs && utilisation > BUSY_UTILISATION
    this.#overInARow = over ? this.#overInARow + 1 : 0
    this.#arrivalsInRun = over ? this.#arrivalsInRun + arrivals : 0
    if (this.#overInARow >= SUSTAINED && this.#arrivalsInRun >= ARRIVALS) {
      this.#share = Math.max(FLOOR, this.#share * DECREASE)
    } else if (!over) this.#share = Math.min(1, this.#share + INCREASE)
  }

  /** Whether to take this request; `draw` is uniform in [0, 1). */
  admit(draw: number): boolean {
    return this.#share >= 1 || draw < this.#share
  }
}

/** One reading of the event loop since the previous one. */
export interface LoopSample {
  readonly lagMs: number
  readonly utilisation: number
}

/** Reads this process's event loop: how late the sampling timer fired, and how busy the loop was. */
export function loopSampler(): () => LoopSample {
  let last = performance.now()
  let elu = performance.eventLoopUtilization()
  return () => {
    const t = performance.now()
    const now = performance.eventLoopUtilization()
    const sample = {
      lagMs: t - last - SAMPLE_MS,
      utilisation: performance.eventLoopUtilization(now, elu).utilization,
    }
    last = t
    elu = now
    return sample
  }
}

/**
 * Adds load shedding to the routes of `scope` (an encapsulated scope: heartbeats stay out of it).
 * `sample` reads the loop every SAMPLE_MS (tests pass a stand-in).
 */
export function registerLoadShedding(
  scope: FastifyInstance,
  opts: LoadSheddingOptions,
  sample: () => LoopSample = loopSampler(),
): LoadStats {
  const stats: LoadStats = { pending: 0, admitted: 1, shedByLag: 0, shedByPending: 0, shedByQueue: 0 }
  const busy = (reply: FastifyReply) => {
    reply.code(503).header('retry-after', String(opts.retryAfterS))
    return TOO_BUSY
  }
  if (opts.maxLagMs > 0) {
    const admission = new Admission(opts.maxLagMs)
    let arrivals = 0
    const timer = setInterval(() => {
      const { lagMs, utilisation } = sample()
      admission.sample(lagMs, utilisation, arrivals)
      stats.admitted = admission.share
      arrivals = 0
    }, SAMPLE_MS)
    timer.unref()
    scope.addHook('onClose', async () => clearInterval(timer))
    // Before the body is read: a refusal must cost as little as possible.
    scope.addHook('onRequest', async (_req, reply) => {
      arrivals++
      if (admission.admit(Math.random())) return
      stats.shedByLag++
      return reply.send(busy(reply))
    })
  }
  scope.addHook('preHandler', async (_req, reply) => {
    if (opts.maxPending > 0 && stats.pending >= opts.maxPending) {
      stats.shedByPending++
      return reply.send(busy(reply))
    }
    stats.pending++
    // 'close' comes once per response, whether it was sent or the caller went away.
    reply.raw.once('close', () => {
      stats.pending--
    })
  })
  return stats
}
