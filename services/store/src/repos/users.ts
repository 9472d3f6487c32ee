// SPDX-License-Identifier: MPL-2.0
// Users repository: accounts, their password hash, last password reset and session generation (session
// cut-off). Re-models Persona's lib/db/mysql.js user functions; wrong passwords are in ./backoff.ts.
import { PersonaError } from '@persona/kit'
import type { Knex } from 'knex'
import { guard, type WriterDb } from '../db.ts'
import { num, strOrNull, toUser } from '../rows.ts'
import type { User } from '../types.ts'
import { clearAccountBackoffIn } from './backoff.ts'
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
   * Sets the password hash and clears the account's sign-in backoff. With `endSessions`, also moves
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
      const patch: Record<string, unknown> = { password_hash: passwordHash }
      if (opts.endSessions) {
        patch.last_password_reset = this.clock()
        patch.session_generation = trx.raw('session_generation + 1')
      }
      const n = await trx('users').where({ id: userId }).update(patch)
      if (n === 0) return undefined
      await clearAccountBackoffIn(trx, userId)
      return generationIn(trx, userId)
    })
  }

  /**
   * A successful sign-in (reset_failed_auth_tries, once the backoff admitted it): a `rehash` (same
   * password, current work factor) replaces the hash it was checked against, if that hash is still the
   * stored one. Returns the account's session generation, or undefined when the account is gone.
   */
  recordSignIn(
    userId: number,
    rehash?: { readonly from: string; readonly to: string },
  ): Promise<{ generation: number } | undefined> {
    return this.db.transaction(async (trx) => {
      const row: unknown = await trx('users')
        .where({ id: userId })
        .forUpdate()
        .first('session_generation', 'password_hash')
      if (row === undefined) return undefined
      if (rehash !== undefined && strOrNull(row, 'password_hash') === rehash.from)
        await trx('users').where({ id: userId }).update({ password_hash: rehash.to })
      return { generation: num(row, 'session_generation') }
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
    return this.db.transaction(async (trx) => {
      await clearAccountBackoffIn(trx, userId)
      return (await trx('users').where({ id: userId }).delete()) > 0
    })
  }
}

/** Inside a transaction: the account's session generation. */
export async function generationIn(trx: Knex.Transaction, userId: number): Promise<number> {
  const row: unknown = await trx('users').where({ id: userId }).first('session_generation')
  return num(row, 'session_generation')
}
