// SPDX-License-Identifier: MPL-2.0
// What the reader reads from the replica, as one small interface the handlers use; `storeReaderData`
// implements it over @persona/store's reader-side repositories (tests may pass their own).
import type { EmailType, StagedKind } from '@persona/store'

export interface UserRow {
  readonly id: number
  readonly passwordHash: string | null
  /** Sessions carrying another generation have been revoked (logout, password change, reset). */
  readonly sessionGeneration: number
  readonly failedAuthTries: number
}

export interface EmailRow {
  readonly userId: number
  readonly address: string
  readonly type: EmailType
  readonly verified: boolean
}

export interface StagedRow {
  readonly secret: string
  readonly kind: StagedKind
  readonly email: string
  readonly existingUserId: number | null
  readonly hasPassword: boolean
}

export interface ReaderData {
  ping(): Promise<void>
  /** Waits until the replica has applied `gtid`; false when it did not within the limit. */
  waitForGtid(gtid: string): Promise<boolean>
  userById(id: number): Promise<UserRow | undefined>
  email(address: string): Promise<EmailRow | undefined>
  emailsOfUser(userId: number): Promise<readonly EmailRow[]>
  /** A staged row that has not expired. */
  stagedBySecret(secret: string): Promise<StagedRow | undefined>
  stagedByEmail(address: string): Promise<StagedRow | undefined>
  /** When the domain was last seen serving a support document (ms), if ever. */
  idpLastSeen(domain: string): Promise<number | undefined>
  close(): Promise<void>
}
