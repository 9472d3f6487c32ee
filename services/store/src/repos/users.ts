// SPDX-License-Identifier: MPL-2.0
// Users repository: accounts, their password hash, last password reset (session cut-off) and failed
// authentication tries (lockout). Re-models Persona's lib/db/mysql.js user functions.
import { PersonaError } from '@persona/kit'
import { guard, type WriterDb } from '../db.ts'
import { toUser } from '../rows.ts'
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

  /** The account owning `address` (authenticate_user needs hash and failed tries). */
  byEmail(address: string): Promise<User | undefined> {
    return guard(async () => {
      const row: unknown = await this.knex('users')
        .join('emails', 'emails.user_id', 'users.id')
        .where('emails.address', address)
        .first('users.*')
      return row === undefined ? undefined : toUser(row)
    })
  }

  /** The session cut-off checked on every authenticated call; undefined for an unknown user. */
  lastPasswordReset(userId: number): Promise<Date | undefined> {
    return guard(async () => {
      const u = await this.byId(userId)
      return u?.lastPasswordReset
    })
  }

  /** Whether the user exists and has a password (Persona's userKnown). */
  async known(userId: number): Promise<{ known: boolean; hasPassword: boolean }> {
    const u = await this.byId(userId)
    return { known: u !== undefined, hasPassword: (u?.passwordHash ?? '') !== '' }
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
  createWithPrimaryEmail(address: string): Promise<{ userId: number; lastPasswordReset: Date }> {
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
      return { userId, lastPasswordReset: now }
    })
  }

  /**
   * Sets the password hash and unlocks the account (failed tries = 0). With `endSessions`, also moves
   * lastPasswordReset to now so other sessions end (update_password when it changed, resets).
   * @returns the new lastPasswordReset, or undefined for an unknown user
   */
  setPassword(
    userId: number,
    passwordHash: string,
    opts: { endSessions: boolean },
  ): Promise<Date | undefined> {
    return guard(async () => {
      const now = this.clock()
      const patch: Record<string, unknown> = { password_hash: passwordHash, failed_auth_tries: 0 }
      if (opts.endSessions) patch.last_password_reset = now
      const n = await this.knex('users').where({ id: userId }).update(patch)
      if (n === 0) return undefined
      if (opts.endSessions) return now
      return (await this.byId(userId))?.lastPasswordReset
    })
  }

  /** A wrong password: +1 (increment_failed_auth_tries). Returns the new count, undefined if no user. */
  incrementFailedAuthTries(userId: number): Promise<number | undefined> {
    return guard(async () => {
      const n = await this.knex('users')
        .where({ id: userId })
        .update({ failed_auth_tries: this.knex.raw('LEAST(failed_auth_tries + 1, 65535)') })
      if (n === 0) return undefined
      return (await this.byId(userId))?.failedAuthTries
    })
  }

  /** A successful login (reset_failed_auth_tries). Returns false for an unknown user. */
  resetFailedAuthTries(userId: number): Promise<boolean> {
    return guard(async () => {
      const n = await this.knex('users').where({ id: userId }).update({ failed_auth_tries: 0 })
      return n > 0
    })
  }

  /** account_cancel: deletes the user; its emails and staged rows go with it (ON DELETE CASCADE). */
  cancelAccount(userId: number): Promise<boolean> {
    return guard(async () => (await this.knex('users').where({ id: userId }).delete()) > 0)
  }
}
