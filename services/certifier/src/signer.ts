// SPDX-License-Identifier: MPL-2.0
// The certifier's signing key, from CERTIFIER_PRIVATE_KEY_FILE (a key ring, re-read when it changes, so
// a promoted key is used without a restart), behind a small interface so the route does not care how
// certificates are made (@persona/browserid does the JWS work).
import { BrowserIdError, loadPublicKey, type SecretKey, signCertificateAsync } from '@persona/browserid'
import { type KeyStore, openSecretKeys, type SecretRing } from '@persona/keys'

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

/** A signer with one fixed key (tests), or the current key of a ring as it is now. */
export function signerFor(secretKey: SecretKey | (() => SecretKey)): Signer {
  const key = typeof secretKey === 'function' ? secretKey : () => secretKey
  return {
    async sign(r) {
      const secretKey = key()
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
      if (key().publicKey === undefined) throw new Error('no signing key')
    },
  }
}

/**
 * Opens the key file, refusing one that anyone outside its owner and group may read, or that its group
 * may change. Group read is allowed: Kubernetes mounts secrets root-owned, readable by the pod's
 * fsGroup (mode 0440), which is how a non-root certifier reads its key there. Later changes to the file
 * (a rotation) are picked up within seconds; a bad change is reported and the old key kept.
 */
export async function loadSigner(
  path: string,
  log: { info(o: object, m: string): void; error(o: object, m: string): void } = {
    info: () => {},
    error: () => {},
  },
): Promise<Signer & { readonly keys: KeyStore<SecretRing> }> {
  const keys = await openSecretKeys(path, {
    onReload: () => log.info({ event: 'keys.reloaded' }, 'signing key ring reloaded'),
    onError: (e) => log.error({ event: 'keys.reload_failed', err: e }, 'signing key ring not reloaded'),
  })
  return { ...signerFor(() => keys.ring.current), keys }
}
