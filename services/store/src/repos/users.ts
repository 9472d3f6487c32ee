// SPDX-License-Identifier: MPL-2.0
// Users repository: accounts, their password hash, last password reset (session cut-off) and failed
// authentication tries (lockout). Re-models Persona's lib/db/mysql.js user functions.
import { PersonaError } from '@persona/kit'
import type { Knex } from 'knex'
import { guard, type WriterDb } from '../db.ts'
import { num, strOrNull, toUser } from '../rows.ts'
import type { User } from '../types.ts'
import { Repo, type RepoOptions } from './base.ts'

export class UsersReader extends Repo {
  /** The account, or undefined (session_context: unknown users clear the session). */
  byId(userId: number): Promise<User | undefined> {
    return guard(async () => {
      const row: unknown = await this.knex('users').where({ id: userId }).first()
      return row === undefined ? undefined : toUser(row)
    })
  }
}

export class UsersWriter extends UsersReader {
  protected readonly db: WriterDb

  constructor(db: WriterDb, opts: RepoOptions = {}) {
    super(db, opts)
    this.db = db
  }

  /**
   * create_account_with_assertion: a user without password and one verified primary address.
   * @throws {PersonaError} ERR_CONFLICT when the address already belongs to an account
   */
  createWithPrimaryEmail(address: string): Promise<{ userId: number; generation: number }> {
    return this.db.transaction(async (trx) => {
      const now = this.clock()
      const taken: unknown = await trx('emails').where({ address }).forUpdate().first('id')
      if (taken !== undefined) throw new PersonaError('ERR_CONFLICT', 'email already registered')
      const [userId] = await trx('users').insert({
        password_hash: null,
        last_password_reset: now,
        failed_auth_tries: 0,
        created_at: now,
      })
      if (userId === undefined) throw new Error('insert returned no id')
      await trx('emails').insert({
        user_id: userId,
        address,
        type: 'primary',
        verified: true,
        created_at: now,
      })
      return { userId, generation: 0 }
    })
  }

  /**
   * Sets the password hash and unlocks the account (failed tries = 0). With `endSessions`, also moves
   * lastPasswordReset to now and the session generation on, so every other session ends (update_password
   * when it changed).
   * @returns the account's session generation afterwards, or undefined for an unknown user
   */
  setPassword(
    userId: number,
    passwordHash: string,
    opts: { endSessions: boolean },
  ): Promise<number | undefined> {
    return this.db.transaction(async (trx) => {
      const patch: Record<string, unknown> = { password_hash: passwordHash, failed_auth_tries: 0 }
      if (opts.endSessions) {
        patch.last_password_reset = this.clock()
        patch.session_generation = trx.raw('session_generation + 1')
      }
      const n = await trx('users').where({ id: userId }).update(patch)
      if (n === 0) return undefined
      return generationIn(trx, userId)
    })
  }

  /**
   * A failed sign-in (increment_failed_auth_tries): +1 on the account. `admitted` is false when the
   * account was already at `maxAttempts`: the caller then says "locked", not "wrong password", so a
   * burst of guesses learns nothing past the limit.
   */
  recordFailedSignIn(userId: number, maxAttempts: number): Promise<{ admitted: boolean }> {
    return this.db.transaction(async (trx) => {
      const row: unknown = await trx('users').where({ id: userId }).forUpdate().first('failed_auth_tries')
      if (row === undefined) return { admitted: true }
      const before = num(row, 'failed_auth_tries')
      await trx('users')
        .where({ id: userId })
        .update({ failed_auth_tries: Math.min(before + 1, 65535) })
      return { admitted: before < maxAttempts }
    })
  }

  /**
   * A successful sign-in (reset_failed_auth_tries): admitted unless the account is locked, then the
   * failure count goes back to zero and a `rehash` (same password, current work factor) replaces the
   * hash it was checked against, if that hash is still the stored one.
   */
  recordSignIn(
    userId: number,
    maxAttempts: number,
    rehash?: { readonly from: string; readonly to: string },
  ): Promise<{ admitted: true; generation: number } | { admitted: false }> {
    return this.db.transaction(async (trx) => {
      const row: unknown = await trx('users')
        .where({ id: userId })
        .forUpdate()
        .first('failed_auth_tries', 'session_generation', 'password_hash')
      if (row === undefined || num(row, 'failed_auth_tries') >= maxAttempts) return { admitted: false }
      const patch: Record<string, unknown> = { failed_auth_tries: 0 }
      if (rehash !== undefined && strOrNull(row, 'password_hash') === rehash.from)
        patch.password_hash = rehash.to
      await trx('users').where({ id: userId }).update(patch)
      return { admitted: true, generation: num(row, 'session_generation') }
    })
  }

  /** Moves the account's session generation on: every session signed in before ends. */
  endSessions(userId: number): Promise<number | undefined> {
    return this.db.transaction(async (trx) => {
      const n = await trx('users')
        .where({ id: userId })
        .update({ session_generation: trx.raw('session_generation + 1') })
      return n === 0 ? undefined : generationIn(trx, userId)
    })
  }

  /** account_cancel: deletes the user; its emails and staged rows go with it (ON DELETE CASCADE). */
  cancelAccount(userId: number): Promise<boolean> {
    return guard(async () => (await this.knex('users').where({ id: userId }).delete()) > 0)
  }
}

/** Inside a transaction: the account's session generation. */
export async function generationIn(trx: Knex.Transaction, userId: number): Promise<number> {
  const row: unknown = await trx('users').where({ id: userId }).first('session_generation')
  return num(row, 'session_generation')
}
