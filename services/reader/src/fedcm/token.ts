// SPDX-License-Identifier: MPL-2.0
// The token FedCM hands the site: a backed BrowserID assertion for its origin, made on the server (a
// fresh key, certified by the certifier for the address, signing for the audience), so the site's
// backend verifies it at /verify as it verifies the dialog's.
import { bundleAssertion, generateKeyPair, signAssertion } from '@persona/browserid'
import { certify } from '../certify.ts'
import type { ReaderServices } from '../context.ts'

/** How long a FedCM token is good for: the site's backend verifies it right away. */
const ASSERTION_LIFETIME_MS = 2 * 60 * 1000
/** DS128: a fresh key per token costs microseconds (an RSA key would cost tens of milliseconds). */
const TOKEN_KEY_ALGORITHM = 'DS128'

/** A backed assertion for `audience`: a fresh key, certified for `email`, signing for `audience`. */
export async function mintToken(
  env: Pick<ReaderServices, 'certifier' | 'cfg'>,
  now: number,
  email: string,
  audience: string,
  requestId: string,
): Promise<string> {
  const { publicKey, secretKey } = await generateKeyPair(TOKEN_KEY_ALGORITHM)
  const cert = await certify(env, {
    email,
    pubkey: JSON.stringify(publicKey.toJSON()),
    ephemeral: true,
    unverified: false,
    requestId,
  })
  const assertion = signAssertion({ audience, iat: now, exp: now + ASSERTION_LIFETIME_MS }, secretKey)
  return bundleAssertion([cert], assertion)
}
