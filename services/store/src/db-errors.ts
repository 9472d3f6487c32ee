// SPDX-License-Identifier: MPL-2.0
// Maps driver failures to the kit's errors: anything that means "the server is unreachable, gone,
// read-only or overloaded" becomes ERR_DATABASE_UNAVAILABLE (503 `database unavailable`, Persona's
// wording), so callers fail fast with one clear error instead of leaking driver codes.
import { type DbErrorClass, PersonaError } from '@persona/kit'

/** Driver codes that mean the database cannot serve us now (network, shutdown, read-only, pool). */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
  'ER_CON_COUNT_ERROR',
  'ER_TOO_MANY_USER_CONNECTIONS',
  'ER_SERVER_SHUTDOWN',
  'ER_CONNECTION_KILLED',
  'ER_QUERY_INTERRUPTED',
  'ER_OPTION_PREVENTS_STATEMENT',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_LOCK_DEADLOCK',
  'ER_STATEMENT_TIMEOUT',
  'ER_ACCESS_DENIED_ERROR',
  'ER_DBACCESS_DENIED_ERROR',
  'ER_BAD_DB_ERROR',
])

function field(e: object, key: string): unknown {
  return key in e ? Reflect.get(e, key) : undefined
}

/** The driver's error code (`ER_...` or a socket errno name), if any. */
export function dbErrorCode(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null) return undefined
  const code = field(e, 'code')
  return typeof code === 'string' ? code : undefined
}

/** True when `e` means the database is unreachable or cannot take the statement now. */
export function isUnavailable(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false
  if (e instanceof Error && e.name === 'KnexTimeoutError') return true
  if (field(e, 'fatal') === true) return true
  const code = dbErrorCode(e)
  if (code !== undefined && UNAVAILABLE_CODES.has(code)) return true
  // mysql2 wraps refused/reset sockets in AggregateError on dual-stack hosts.
  if (e instanceof AggregateError) return e.errors.some((x) => isUnavailable(x))
  return false
}

export function unavailable(cause: unknown): PersonaError {
  const detail =
    cause instanceof Error ? `${dbErrorCode(cause) ?? cause.name}: ${cause.message}` : String(cause)
  return new PersonaError('ERR_DATABASE_UNAVAILABLE', 'database unavailable', { detail, cause })
}

/**
 * Rethrows `e` as the error callers should see: PersonaErrors unchanged, unavailability as
 * ERR_DATABASE_UNAVAILABLE, any other server error (a bug: bad SQL, broken constraint) as ERR_INTERNAL.
 */
export function toPersonaError(e: unknown): PersonaError | Error {
  if (e instanceof PersonaError) return e
  if (isUnavailable(e)) return unavailable(e)
  if (dbErrorCode(e) !== undefined) {
    const detail = e instanceof Error ? `${dbErrorCode(e)}: ${e.message}` : String(e)
    return new PersonaError('ERR_INTERNAL', 'database error', { detail, cause: e })
  }
  return e instanceof Error ? e : new Error(String(e))
}

const TIMEOUT_CODES = new Set([
  'ETIMEDOUT',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_STATEMENT_TIMEOUT',
  'ER_QUERY_INTERRUPTED',
])
const CONSTRAINT_CODES = new Set([
  'ER_DUP_ENTRY',
  'ER_NO_REFERENCED_ROW_2',
  'ER_ROW_IS_REFERENCED_2',
  'ER_BAD_NULL_ERROR',
  'ER_DATA_TOO_LONG',
])

/** The class persona_db_errors_total counts a driver failure under (see DB_ERROR_CLASSES). */
export function dbErrorClass(e: unknown): DbErrorClass {
  const code = dbErrorCode(e)
  if (
    (e instanceof Error && e.name === 'KnexTimeoutError') ||
    (code !== undefined && TIMEOUT_CODES.has(code))
  )
    return 'timeout'
  if (code === 'ER_LOCK_DEADLOCK') return 'deadlock'
  if (isUnavailable(e)) return 'unavailable'
  if (code !== undefined && CONSTRAINT_CODES.has(code)) return 'constraint'
  return 'query'
}
