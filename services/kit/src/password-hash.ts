// SPDX-License-Identifier: MPL-2.0
// bcrypt off the event loop (Persona's lib/bcrypt.js compute cluster): @node-rs/bcrypt's async calls run
// on libuv worker threads; at most `concurrency` run at once so the pool stays free for other work, and
// past `maxQueue` waiting calls we answer "server is too busy" (503) instead of letting latency grow.
// Used by the reader (sign-in) and the writer (new passwords); imported as `@persona/kit/password-hash`
// so the services that never hash do not load it.
import { randomBytes } from 'node:crypto'
import { availableParallelism } from 'node:os'
import { hash as bcryptHash, verify as bcryptVerify, parseOptions } from '@node-rs/bcrypt'
import { PersonaError } from './errors.ts'

/**
 * Hashes at once by default: one core stays free for the event loop (and libuv keeps a thread for
 * other work), so sign-ins cannot starve every other call of CPU.
 */
export function defaultHashConcurrency(): number {
  return Math.max(1, Math.min(3, availableParallelism() - 1))
}

export class HasherBusyError extends Error {
  constructor() {
    super('server is too busy')
    this.name = 'HasherBusyError'
  }
}

/**
 * Awaits bcrypt work, answering a full pool as Persona did: 503 "server is too busy".
 * @throws {PersonaError} ERR_UNAVAILABLE
 */
export async function unlessBusy<T>(work: Promise<T>): Promise<T> {
  try {
    return await work
  } catch (e) {
    if (e instanceof HasherBusyError) throw new PersonaError('ERR_UNAVAILABLE', 'server is too busy')
    throw e
  }
}

export interface HasherOptions {
  /** bcrypt cost (work factor), 4..31; 12 in production. */
  readonly rounds: number
  /** Hashes running at once; keep below libuv's pool size (UV_THREADPOOL_SIZE, default 4). */
  readonly concurrency?: number
  /** Calls allowed to wait; one more is refused with HasherBusyError. */
  readonly maxQueue?: number
}

export class PasswordHasher {
  readonly rounds: number
  readonly #concurrency: number
  readonly #maxQueue: number
  #running = 0
  readonly #waiting: (() => void)[] = []
  #dummy: Promise<string> | undefined

  constructor(opts: HasherOptions) {
    this.rounds = opts.rounds
    this.#concurrency = Math.max(1, opts.concurrency ?? 2)
    this.#maxQueue = Math.max(0, opts.maxQueue ?? 64)
  }

  /** Calls running plus waiting: for metrics and tests. */
  get load(): number {
    return this.#running + this.#waiting.length
  }

  /** Calls waiting for a free slot (persona_auth_bcrypt_queue_depth). */
  get queued(): number {
    return this.#waiting.length
  }

  async hash(password: string): Promise<string> {
    return this.#limited(() => bcryptHash(password, { cost: this.rounds }))
  }

  /** True when `password` matches `encoded`; false for a mismatch or an unusable hash. */
  async verify(password: string, encoded: string): Promise<boolean> {
    if (encoded === '') return false
    return this.#limited(() => bcryptVerify(password, encoded))
  }

  /**
   * Like `verify`, but a missing hash (unknown user, account without password) is checked against a
   * hash of our own at the same cost: the answer is false after the same work, so the time taken does
   * not tell a stranger whether the account exists.
   */
  async verifyOrPretend(password: string, encoded: string | null): Promise<boolean> {
    if (encoded !== null && encoded !== '') return this.verify(password, encoded)
    await this.verify(password, await this.#dummyHash())
    return false
  }

  #dummyHash(): Promise<string> {
    if (this.#dummy === undefined) {
      const made = this.hash(randomBytes(18).toString('base64'))
      this.#dummy = made
      // A refusal (busy) is not kept: the next call makes it again.
      made.catch(() => {
        if (this.#dummy === made) this.#dummy = undefined
      })
    }
    return this.#dummy
  }

  /** Whether a stored hash was made with another cost than ours (then it is re-hashed at sign-in). */
  needsRehash(encoded: string): boolean {
    try {
      return parseOptions(encoded).cost !== this.rounds
    } catch {
      return false
    }
  }

  async #limited<T>(work: () => Promise<T>): Promise<T> {
    if (this.#running >= this.#concurrency) {
      if (this.#waiting.length >= this.#maxQueue) throw new HasherBusyError()
      await new Promise<void>((resolve) => this.#waiting.push(resolve))
    } else {
      this.#running++
    }
    try {
      return await work()
    } finally {
      const next = this.#waiting.shift()
      // Hand the slot straight to the next caller; otherwise free it.
      if (next !== undefined) next()
      else this.#running--
    }
  }
}
