// SPDX-License-Identifier: MPL-2.0
// Sign-in backoff repository: per scope (an account, an address without account, a client address) the
// recent wrong passwords and until when further attempts wait. The policy (how long, which scopes hold
// an attempt back) is the writer's; this file only reads and writes the rows, under lock.
import { createHash } from 'node:crypto'
import type { Knex } from 'knex'
import type { WriterDb } from '../db.ts'
import { date, num } from '../rows.ts'
import { deleteOlder, Repo, type RepoOptions } from './base.ts'

/** One scope's recent failures. */
export interface BackoffState {
  readonly failures: number
  readonly lastFailureAt: Date
  /** Attempts in this scope before this instant are refused. */
  readonly blockedUntil: Date
}

/** What a decision writes back: a state to keep, or null to clear the scope. Scopes absent: unchanged. */
export type BackoffWrites = ReadonlyMap<string, BackoffState | null>

/** The scope names (the table's key). */
export const backoffScope = {
  account: (userId: number): string => `account:${userId}`,
  /** An address no account has: hashed, so the table holds no address that was never registered. */
  address: (email: string): string =>
    `address:${createHash('sha256').update(email.toLowerCase()).digest('hex')}`,
  client: (ip: string): string => `client:${ip.slice(0, 90)}`,
} as const

/** Inside a transaction: clears an account's backoff (its owner proved control of an address). */
export async function clearAccountBackoffIn(trx: Knex.Transaction, userId: number): Promise<void> {
  await trx('sign_in_backoff')
    .where({ scope: backoffScope.account(userId) })
    .delete()
}

export class BackoffWriter extends Repo {
  protected readonly db: WriterDb

  constructor(db: WriterDb, opts: RepoOptions = {}) {
    super(db, opts)
    this.db = db
  }

  /**
   * Locks the rows of `scopes`, hands their states (a scope without row is absent) and the time to
   * `decide`, and writes back what it returns, in one transaction: concurrent attempts on one scope are
   * judged one after the other, so a burst cannot slip past a backoff.
   */
  settle<T>(
    scopes: readonly string[],
    decide: (states: ReadonlyMap<string, BackoffState>, now: Date) => { result: T; writes: BackoffWrites },
  ): Promise<T> {
    return this.db.transaction(async (trx) => {
      const now = this.clock()
      const rows: unknown[] = await trx('sign_in_backoff')
        .whereIn('scope', [...scopes])
        .orderBy('scope')
        .forUpdate()
      const states = new Map<string, BackoffState>()
      for (const r of rows) {
        states.set(String(Reflect.get(Object(r), 'scope')), {
          failures: num(r, 'failures'),
          lastFailureAt: date(r, 'last_failure_at'),
          blockedUntil: date(r, 'blocked_until'),
        })
      }
      const { result, writes } = decide(states, now)
      for (const [scope, s] of writes) {
        if (s === null) {
          await trx('sign_in_backoff').where({ scope }).delete()
          continue
        }
        const row = { failures: s.failures, last_failure_at: s.lastFailureAt, blocked_until: s.blockedUntil }
        await trx('sign_in_backoff')
          .insert({ scope, ...row })
          .onConflict('scope')
          .merge(row)
      }
      return result
    })
  }

  /** Deletes rows whose last failure is older than `before`, at most `limit` (run periodically). */
  forgetBefore(before: Date, limit = 1000): Promise<number> {
    return deleteOlder(this.knex, 'sign_in_backoff', 'last_failure_at', before, limit)
  }
}
