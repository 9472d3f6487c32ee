// SPDX-License-Identifier: MPL-2.0
// Our own fallback IdP as the reader presents it: the certifier's public keys (read at start, re-read
// when the file changes during a key rotation), when the current key was made, our domain and issuer,
// and our support document (built once per key ring, by @persona/keys).
import type { PublicKeyJSON } from '@persona/browserid'
import { type OwnSupportDocument, openPublicKeys, ownSupportDocument, type PublicRing } from '@persona/keys'

export interface OwnIdentity {
  readonly publicKey: PublicKeyJSON
  /** When the current key file was written (ms; session_context's domain_key_creation_time). */
  readonly keyCreatedAt: number
  /** The key ring now (current, next, previous). */
  readonly ring: PublicRing
  /** Host (and port) of PUBLIC_URL: the issuer of our certificates. */
  readonly issuer: string
  /** Hostname of PUBLIC_URL: our domain, as support documents and delegation name it. */
  readonly domain: string
  /** Our public origin, without a trailing slash. */
  readonly origin: string
  /** What /.well-known/browserid serves. */
  readonly supportDocument: OwnSupportDocument
  close(): void
}

/** Opens the public key file (re-read on change) and derives the rest from our public URL. */
export async function loadOwnIdentity(publicKeyFile: string, publicUrl: string): Promise<OwnIdentity> {
  const keys = await openPublicKeys(publicKeyFile)
  const url = new URL(publicUrl)
  let memo: { ring: PublicRing; doc: OwnSupportDocument } | undefined
  const doc = () => {
    if (memo?.ring !== keys.ring) memo = { ring: keys.ring, doc: ownSupportDocument(keys.ring) }
    return memo.doc
  }
  return {
    get publicKey() {
      return doc()['public-key']
    },
    get keyCreatedAt() {
      return Math.floor(keys.mtimeMs)
    },
    get ring() {
      return keys.ring
    },
    issuer: url.host,
    domain: url.hostname,
    origin: url.origin,
    get supportDocument() {
      return doc()
    },
    close: () => keys.close(),
  }
}
