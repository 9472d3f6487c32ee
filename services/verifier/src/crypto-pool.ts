// SPDX-License-Identifier: MPL-2.0
// Where signature checks run: a piscina pool sized to the machine (so one verifier process uses every
// core), or inline on this process's thread (one cluster worker per core). Either way the work waiting
// for a CPU is a queue this process can count, and a full queue refuses at once (PoolBusyError, a 503
// too busy): Mozilla's verifier shed past 30 queued jobs for the same reason.
//
// Inline, one verification runs per turn of the event loop (setImmediate), so between two of them the
// loop reads what has arrived: a backlog that would otherwise wait unseen in socket buffers and the
// kernel's accept queue becomes queued work here, where it is counted and the excess refused cheaply.
// With fewer callers than the limit (a site's connection pool, nginx's own limit) the queue cannot
// fill, whatever else shares the CPU: no refusal at normal load, however loaded the machine.

import type { VerifyResult } from '@persona/browserid'
import { Piscina } from 'piscina'
import verifyInline, { type VerifyTask } from './verify-worker.ts'

/** The queue is full: the caller should shed the request (503), not fail it. */
export class PoolBusyError extends Error {
  constructor() {
    super('crypto queue is full')
    this.name = 'PoolBusyError'
  }
}

export interface CryptoPool {
  run(task: VerifyTask): Promise<VerifyResult>
  close(): Promise<void>
}

interface Job {
  readonly task: VerifyTask
  readonly resolve: (r: VerifyResult) => void
  readonly reject: (e: unknown) => void
}

/**
 * `workers` threads (0: inline on this thread); at most `maxQueued` verifications waiting for one
 * (0: no limit).
 */
export function createCryptoPool(workers: number, maxQueued: number): CryptoPool {
  if (workers <= 0) return inlineQueue(maxQueued)
  const pool = new Piscina<VerifyTask, VerifyResult>({
    filename: new URL('./verify-worker.ts', import.meta.url).href,
    minThreads: workers,
    maxThreads: workers,
    idleTimeout: Number.POSITIVE_INFINITY,
    maxQueue: maxQueued > 0 ? maxQueued : Number.POSITIVE_INFINITY,
  })
  return {
    run: (task) =>
      pool.run(task).catch((e: unknown) => {
        throw e instanceof Error && e.message === 'Task queue is at limit' ? new PoolBusyError() : e
      }),
    close: () => pool.destroy(),
  }
}

function inlineQueue(maxQueued: number): CryptoPool {
  const waiting: Job[] = []
  let scheduled = false
  const turn = () => {
    const job = waiting.shift()
    if (job !== undefined) {
      try {
        job.resolve(verifyInline(job.task))
      } catch (e) {
        job.reject(e)
      }
    }
    scheduled = waiting.length > 0
    if (scheduled) setImmediate(turn)
  }
  return {
    run: (task) => {
      if (maxQueued > 0 && waiting.length >= maxQueued) return Promise.reject(new PoolBusyError())
      return new Promise<VerifyResult>((resolve, reject) => {
        waiting.push({ task, resolve, reject })
        if (!scheduled) {
          scheduled = true
          setImmediate(turn)
        }
      })
    },
    close: async () => {
      for (const job of waiting.splice(0)) job.reject(new PoolBusyError())
    },
  }
}
