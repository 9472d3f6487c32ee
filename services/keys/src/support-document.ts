// SPDX-License-Identifier: MPL-2.0
// Our own /.well-known/browserid, built in one place for the reader (which serves it) and the verifier
// (which trusts our certificates through it): the current key, the next one during a rotation (published
// before anything is signed with it), and our sign-in and provisioning pages.
import type { PublicKeyJSON } from '@persona/browserid'
import type { PublicRing } from './ring.ts'

export interface OwnSupportDocument {
  readonly 'public-key': PublicKeyJSON
  readonly 'next-public-key'?: PublicKeyJSON
  readonly authentication: string
  readonly provisioning: string
}

/** Our pages, relative to our origin (Persona's were /sign_in and /provision). */
export const OWN_AUTHENTICATION_PATH = '/sign_in'
export const OWN_PROVISIONING_PATH = '/provision'

export function ownSupportDocument(ring: PublicRing): OwnSupportDocument {
  return {
    'public-key': ring.current.toJSON(),
    ...(ring.next === undefined ? {} : { 'next-public-key': ring.next.toJSON() }),
    authentication: OWN_AUTHENTICATION_PATH,
    provisioning: OWN_PROVISIONING_PATH,
  }
}
