// SPDX-License-Identifier: MPL-2.0
// Staged actions repository: the mailed-link tokens (new account, added email, reset, re-verify,
// transition). One row per address; tokens expire (lifetime configurable, Persona's never did) and are
// single-use: completion locks, checks and deletes the row in the same transaction as its effects.
// Rows hold only the token's hash (token_hash): every lookup by token goes through `byToken` or `take`.
import { PersonaError } from '@persona/kit'
import type { Knex } from 'knex'
import { guard, type WriterDb } from '../db.ts'
import { dbErrorCode } from '../db-errors.ts'
import { toStaged } from '../rows.ts'
import { DEFAULT_TOKEN_LIFETIME_MS, isToken, newToken, tokenHash } from '../tokens.ts'
import type { EmailType, Staged, StagedKind } from '../types.ts'
import { clearAccountBackoffIn } from './backoff.ts'
import { deleteOlder, Repo, type RepoOptions } from './base.ts'
import { attachEmail } from './emails.ts'
import { generationIn } from './users.ts'

export interface StagedRepoOptions extends RepoOptions {
  /** Token lifetime in ms (STAGED_TOKEN_LIFETIME_MS); default 2 days. */
  readonly tokenLifetimeMs?: number
}

export class StagedReader extends Repo {
  /** A live (unexpired) staged row for `secret`, or undefined (email_for_token, complete_* checks). */
  byToken(secret: string): Promise<Staged | undefined> {
    if (!isToken(secret)) return Promise.resolve(undefined)
    return guard(async () => {
      const row: unknown = await this.knex('staged')
        .where({ token_hash: tokenHash(secret) })
        .andWhere('expires_at', '>', this.clock())
        .first()
      return row === undefined ? undefined : toStaged(row)
    })
  }

  /** The live staged row for an address (password_reset_status, transition_status, throttle). */
  byEmail(address: string): Promise<Staged | undefined> {
    return guard(async () => {
      const row: unknown = await this.knex('staged')
        .where({ email: address })
        .andWhere('expires_at', '>', this.clock())
        .first()
      return row === undefined ? undefined : toStaged(row)
    })
  }

  /** When a mail was last staged for the address (the 60 s throttle), or undefined. */
  async lastStagedAt(address: string): Promise<Date | undefined> {
    return (await this.byEmail(address))?.createdAt
  }
}

export interface StageInput {
  readonly kind: StagedKind
  readonly email: string
  /** Required for every kind but new_account, forbidden for new_account. */
  readonly existingUserId?: number
  /** Hash to set on completion (stage_user, stage_email for a password-less account, stage_transition). */
  readonly passwordHash?: string | null
}

export interface StageResult {
  readonly secret: string
  readonly expiresAt: Date
}

export class StagedWriter extends StagedReader {
  protected readonly db: WriterDb
  readonly tokenLifetimeMs: number

  constructor(db: WriterDb, opts: StagedRepoOptions = {}) {
    super(db, opts)
    this.db = db
    this.tokenLifetimeMs = opts.tokenLifetimeMs ?? DEFAULT_TOKEN_LIFETIME_MS
  }

  /**
   * Stages an action with a fresh token, replacing any earlier row for the address (so older links
   * die). stage_reset passes no hash, which wipes a previously staged one.
   */
  stage(input: StageInput): Promise<StageResult> {
    if ((input.kind === 'new_account') !== (input.existingUserId === undefined)) {
      const rule = input.kind === 'new_account' ? 'forbids' : 'needs'
      return Promise.reject(new TypeError(`staged kind ${input.kind} ${rule} a user id`))
    }
    return this.db.transaction((trx) => this.stageIn(trx, input))
  }

  private async stageIn(trx: Knex.Transaction, input: StageInput): Promise<StageResult> {
    const now = this.clock()
    const expiresAt = new Date(now.getTime() + this.tokenLifetimeMs)
    await trx('staged').where({ email: input.email }).delete()
    for (let attempt = 0; ; attempt++) {
      const secret = newToken()
      try {
        await trx('staged').insert({
          token_hash: tokenHash(secret),
          kind: input.kind,
          email: input.email,
          existing_user_id: input.existingUserId ?? null,
          password_hash: input.passwordHash ?? null,
          created_at: now,
          expires_at: expiresAt,
        })
        return { secret, expiresAt }
      } catch (e) {
        // A secret collision (62^48) is practically impossible; retry rather than reason about it.
        if (dbErrorCode(e) !== 'ER_DUP_ENTRY' || attempt >= 2) throw e
      }
    }
  }

  /**
   * stage_user with allowUnverified: creates the user (with the hash) and an unverified secondary
   * address at once, and stages an add_email confirmation for it.
   * @throws {PersonaError} ERR_CONFLICT when the address already belongs to an account
   */
  stageUnverifiedAccount(input: {
    readonly email: string
    readonly passwordHash: string
  }): Promise<StageResult & { userId: number; lastPasswordReset: Date }> {
    return this.db.transaction(async (trx) => {
      const now = this.clock()
      const taken: unknown = await trx('emails').where({ address: input.email }).forUpdate().first('id')
      if (taken !== undefined) throw new PersonaError('ERR_CONFLICT', 'email already registered')
      const [userId] = await trx('users').insert({
        password_hash: input.passwordHash,
        last_password_reset: now,
        created_at: now,
      })
      if (userId === undefined) throw new Error('insert returned no id')
      await trx('emails').insert({
        user_id: userId,
        address: input.email,
        type: 'secondary',
        verified: false,
        created_at: now,
      })
      const staged = await this.stageIn(trx, {
        kind: 'add_email',
        email: input.email,
        existingUserId: userId,
        passwordHash: input.passwordHash,
      })
      return { ...staged, userId, lastPasswordReset: now }
    })
  }

