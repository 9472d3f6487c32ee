// SPDX-License-Identifier: MPL-2.0
// IdP repository: primary domains last seen serving a support document (saw_idp / forget_idp), read by
// address_info for the `offline` state. Re-models Persona's idp table functions.
import { guard, type WriterDb } from '../db.ts'
import { toIdp } from '../rows.ts'
import type { Idp } from '../types.ts'
import { Repo, type RepoOptions } from './base.ts'

export class IdpsReader extends Repo {
  /** When `domain` was last seen as a primary, or undefined. */
  lastSeen(domain: string): Promise<Date | undefined> {
    return guard(async () => {
      const row: unknown = await this.knex('idps').where({ domain }).first()
      return row === undefined ? undefined : toIdp(row).lastSeen
    })
  }
}

export class IdpsWriter extends IdpsReader {
  protected readonly db: WriterDb

  constructor(db: WriterDb, opts: RepoOptions = {}) {
    super(db, opts)
    this.db = db
  }

  /** saw_idp: upserts last_seen = now. */
  saw(domain: string): Promise<Idp> {
    return guard(async () => {
      const now = this.clock()
      await this.knex('idps')
        .insert({ domain, last_seen: now })
        .onConflict('domain')
        .merge({ last_seen: now })
      return { domain, lastSeen: now }
    })
  }

  /** forget_idp: deletes the row; false when there was none. */
  forget(domain: string): Promise<boolean> {
    return guard(async () => (await this.knex('idps').where({ domain }).delete()) > 0)
  }
}
