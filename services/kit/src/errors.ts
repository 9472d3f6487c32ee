// SPDX-License-Identifier: MPL-2.0
// One error type for every service: a stable wire code, an HTTP status and a public reason, mapped to
// the response by the kit's error handler. Codes are never reused or renumbered.
import { Type } from 'typebox'

export const ERROR_CODES = {
  ERR_BAD_REQUEST: 400,
  ERR_UNAUTHORIZED: 401,
  ERR_FORBIDDEN: 403,
  ERR_NOT_FOUND: 404,
  ERR_CONFLICT: 409,
  ERR_PAYLOAD_TOO_LARGE: 413,
  ERR_UNSUPPORTED_MEDIA_TYPE: 415,
  ERR_RATE_LIMITED: 429,
  ERR_INTERNAL: 500,
  ERR_BAD_GATEWAY: 502,
  ERR_DATABASE_UNAVAILABLE: 503,
  ERR_UNAVAILABLE: 503,
  ERR_GATEWAY_TIMEOUT: 504,
  ERR_DESTINATION_REFUSED: 502,
  ERR_API_VERSION: 409,
} as const satisfies Record<string, number>
export type ErrorCode = keyof typeof ERROR_CODES

/** What the kit's error handler answers, as a schema (route responses, the OpenAPI descriptions). */
export const ErrorReply = Type.Object(
  {
    success: Type.Literal(false),
    code: Type.String({ description: 'a stable code, e.g. ERR_BAD_REQUEST' }),
    reason: Type.String({ description: 'why, in words' }),
  },
  { description: 'The request was refused or failed.' },
)

export interface PersonaErrorOptions {
  /** Internal detail for logs only; never sent to the client. */
  readonly detail?: string
  readonly cause?: unknown
  /** Extra fields to put on the JSON body (e.g. `{ status: 'failure' }`). */
  readonly body?: Readonly<Record<string, unknown>>
}

export class PersonaError extends Error {
  readonly code: ErrorCode
  readonly statusCode: number
  /** Safe to show to the caller. */
  readonly reason: string
  readonly detail: string | undefined
  readonly body: Readonly<Record<string, unknown>> | undefined

  constructor(code: ErrorCode, reason: string, options: PersonaErrorOptions = {}) {
    super(reason, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'PersonaError'
    this.code = code
    this.statusCode = ERROR_CODES[code]
    this.reason = reason
    this.detail = options.detail
    this.body = options.body
  }

  /** Whether the reason may be shown to the caller (all but our own 500s). */
  get expose(): boolean {
    return this.statusCode < 500 || this.code !== 'ERR_INTERNAL'
  }
}

export function isPersonaError(e: unknown): e is PersonaError {
  return e instanceof PersonaError
}
