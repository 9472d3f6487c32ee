// SPDX-License-Identifier: MPL-2.0
// The certifier's settings, from the environment (see README.md). It alone reads the private key file.
import { defineServiceConfig } from '@persona/kit'
import { Type } from 'typebox'

export const CONFIG = defineServiceConfig('certifier', {
  CERTIFIER_PRIVATE_KEY_FILE: Type.String({
    minLength: 1,
    description: 'path of the RS256 secret key (mode 0600)',
  }),
  CERTIFIER_TOKEN: Type.String({ minLength: 16, description: 'shared token the reader sends' }),
  ISSUER_DOMAIN: Type.String({
    minLength: 1,
    description: 'issuer named in certificates, e.g. login.persona.org',
  }),
  CERT_VALIDITY_MS: Type.Integer({
    minimum: 60_000,
    maximum: 86_400_000,
    default: 86_400_000,
    description: 'lifetime of a certificate for a remembered sign-in',
  }),
  EPHEMERAL_CERT_VALIDITY_MS: Type.Integer({
    minimum: 60_000,
    maximum: 86_400_000,
    default: 3_600_000,
    description: 'lifetime of a certificate for an ephemeral (shared computer) sign-in',
  }),
  FORCIBLE_ISSUERS: Type.String({ default: '', description: 'comma-separated issuers a caller may force' }),
})

export type CertifierConfig = ReturnType<typeof CONFIG.load>

/** @throws {ConfigError} one line naming the bad variable */
export function loadCertifierConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): CertifierConfig {
  return CONFIG.load(env)
}
