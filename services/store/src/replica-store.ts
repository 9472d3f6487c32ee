// SPDX-License-Identifier: MPL-2.0
// What the reader asks of the replica: one operation per use case, behind one small interface, so the
// reader's handlers see neither knex nor rows (and a unit test can pass its own). `replicaStore`
// implements it over the reader-side repositories on the replica pool.
import type { ReaderDb } from './db.ts'
import { EmailsReader } from './repos/emails.ts'
import { IdpsReader } from './repos/idps.ts'
import { StagedReader } from './repos/staged.ts'
import { UsersReader } from './repos/users.ts'
import type { EmailType, Staged, StagedKind } from './types.ts'

export interface AccountView {
  readonly id: number
  readonly passwordHash: string | null
  /** Sessions carrying another generation have been revoked (logout, password change, reset). */
  readonly sessionGeneration: number
}

export interface AddressView {
  readonly userId: number
  /** The address as stored (Persona's normalizedEmail). */
  readonly address: string
  /** How it was last used. */
  readonly type: EmailType
  readonly verified: boolean
}

export interface PendingView {
  readonly kind: StagedKind
  readonly email: string
  readonly existingUserId: number | null
  /** A password was chosen when staging (the landing page need not ask for one). */
  readonly hasPassword: boolean
}

export interface ReplicaStore {
  ping(): Promise<void>
  /** Read-your-writes: resolves once the replica has applied `gtid` (bounded; ERR_DATABASE_UNAVAILABLE). */
  waitForGtid(gtid: string): Promise<void>
  /** Session expiry, session_context, sign-in. */
  account(id: number): Promise<AccountView | undefined>
  /** have_email, address_info, cert_key, authenticate_user, the *_status calls. */
  address(email: string): Promise<AddressView | undefined>
  /** list_emails, oldest first. */
  addressesOf(userId: number): Promise<readonly AddressView[]>
  /** A live (unexpired) mailed link: email_for_token, user_creation_status, email_addition_status. */
  pendingByToken(token: string): Promise<PendingView | undefined>
  /** The live mailed link for an address: password_reset_status, transition_status. */
  pendingForAddress(email: string): Promise<PendingView | undefined>
  /** When a domain was last seen serving a support document (ms): address_info's `offline`. */
  idpLastSeen(domain: string): Promise<number | undefined>
  close(): Promise<void>
}

function pendingView(s: Staged | undefined): PendingView | undefined {
  if (s === undefined) return undefined
  const { kind, email, existingUserId } = s
  return { kind, email, existingUserId, hasPassword: (s.passwordHash ?? '') !== '' }
}

function addressView(e: AddressView): AddressView {
  return { userId: e.userId, address: e.address, type: e.type, verified: e.verified }
}

export function replicaStore(db: ReaderDb): ReplicaStore {
  const users = new UsersReader(db)
  const emails = new EmailsReader(db)
  const staged = new StagedReader(db)
  const idps = new IdpsReader(db)
  return {
    ping: () => db.ping(),
    waitForGtid: (gtid) => db.waitFor(gtid),
    account: async (id) => {
      const u = await users.byId(id)
      return u === undefined
        ? undefined
        : { id: u.id, passwordHash: u.passwordHash, sessionGeneration: u.sessionGeneration }
    },
    address: async (email) => {
      const e = await emails.byAddress(email)
      return e === undefined ? undefined : addressView(e)
    },
    addressesOf: async (userId) => (await emails.listForUser(userId)).map(addressView),
    pendingByToken: async (token) => pendingView(await staged.byToken(token)),
    pendingForAddress: async (email) => pendingView(await staged.byEmail(email)),
    idpLastSeen: async (domain) => (await idps.lastSeen(domain))?.getTime(),
    close: () => db.close(),
  }
}
