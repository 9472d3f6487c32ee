// SPDX-License-Identifier: MPL-2.0
// bcrypt for the writer's calls: a full pool answers 503 "server is too busy" (Persona's wording).
import { PersonaError } from '@persona/kit'
import { unlessBusy } from '@persona/kit/password-hash'
import type { WriterContext } from './context.ts'

/** The bcrypt hash of a new password. @throws {PersonaError} ERR_UNAVAILABLE when bcrypt is saturated */
export function hashPassword(ctx: WriterContext, pass: string): Promise<string> {
  return unlessBusy(ctx.hasher.hash(pass))
}

/** Whether `pass` matches `encoded` (false when there is no hash). */
export function passwordMatches(ctx: WriterContext, pass: string, encoded: string | null): Promise<boolean> {
  if (encoded === null || encoded === '') return Promise.resolve(false)
  return unlessBusy(ctx.hasher.verify(pass, encoded))
}

/** A missing or wrong password on a call that needs one: 401 with Persona's reason. */
export function authRequired(reason: string): PersonaError {
  return new PersonaError('ERR_UNAUTHORIZED', reason)
}
