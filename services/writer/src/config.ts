// SPDX-License-Identifier: MPL-2.0
// The writer's settings, from the environment (every variable is listed in ../README.md). It holds the
// only DB write credentials and the SMTP settings, and never the cookie key.
import { defineServiceConfig } from '@persona/kit'
import { dbConfig, tokenConfig } from '@persona/store'
import { Type } from 'typebox'

export const CONFIG = defineServiceConfig('writer', {
  ...dbConfig('WRITER'),
  ...tokenConfig(),
  WRITER_TOKEN: Type.String({ minLength: 16, description: 'token the reader must send' }),
  PUBLIC_URL: Type.String({
    pattern: '^https?://[^\\s/?#]+/?$',
    default: 'http://127.0.0.1:8080',
    description: 'base of the links in mail',
  }),
  SMTP_HOST: Type.String({ default: '127.0.0.1', minLength: 1, description: 'SMTP relay host' }),
  SMTP_PORT: Type.Integer({ minimum: 1, maximum: 65535, default: 1025, description: 'SMTP relay port' }),
  SMTP_SECURE: Type.Boolean({ default: false, description: 'TLS from the start (port 465); else STARTTLS' }),
  SMTP_USER: Type.Optional(Type.String({ description: 'SMTP account, when the relay wants one' })),
  SMTP_PASS: Type.Optional(Type.String({ description: 'password of SMTP_USER' })),
  EMAIL_FROM: Type.String({
    default: 'Persona <no-reply@persona.invalid>',
    minLength: 3,
    description: 'From: of every mail',
  }),
  MIN_EMAIL_INTERVAL_MS: Type.Integer({
    minimum: 0,
    default: 60_000,
    description: 'per-address mail throttle',
  }),
  // Sign-in backoff (OWASP ASVS 2.2.1): each scope gets some wrong passwords free, then every further
  // attempt in it waits BACKOFF_BASE_MS, doubled per failure, up to the scope's maximum. The account's
  // maximum is short (a stranger can slow its owner down by a minute at most, and never a browser the
  // owner has signed in with); a client address's is long (one source guessing at many accounts).
  ACCOUNT_BACKOFF_AFTER: Type.Integer({
    minimum: 1,
    default: 5,
    description: 'wrong passwords on an account before its attempts wait',
  }),
  ACCOUNT_BACKOFF_MAX_MS: Type.Integer({
    minimum: 0,
    default: 60_000,
    description: "longest wait an account's failures impose",
  }),
  CLIENT_BACKOFF_AFTER: Type.Integer({
    minimum: 1,
    default: 20,
    description: "wrong passwords from one client address before that address's attempts wait",
  }),
  CLIENT_BACKOFF_MAX_MS: Type.Integer({
    minimum: 0,
    default: 900_000,
    description: "longest wait a client address's failures impose",
  }),
  BACKOFF_BASE_MS: Type.Integer({
    minimum: 1,
    default: 1000,
    description: 'first wait; doubles per failure',
  }),
  BACKOFF_FORGET_MS: Type.Integer({
    minimum: 1000,
    default: 86_400_000,
    description: 'failures older than this are forgotten',
  }),
  BCRYPT_ROUNDS: Type.Integer({ minimum: 4, maximum: 31, default: 12, description: 'bcrypt work factor' }),
  BCRYPT_CONCURRENCY: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 64, description: 'hashes at once; default: CPUs - 1, at most 3' }),
  ),
  BCRYPT_MAX_QUEUE: Type.Integer({ minimum: 0, default: 64, description: 'waiting hashes before 503' }),
})

export type WriterConfig = ReturnType<typeof CONFIG.load>

/** @throws {ConfigError} one line naming the bad variable */
export function loadWriterConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): WriterConfig {
  return CONFIG.load(env)
}
