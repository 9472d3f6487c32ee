// SPDX-License-Identifier: MPL-2.0
// What the writer asks of the master: one operation per use case, behind small interfaces by area
// (accounts, sign-ins, addresses, mailed links, IdPs), so the writer's handlers see neither knex nor
// rows. `masterStore` implements them over the writer-side repositories on the master pool; each
// operation that changes several rows is one transaction.
import type { WriterDb } from './db.ts'
import { EmailsWriter } from './repos/emails.ts'
import { IdpsWriter } from './repos/idps.ts'
import { type StagedRepoOptions, StagedWriter } from './repos/staged.ts'
import { UsersWriter } from './repos/users.ts'

/** Accounts: read one on the master, create from a primary, set a password, end sessions, cancel. */
export type AccountStore = Pick<
  UsersWriter,
  'byId' | 'createWithPrimaryEmail' | 'setPassword' | 'endSessions' | 'cancelAccount'
>
/** Sign-in outcomes (authenticate_user): a failure, a success. */
export type SignInStore = Pick<UsersWriter, 'recordFailedSignIn' | 'recordSignIn'>
/** An account's addresses. */
export type AddressStore = Pick<EmailsWriter, 'byAddress' | 'remove' | 'setLastUsedAs' | 'addPrimary'>
/** Mailed links: stage (with the throttle's clock), look up, complete, sweep. */
export type StagingStore = Pick<
  StagedWriter,
  | 'lastStagedAt'
  | 'stage'
  | 'stageUnverifiedAccount'
  | 'byToken'
  | 'completeNewAccount'
  | 'completeEmailConfirmation'
  | 'completeReset'
  | 'deleteExpired'
>
/** Primary IdPs seen (address_info's `offline`). */
export type IdpStore = Pick<IdpsWriter, 'saw' | 'forget'>

export interface MasterStore {
  readonly accounts: AccountStore
  readonly signIns: SignInStore
  readonly addresses: AddressStore
  readonly staging: StagingStore
  readonly idps: IdpStore
}

export function masterStore(db: WriterDb, opts: StagedRepoOptions = {}): MasterStore {
  const users = new UsersWriter(db, opts)
  return {
    accounts: users,
    signIns: users,
    addresses: new EmailsWriter(db, opts),
    staging: new StagedWriter(db, opts),
    idps: new IdpsWriter(db, opts),
  }
}