  /** Locks and deletes the live row for `secret` if its kind is allowed; undefined otherwise. */
  private async take(
    trx: Knex.Transaction,
    secret: string,
    kinds: readonly StagedKind[],
  ): Promise<Staged | undefined> {
    if (!isToken(secret)) return undefined
    const where = { token_hash: tokenHash(secret) }
    const row: unknown = await trx('staged').where(where).forUpdate().first()
    if (row === undefined) return undefined
    const staged = toStaged(row)
    if (staged.expiresAt.getTime() <= this.clock().getTime()) return undefined
    if (!kinds.includes(staged.kind)) return undefined
    await trx('staged').where(where).delete()
    return staged
  }

  /**
   * complete_user_creation: consumes a new_account token, creates the user (staged hash,
   * lastPasswordReset = now) and its verified address of type `emailType` (primary when the domain
   * serves a support document). Undefined when the token is unknown, used, expired or of another kind.
   */
  completeNewAccount(
    secret: string,
    opts: { readonly emailType?: EmailType } = {},
  ): Promise<{ userId: number; email: string; generation: number } | undefined> {
    return this.db.transaction(async (trx) => {
      const s = await this.take(trx, secret, ['new_account'])
      if (s === undefined) return undefined
      const now = this.clock()
      const [userId] = await trx('users').insert({
        password_hash: s.passwordHash,
        last_password_reset: now,
        created_at: now,
      })
      if (userId === undefined) throw new Error('insert returned no id')
      await attachEmail(trx, userId, s.email, opts.emailType ?? 'secondary', now)
      return { userId, email: s.email, generation: 0 }
    })
  }

  /**
   * complete_email_confirmation (add_email and reverify tokens): consumes the token, sets a staged hash
   * as the password (its sign-in backoff cleared, sessions kept) and makes the address a verified one of the staging user.
   */
  completeEmailConfirmation(
    secret: string,
    opts: { readonly emailType?: EmailType } = {},
  ): Promise<{ userId: number; email: string; passwordSet: boolean; generation: number } | undefined> {
    return this.db.transaction(async (trx) => {
      const s = await this.take(trx, secret, ['add_email', 'reverify'])
      if (s === undefined || s.existingUserId === null) return undefined
      const userId = s.existingUserId
      if (s.passwordHash !== null) {
        await trx('users').where({ id: userId }).update({ password_hash: s.passwordHash })
        await clearAccountBackoffIn(trx, userId)
      }
      await attachEmail(trx, userId, s.email, opts.emailType ?? 'secondary', this.clock())
      return {
        userId,
        email: s.email,
        passwordSet: s.passwordHash !== null,
        generation: await generationIn(trx, userId),
      }
    })
  }

  /**
   * complete_reset (reset token, `passwordHash` = the new password) and complete_transition
   * (transition token, the staged hash): consumes the token, marks the user's other secondary addresses
   * unverified, makes this one a verified secondary, sets the password, clears its sign-in backoff and ends every session
   * (the session generation moves on). Undefined when the token is not usable, no hash is available, or the address has changed
   * owner since staging.
   */
  completeReset(
    secret: string,
    opts: { readonly passwordHash?: string } = {},
  ): Promise<{ userId: number; email: string; generation: number } | undefined> {
    return this.db.transaction(async (trx) => {
      const s = await this.take(trx, secret, ['reset', 'transition'])
      if (s === undefined || s.existingUserId === null) return undefined
      const hash = opts.passwordHash ?? s.passwordHash
      if (hash === null) return undefined
      const userId = s.existingUserId
      const owner: unknown = await trx('emails').where({ address: s.email }).forUpdate().first('user_id')
      if (owner === undefined || Reflect.get(Object(owner), 'user_id') !== userId) return undefined
      const now = this.clock()
      await trx('emails')
        .where({ user_id: userId, type: 'secondary' })
        .andWhereNot({ address: s.email })
        .update({ verified: false })
      await attachEmail(trx, userId, s.email, 'secondary', now)
      await trx('users')
        .where({ id: userId })
        .update({
          password_hash: hash,
          last_password_reset: now,
          session_generation: trx.raw('session_generation + 1'),
        })
      await clearAccountBackoffIn(trx, userId)
      return { userId, email: s.email, generation: await generationIn(trx, userId) }
    })
  }

  /** Deletes expired rows, at most `limit` per call (run it periodically). Returns how many. */
  deleteExpired(limit = 1000): Promise<number> {
    // expires_at <= now: a token is no longer usable at its expiry instant; one ms later is the same sweep.
    return deleteOlder(this.knex, 'staged', 'expires_at', new Date(this.clock().getTime() + 1), limit)
  }
}
