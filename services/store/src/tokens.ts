// SPDX-License-Identifier: MPL-2.0
// Secrets for mailed links: 48 characters from [A-Za-z0-9], as Persona's, but drawn without modulo
// bias (crypto.randomInt), and with a lifetime (Persona's never expired). Only a token's SHA-256 is
// stored (Persona stored the token itself), so a copy of the database completes no link.
import { createHash, randomInt } from 'node:crypto'

export const TOKEN_LENGTH = 48
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
export const TOKEN_RE = /^[A-Za-z0-9]{48}$/

/** Default lifetime of a staged token: 2 days (STAGED_TOKEN_LIFETIME_MS). */
export const DEFAULT_TOKEN_LIFETIME_MS = 2 * 24 * 60 * 60 * 1000

export function newToken(): string {
  let s = ''
  for (let i = 0; i < TOKEN_LENGTH; i++) s += ALPHABET[randomInt(ALPHABET.length)]
  return s
}

export function isToken(s: string): boolean {
  return TOKEN_RE.test(s)
}

/**
 * What the `staged` table keeps of a token: its SHA-256, lowercase hex (MariaDB's SHA2(token, 256), which
 * migration 0007 applied to existing rows). A fast hash is enough: a token is 285 random bits, so no
 * dictionary or brute force reaches it; lookups are by this value.
 */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'ascii').digest('hex')
}
