// SPDX-License-Identifier: MPL-2.0
// Emails repository: which account owns an address, how it was last used (primary/secondary) and
// whether it is verified. Re-models Persona's lib/db/mysql.js email functions.
import type { Knex } from 'knex'
import { guard, type WriterDb } from '../db.ts'
import { toEmail } from '../rows.ts'
import type { Email, EmailType } from '../types.ts'
import { Repo, type RepoOptions } from './base.ts'

export class EmailsReader extends Repo {
  /** The address row (email_reverify_status reads `verified`), or undefined. */
  byAddress(address: string): Promise<Email | undefined> {
    return guard(async () => {
      const row: unknown = await this.knex('emails').where({ address }).first()
      return row === undefined ? undefined : toEmail(row)
    })
  }

  /** The user's addresses, oldest first. */
  listForUser(userId: number): Promise<Email[]> {
    return guard(async () => {
      const rows: unknown[] = await this.knex('emails').where({ user_id: userId }).orderBy('id')
      return rows.map(toEmail)
    })
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
