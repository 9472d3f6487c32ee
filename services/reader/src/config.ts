// SPDX-License-Identifier: MPL-2.0
// The reader's settings, from the environment (every variable is listed in ../README.md). The URLs of
// the writer, certifier and proxy come from the topology (kit defineServiceConfig), typed in `upstream`.
import { defineServiceConfig } from '@persona/kit'
import { replicaDbConfig } from '@persona/store'
import { Type } from 'typebox'

export const CONFIG = defineServiceConfig('reader', {
  ...replicaDbConfig(),
  SESSION_SECRET: Type.String({
    minLength: 32,
    description: 'cookie key material; comma-separated to rotate (the first signs, all decrypt)',
  }),
  WRITER_TOKEN: Type.String({ minLength: 16, description: 'token sent on reader -> writer calls' }),
  CERTIFIER_TOKEN: Type.String({ minLength: 16, description: 'token sent on reader -> certifier calls' }),
  PUBLIC_URL: Type.String({
    pattern: '^https?://[^\\s/?#]+/?$',
    default: 'http://127.0.0.1:8080',
    description: 'our public origin',
  }),
  PUBLIC_KEY_FILE: Type.String({ minLength: 1, description: "the certifier's BrowserID public key (JSON)" }),
  COOKIE_SECURE: Type.Boolean({
    default: true,
    description: 'Secure cookie attribute; false only in dev over http',
  }),
  COOKIE_SAMESITE: Type.Optional(
    Type.Union([Type.Literal('none'), Type.Literal('lax'), Type.Literal('strict')], {
      description: "default 'none' when Secure (the communication iframe is third-party), else 'lax'",
    }),
  ),
  AUTH_DURATION_MS: Type.Integer({
    minimum: 60_000,
    default: 2_419_200_000,
    description: 'how long a sign-in lasts: 28 days',
  }),
  EPHEMERAL_DURATION_MS: Type.Integer({
    minimum: 60_000,
    default: 3_600_000,
    description: 'how long a sign-in on a shared computer (ephemeral) lasts: 1 hour',
  }),
  BCRYPT_ROUNDS: Type.Integer({ minimum: 4, maximum: 31, default: 12, description: 'bcrypt work factor' }),
  BCRYPT_CONCURRENCY: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 64, description: 'hashes at once; default: CPUs - 1, at most 3' }),
  ),
  BCRYPT_MAX_QUEUE: Type.Integer({ minimum: 0, default: 64, description: 'waiting hashes before 503' }),
  RATE_SIGNIN_PER_MIN: Type.Integer({
    minimum: 1,
    default: 30,
    description: 'authenticate_user per IP per minute',
  }),
  RATE_EMAIL_PER_HOUR: Type.Integer({
    minimum: 1,
    default: 20,
    description: 'mail-sending calls per IP per hour',
  }),
  RATE_IDP_CHECK_PER_MIN: Type.Integer({
    minimum: 1,
    default: 10,
    description: 'check_idp (the IdP checker page) per IP per minute: each may fetch up to 7 documents',
  }),
  IDP_OFFLINE_GRACE_MS: Type.Integer({
    minimum: 0,
    default: 432_000_000,
    description: 'how long address_info answers `offline` for a primary IdP that stopped answering',
  }),
  DISABLE_PRIMARY_SUPPORT: Type.Boolean({
    default: false,
    description: 'treat every domain as secondary (Persona: disable_primary_support)',
  }),
  KPI_SAMPLE_RATE: Type.Number({
    minimum: 0,
    maximum: 1,
    default: 0,
    description:
      "session_context data_sample_rate: share of dialogs that post interaction_data (Persona's kpi.backend_sample_rate)",
  }),
})

export type ReaderConfig = ReturnType<typeof CONFIG.load>

/** @throws {ConfigError} one line naming the bad variable */
export function loadReaderConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): ReaderConfig {
  return CONFIG.load(env)
}
