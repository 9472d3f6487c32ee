// SPDX-License-Identifier: MPL-2.0
// Emails repository: which account owns an address, how it was last used (primary/secondary) and
// whether it is verified. Re-models Persona's lib/db/mysql.js email functions.
import type { Knex } from 'knex'
import { guard, type WriterDb } from '../db.ts'
import { toEmail, toEmailInfo } from '../rows.ts'
import type { Email, EmailInfo, EmailType } from '../types.ts'
import { Repo, type RepoOptions } from './base.ts'

export class EmailsReader extends Repo {
  /** The address row (email_reverify_status reads `verified`), or undefined. */
  byAddress(address: string): Promise<Email | undefined> {
    return guard(async () => {
      const row: unknown = await this.knex('emails').where({ address }).first()
      return row === undefined ? undefined : toEmail(row)
    })
  }

  /** have_email. */
  exists(address: string): Promise<boolean> {
    return guard(async () => (await this.knex('emails').where({ address }).first('id')) !== undefined)
  }

  /** address_info: owner, stored spelling, last use, verified, whether the owner has a password. */
  info(address: string): Promise<EmailInfo | undefined> {
    return guard(async () => {
      const row: unknown = await this.knex('emails')
        .join('users', 'users.id', 'emails.user_id')
        .where('emails.address', address)
        .first('emails.user_id', 'emails.address', 'emails.type', 'emails.verified', 'users.password_hash')
      return row === undefined ? undefined : toEmailInfo(row)
    })
  }

  /** The owner's id, or undefined (stage_reset, stage_transition). */
  async userIdFor(address: string): Promise<number | undefined> {
    return (await this.byAddress(address))?.userId
  }

  /** Ownership check (cert_key, remove_email, user_creation_status...). */
  async isOwnedBy(userId: number, address: string): Promise<boolean> {
    return (await this.byAddress(address))?.userId === userId
  }

  /** The user's addresses, oldest first. */
  listForUser(userId: number): Promise<Email[]> {
    return guard(async () => {
      const rows: unknown[] = await this.knex('emails').where({ user_id: userId }).orderBy('id')
      return rows.map(toEmail)
    })
  }

  /** list_emails: just the address strings, as Persona answered. */
  async listAddresses(userId: number): Promise<string[]> {
    return (await this.listForUser(userId)).map((e) => e.address)
  }
}

export class EmailsWriter extends EmailsReader {
  protected readonly db: WriterDb

  constructor(db: WriterDb, opts: RepoOptions = {}) {
    super(db, opts)
    this.db = db
  }

  /** remove_email: false when the user does not own the address (the caller answers 400). */
  remove(userId: number, address: string): Promise<boolean> {
    return guard(async () => (await this.knex('emails').where({ user_id: userId, address }).delete()) > 0)
  }

  /** user_used_email_as / used_address_as_primary: false when the user does not own the address. */
  setLastUsedAs(userId: number, address: string, type: EmailType): Promise<boolean> {
    return guard(
      async () => (await this.knex('emails').where({ user_id: userId, address }).update({ type })) > 0,
    )
  }

  /**
   * add_email_with_assertion: attaches `address` to `userId` as a verified primary, taking it from any
   * other account (the assertion proves control of it now).
   */
  addPrimary(userId: number, address: string): Promise<void> {
    return this.db.transaction(async (trx) => {
      await attachEmail(trx, userId, address, 'primary', this.clock())
    })
  }
}

/**
 * Inside a transaction: makes `address` a verified address of `userId` of the given type, removing it
 * from whichever account held it (Persona's addEmailToUser).
 */
export async function attachEmail(
  trx: Knex.Transaction,
  userId: number,
  address: string,
  type: EmailType,
  now: Date,
): Promise<void> {
  await trx('emails').where({ address }).delete()
  await trx('emails').insert({ user_id: userId, address, type, verified: true, created_at: now })
}
