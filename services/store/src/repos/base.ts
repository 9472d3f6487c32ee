// SPDX-License-Identifier: MPL-2.0
// What every repository holds: a knex handle (a pool or a transaction) and the clock. Reader classes
// only SELECT; writer classes extend them so the writer service can read what it is about to change on
// the master (read-modify-write never goes through the replica).
import type { Knex } from 'knex'
import type { Clock } from '../types.ts'

export interface RepoOptions {
  /** Source of every timestamp written or compared; defaults to the system clock. */
  readonly clock?: Clock
}

export const systemClock: Clock = () => new Date()

/** The base of every reader (and so writer) repository. */
export abstract class Repo {
  protected readonly knex: Knex
  protected readonly clock: Clock

  constructor(db: { readonly knex: Knex }, opts: RepoOptions = {}) {
    this.knex = db.knex
    this.clock = opts.clock ?? systemClock
  }
}
