// SPDX-License-Identifier: MPL-2.0
// Row shapes the repositories return (camelCase, Dates in UTC). They mirror the tables in
// docs/schema.md, which re-model Persona's lib/db/mysql.js schema.

export type EmailType = 'secondary' | 'primary'

/** What a staged token will do when completed. */
export const STAGED_KINDS = ['new_account', 'add_email', 'reset', 'reverify', 'transition'] as const
export type StagedKind = (typeof STAGED_KINDS)[number]

export interface User {
  readonly id: number
  /** bcrypt hash, or null for an account that has never set a password. */
  readonly passwordHash: string | null
  /** Sessions issued before this instant are ended (Persona's lastPasswordReset). */
  readonly lastPasswordReset: Date
  /** Sessions carrying another generation are ended (logout, password change, reset move it on). */
  readonly sessionGeneration: number
  readonly createdAt: Date
}

export interface Email {
  readonly id: number
  readonly userId: number
  /** The address as stored (Persona's normalizedEmail). */
  readonly address: string
  /** How the address was last used (Persona's lastUsedAs). */
  readonly type: EmailType
  readonly verified: boolean
  readonly createdAt: Date
}

export interface Staged {
  /** SHA-256 (hex) of the mailed token; the token itself is never stored. */
  readonly tokenHash: string
  readonly kind: StagedKind
  readonly email: string
  /** The account acted on; null only for new_account. */
  readonly existingUserId: number | null
  /** Hash to set on completion, if one was chosen when staging. */
  readonly passwordHash: string | null
  readonly createdAt: Date
  readonly expiresAt: Date
}

export interface Idp {
  readonly domain: string
  readonly lastSeen: Date
}

/** The clock the repositories use for every timestamp they write or compare (injected in tests). */
export type Clock = () => Date
