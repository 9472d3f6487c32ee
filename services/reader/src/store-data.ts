// SPDX-License-Identifier: MPL-2.0
// ReaderData over @persona/store's reader-side repositories on the replica pool.
import {
  EmailsReader,
  IdpsReader,
  type ReaderDb,
  type Staged,
  StagedReader,
  UsersReader,
} from '@persona/store'
import type { ReaderData, StagedRow } from './data.ts'

function stagedRow(s: Staged | undefined): StagedRow | undefined {
  if (s === undefined) return undefined
  return {
    secret: s.secret,
    kind: s.kind,
    email: s.email,
    existingUserId: s.existingUserId,
    hasPassword: s.passwordHash !== null && s.passwordHash !== '',
  }
}

export function storeReaderData(db: ReaderDb): ReaderData {
  const users = new UsersReader(db)
  const emails = new EmailsReader(db)
  const staged = new StagedReader(db)
  const idps = new IdpsReader(db)
  return {
    ping: () => db.ping(),
    waitForGtid: async (gtid) => {
      await db.waitFor(gtid)
      return true
    },
    userById: async (id) => {
      const u = await users.byId(id)
      if (u === undefined) return undefined
      return {
        id: u.id,
        passwordHash: u.passwordHash,
        sessionGeneration: u.sessionGeneration,
        failedAuthTries: u.failedAuthTries,
      }
    },
    email: async (address) => {
      const e = await emails.byAddress(address)
      return e === undefined
        ? undefined
        : { userId: e.userId, address: e.address, type: e.type, verified: e.verified }
    },
    emailsOfUser: async (userId) =>
      (await emails.listForUser(userId)).map((e) => ({
        userId: e.userId,
        address: e.address,
        type: e.type,
        verified: e.verified,
      })),
    stagedBySecret: async (secret) => stagedRow(await staged.byToken(secret)),
    stagedByEmail: async (address) => stagedRow(await staged.byEmail(address)),
    idpLastSeen: async (domain) => (await idps.lastSeen(domain))?.getTime(),
    close: () => db.close(),
  }
}
