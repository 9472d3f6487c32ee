// SPDX-License-Identifier: MPL-2.0
// The writer's settings, from the environment (every variable is listed in ../README.md). It holds the
// only DB write credentials and the SMTP settings, and never the cookie key.
import { baseConfig, loadConfig, type ServiceSettings, serviceSettings } from '@persona/kit'
import { dbConfig, tokenConfig } from '@persona/store'
import { type Static, Type } from 'typebox'

export const WriterConfigSchema = Type.Object({
  ...baseConfig('writer'),
  ...dbConfig('WRITER'),
  ...tokenConfig(),
  WRITER_TOKEN: Type.String({ minLength: 16, description: 'token the reader must send' }),
  PUBLIC_URL: Type.String({
    pattern: '^https?://[^\\s/?#]+/?$',
    default: 'http://127.0.0.1:8080',
    description: 'base of the links in mail',
  }),
  SMTP_HOST: Type.String({ default: '127.0.0.1', minLength: 1 }),
  SMTP_PORT: Type.Integer({ minimum: 1, maximum: 65535, default: 1025 }),
  SMTP_SECURE: Type.Boolean({ default: false, description: 'TLS from the start (port 465); else STARTTLS' }),
  SMTP_USER: Type.Optional(Type.String()),
  SMTP_PASS: Type.Optional(Type.String()),
  EMAIL_FROM: Type.String({ default: 'Persona <no-reply@persona.invalid>', minLength: 3 }),
  MIN_EMAIL_INTERVAL_MS: Type.Integer({
    minimum: 0,
    default: 60_000,
    description: 'per-address mail throttle',
  }),
  BCRYPT_ROUNDS: Type.Integer({ minimum: 4, maximum: 31, default: 12, description: 'bcrypt work factor' }),
  BCRYPT_CONCURRENCY: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 64, description: 'hashes at once; default: CPUs - 1, at most 3' }),
  ),
  BCRYPT_MAX_QUEUE: Type.Integer({ minimum: 0, default: 64, description: 'waiting hashes before 503' }),
})

export type WriterConfig = Static<typeof WriterConfigSchema> & {
  readonly service: ServiceSettings
  /** The loaded variables, for @persona/store's `openWriterDb`. */
  readonly raw: Readonly<Record<string, unknown>>
}

/** @throws {ConfigError} one line naming the bad variable */
export function loadWriterConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): WriterConfig {
  const c = loadConfig(WriterConfigSchema, env)
  return { ...c, service: serviceSettings(c, 'writer'), raw: c }
}
