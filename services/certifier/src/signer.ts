// SPDX-License-Identifier: MPL-2.0
// The certifier's signing key, loaded once from CERTIFIER_PRIVATE_KEY_FILE, behind a small interface so
// the route does not care how certificates are made (@persona/browserid does the JWS work).
import { readFile, stat } from 'node:fs/promises'
import { loadPublicKey, loadSecretKey, type SecretKey, signCertificate } from '@persona/browserid'

export interface CertRequest {
  readonly issuer: string
  /** The user's BrowserID public key (JSON object). */
  readonly publicKey: unknown
  readonly email: string
  readonly unverified: boolean
  /** ms since epoch */
  readonly iat: number
  readonly exp: number
}

export interface Signer {
  sign(req: CertRequest): Promise<string>
  /** Resolves when the key can sign (deep heartbeat). */
  selfTest(): Promise<void>
}

export function signerFor(secretKey: SecretKey): Signer {
  return {
    async sign(r) {
      const publicKey = loadPublicKey(r.publicKey)
      return signCertificate(
        { issuer: r.issuer, publicKey, email: r.email, iat: r.iat, exp: r.exp, unverified: r.unverified },
        secretKey,
      )
    },
    async selfTest() {
      if (secretKey.publicKey === undefined) throw new Error('no signing key')
    },
  }
}

/** Loads the key file, refusing one that others may read. */
export async function loadSigner(path: string): Promise<Signer> {
  const st = await stat(path)
  if ((st.mode & 0o077) !== 0) throw new Error(`${path} must not be readable by group or others (chmod 600)`)
  return signerFor(loadSecretKey(await readFile(path, 'utf8')))
}
