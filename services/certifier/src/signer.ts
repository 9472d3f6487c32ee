// SPDX-License-Identifier: MPL-2.0
// The certifier's signing key, loaded once from CERTIFIER_PRIVATE_KEY_FILE, behind a small interface so
// the route does not care how certificates are made (@persona/browserid does the JWS work).
import { readFile, stat } from 'node:fs/promises'
import {
  BrowserIdError,
  loadPublicKey,
  loadSecretKey,
  type SecretKey,
  signCertificateAsync,
} from '@persona/browserid'

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

/** User-key algorithms we refuse to certify. DS128 (1024-bit DSA) stays: it was Persona's default. */
const WEAK_ALGORITHMS: ReadonlySet<string> = new Set(['RS64'])

export interface Signer {
  sign(req: CertRequest): Promise<string>
  /** Resolves when the key can sign (deep heartbeat). */
  selfTest(): Promise<void>
}

export function signerFor(secretKey: SecretKey): Signer {
  return {
    async sign(r) {
      const publicKey = loadPublicKey(r.publicKey)
      // A 512-bit RSA key can be factored within a certificate's lifetime: never vouch for one.
      if (WEAK_ALGORITHMS.has(publicKey.algorithm)) {
        throw new BrowserIdError('ERR_BAD_KEY', `public key too weak (${publicKey.algorithm})`)
      }
      // On libuv's thread pool: every core signs, and the event loop stays free for the next request.
      return signCertificateAsync(
        { issuer: r.issuer, publicKey, email: r.email, iat: r.iat, exp: r.exp, unverified: r.unverified },
        secretKey,
      )
    },
    async selfTest() {
      if (secretKey.publicKey === undefined) throw new Error('no signing key')
    },
  }
}

/**
 * Loads the key file, refusing one that anyone outside its owner and group may read, or that its group
 * may change. Group read is allowed: Kubernetes mounts secrets root-owned, readable by the pod's
 * fsGroup (mode 0440), which is how a non-root certifier reads its key there.
 */
export async function loadSigner(path: string): Promise<Signer> {
  const st = await stat(path)
  if ((st.mode & 0o027) !== 0) {
    throw new Error(`${path} must not be readable by others or writable by its group (chmod 600 or 440)`)
  }
  return signerFor(loadSecretKey(await readFile(path, 'utf8')))
}
