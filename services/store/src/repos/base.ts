// SPDX-License-Identifier: MPL-2.0
// What every repository holds: a knex handle (a pool or a transaction) and the clock. Reader classes
// only SELECT; writer classes extend them so the writer service can read what it is about to change on
// the master (read-modify-write never goes through the replica).
import type { Knex } from 'knex'
import { guard } from '../db.ts'
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

/**
 * Deletes at most `limit` rows of `table` whose `column` is before `before`, oldest first (the periodic
 * sweeps). Returns how many.
 */
export function deleteOlder(knex: Knex, table: string, column: string, before: Date, limit: number) {
  return guard(async () => {
    const r = await knex.raw('DELETE FROM ?? WHERE ?? < ? ORDER BY ?? LIMIT ?', [
      table,
      column,
      before,
      column,
      limit,
    ])
    const info: unknown = Array.isArray(r) ? r[0] : undefined
    const n = typeof info === 'object' && info !== null ? Reflect.get(info, 'affectedRows') : undefined
    return typeof n === 'number' ? n : 0
  })
}
