// SPDX-License-Identifier: MPL-2.0
// Decoders from the driver's untyped rows to the repository types: each field is checked rather than
// cast, so a schema drift fails loudly at the first read instead of leaking wrong types.
import {
  type Email,
  type EmailType,
  type Idp,
  STAGED_KINDS,
  type Staged,
  type StagedKind,
  type User,
} from './types.ts'

export class RowError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RowError'
  }
}

function get(row: unknown, key: string): unknown {
  if (typeof row !== 'object' || row === null) throw new RowError('row is not an object')
  return Reflect.get(row, key)
}

export function num(row: unknown, key: string): number {
  const v = get(row, key)
  if (typeof v === 'number') return v
  if (typeof v === 'bigint') return Number(v)
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v)
  throw new RowError(`column ${key} is not a number`)
}

export function str(row: unknown, key: string): string {
  const v = get(row, key)
  if (typeof v === 'string') return v
  throw new RowError(`column ${key} is not a string`)
}

export function strOrNull(row: unknown, key: string): string | null {
  const v = get(row, key)
  if (v === null || v === undefined) return null
  if (typeof v === 'string') return v
  throw new RowError(`column ${key} is not a string`)
}

export function numOrNull(row: unknown, key: string): number | null {
  const v = get(row, key)
  if (v === null || v === undefined) return null
  return num(row, key)
}

export function date(row: unknown, key: string): Date {
  const v = get(row, key)
  if (v instanceof Date && !Number.isNaN(v.getTime())) return v
  throw new RowError(`column ${key} is not a date`)
}

export function bool(row: unknown, key: string): boolean {
  const v = get(row, key)
  if (typeof v === 'boolean') return v
  if (v === 0 || v === 1) return v === 1
  throw new RowError(`column ${key} is not a boolean`)
}

function emailType(row: unknown, key: string): EmailType {
  const v = str(row, key)
  if (v === 'primary' || v === 'secondary') return v
  throw new RowError(`column ${key} is not an email type`)
}

function stagedKind(row: unknown, key: string): StagedKind {
  const v = str(row, key)
  const kind = STAGED_KINDS.find((k) => k === v)
  if (kind === undefined) throw new RowError(`column ${key} is not a staged kind`)
  return kind
}

export function toUser(r: unknown): User {
  return {
    id: num(r, 'id'),
    passwordHash: strOrNull(r, 'password_hash'),
    lastPasswordReset: date(r, 'last_password_reset'),
    sessionGeneration: num(r, 'session_generation'),
    createdAt: date(r, 'created_at'),
  }
}

export function toEmail(r: unknown): Email {
  return {
    id: num(r, 'id'),
    userId: num(r, 'user_id'),
    address: str(r, 'address'),
    type: emailType(r, 'type'),
    verified: bool(r, 'verified'),
    createdAt: date(r, 'created_at'),
  }
}

export function toStaged(r: unknown): Staged {
  return {
    tokenHash: str(r, 'token_hash'),
    kind: stagedKind(r, 'kind'),
    email: str(r, 'email'),
    existingUserId: numOrNull(r, 'existing_user_id'),
    passwordHash: strOrNull(r, 'password_hash'),
    createdAt: date(r, 'created_at'),
    expiresAt: date(r, 'expires_at'),
  }
}

export function toIdp(r: unknown): Idp {
  return { domain: str(r, 'domain'), lastSeen: date(r, 'last_seen') }
}

/** The rows of a `knex.raw` result on mysql2 (`[rows, fields]`). */
export function rawRows(result: unknown): unknown[] {
  if (Array.isArray(result) && Array.isArray(result[0])) return result[0]
  throw new RowError('unexpected raw result shape')
}
