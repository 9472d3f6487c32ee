// SPDX-License-Identifier: MPL-2.0
// The address an assertion proves, as the reader verified it (the writer never verifies assertions).
import { PersonaError } from '@persona/kit'
import type { WriterContext } from './context.ts'

/** @throws {PersonaError} ERR_BAD_REQUEST when the reader sent no verified facts */
export function verifiedEmail(ctx: WriterContext): string {
  if (ctx.verified === undefined) throw new PersonaError('ERR_BAD_REQUEST', 'assertion was not verified')
  return ctx.verified.email
}
