// SPDX-License-Identifier: MPL-2.0
// Where signature checks run: a piscina pool sized to the machine (so one verifier process uses every
// core), or inline on the calling thread (workers = 0 in tests of one module).

import type { VerifyResult } from '@persona/browserid'
import { Piscina } from 'piscina'
import verifyInline, { type VerifyTask } from './verify-worker.ts'

/** The pool's queue is full: the caller should shed the request (503), not fail it. */
export class PoolBusyError extends Error {
  constructor() {
    super('crypto pool queue is full')
    this.name = 'PoolBusyError'
  }
}

export interface CryptoPool {
  run(task: VerifyTask): Promise<VerifyResult>
  close(): Promise<void>
}

export function createCryptoPool(workers: number): CryptoPool {
  if (workers <= 0) {
    return { run: async (task) => verifyInline(task), close: async () => undefined }
  }
  const pool = new Piscina<VerifyTask, VerifyResult>({
    filename: new URL('./verify-worker.ts', import.meta.url).href,
    minThreads: workers,
    maxThreads: workers,
    idleTimeout: Number.POSITIVE_INFINITY,
    // Bounded queue: under overload callers get a failure quickly instead of waiting without end.
    maxQueue: workers * 512,
  })
  return {
    run: (task) =>
      pool.run(task).catch((e: unknown) => {
        throw e instanceof Error && e.message === 'Task queue is at limit' ? new PoolBusyError() : e
      }),
    close: () => pool.destroy(),
  }
}
