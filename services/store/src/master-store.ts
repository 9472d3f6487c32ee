// SPDX-License-Identifier: MPL-2.0
// What the writer asks of the master: one operation per use case, behind small interfaces by area
// (accounts, sign-ins and their backoff, addresses, mailed links, IdPs), so the writer's handlers see neither knex nor
// rows. `masterStore` implements them over the writer-side repositories on the master pool; each
// operation that changes several rows is one transaction.
import type { WriterDb } from './db.ts'
import { BackoffWriter } from './repos/backoff.ts'
import { EmailsWriter } from './repos/emails.ts'
import { IdpsWriter } from './repos/idps.ts'
import { type StagedRepoOptions, StagedWriter } from './repos/staged.ts'
import { UsersWriter } from './repos/users.ts'

/** Accounts: read one on the master, create from a primary, set a password, end sessions, cancel. */
export type AccountStore = Pick<
  UsersWriter,
  'byId' | 'createWithPrimaryEmail' | 'setPassword' | 'endSessions' | 'cancelAccount'
>
/** A successful sign-in (authenticate_user): the session generation, a re-hash. */
export type SignInStore = Pick<UsersWriter, 'recordSignIn'>
/** Wrong passwords per scope and their backoff (the policy is the writer's). */
export type BackoffStore = Pick<BackoffWriter, 'settle' | 'forgetBefore'>
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
  readonly backoff: BackoffStore
  readonly addresses: AddressStore
  readonly staging: StagingStore
  readonly idps: IdpStore
}

export function masterStore(db: WriterDb, opts: StagedRepoOptions = {}): MasterStore {
  const users = new UsersWriter(db, opts)
  return {
    accounts: users,
    signIns: users,
    backoff: new BackoffWriter(db, opts),
    addresses: new EmailsWriter(db, opts),
    staging: new StagedWriter(db, opts),
    idps: new IdpsWriter(db, opts),
  }
}
