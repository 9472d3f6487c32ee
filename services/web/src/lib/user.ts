// SPDX-License-Identifier: MPL-2.0
// The user-level operations shared by the dialog, the communication iframe and the pages
// (re-implements the parts of Persona's common/js/user.js we need): certify an address, make an
// assertion for a site from a stored certificate, sign in with a primary IdP's certificate.
import { certExpiry, makeBackedAssertion } from './jws.ts'
import { generateKeyPair, serializePublicKey, signerFor } from './keys.ts'
import { provisionPrimary } from './provision.ts'
import { getEmail, type StoredEmail, setEmail, storageArea } from './storage.ts'
import { isConfirmed } from './users-computer.ts'
import { type CertOptions, isAuthRequired, type Wsapi } from './wsapi.ts'

/** A certificate this close to expiry is renewed first, so the site's verifier never sees it lapse. */
const CERT_MARGIN_MS = 5 * 60 * 1000

/** Thrown when a fresh certificate needs the user's password (session below 'password' level). */
export class NeedsPasswordError extends Error {
  constructor() {
    super('Please enter your password.')
    this.name = 'NeedsPasswordError'
  }
}

export function certIsFresh(info: StoredEmail | undefined, nowMs: number): boolean {
  return !!info?.cert && !!info.keys && certExpiry(info.cert) > nowMs + CERT_MARGIN_MS
}

/** Asks Persona's certifier for a certificate on a new key (needs a password-level session). */
export async function certifySecondary(
  api: Wsapi,
  email: string,
  ephemeral = false,
  opts: CertOptions = {},
): Promise<StoredEmail> {
  const keys = await generateKeyPair()
  let cert: string
  try {
    cert = await api.certKey(email, serializePublicKey(keys.publicJwk), ephemeral, opts)
  } catch (e) {
    if (isAuthRequired(e)) {
      throw new NeedsPasswordError()
    }
    throw e
  }
  const info: StoredEmail = { type: 'secondary', keys, cert }
  // One made for a site's experimental options is used once, never stored for other sites.
  if (opts.forceIssuer === undefined && opts.allowUnverified !== true) setEmail(email, info)
  return info
}

/** A backed assertion `cert~assertion` for `audience` from a stored key and certificate. */
export async function assertionFrom(api: Wsapi, info: StoredEmail, audience: string): Promise<string> {
  if (!info.cert || !info.keys) throw new TypeError('no certificate')
  const sign = await signerFor(info.keys.privateJwk)
  return makeBackedAssertion(info.cert, audience, api.now(), sign)
}

/**
 * An assertion for `email` at `audience`: from the stored certificate when still fresh, else by
 * certifying again (secondary: cert_key; primary: the IdP's provisioning page, silently).
 * @throws NeedsPasswordError when only the password can unlock a new certificate.
 */
export async function getAssertion(
  api: Wsapi,
  email: string,
  audience: string,
  opts: CertOptions = {},
): Promise<string> {
  const stored = getEmail(email)
  // A site's experimental options need a certificate made for them, not the stored one.
  const special = opts.forceIssuer !== undefined || opts.allowUnverified === true
  if (stored && !special && certIsFresh(stored, api.now())) return assertionFrom(api, stored, audience)
  const ctx = await api.sessionContext()
  // Not the user's own computer (or never said so): short-lived certificates only.
  const ephemeral = !isConfirmed(storageArea(), ctx.userid, Date.now())
  // Unknown here (another browser made the account): ask the server what kind of address it is.
  let prov: string | undefined
  if (stored?.type !== 'secondary' && opts.forceIssuer === undefined) {
    const info = await api.addressInfo(email)
    if (info.type === 'primary') prov = info.prov ?? ''
  }
  let fresh: StoredEmail
  if (prov !== undefined) {
    if (!prov) throw new NeedsPasswordError()
    const { keys, cert } = await provisionPrimary({ email, url: prov, ephemeral })
    fresh = { type: 'primary', keys, cert }
    setEmail(email, fresh)
  } else {
    if (ctx.auth_level !== 'password') throw new NeedsPasswordError()
    fresh = await certifySecondary(api, email, ephemeral, opts)
  }
  return assertionFrom(api, fresh, audience)
}

/** Signs in to Persona itself with a primary's certificate (auth_with_assertion, aud = Persona). */
export async function signInWithPrimary(
  api: Wsapi,
  email: string,
  info: StoredEmail,
  mode: 'signin' | 'add',
  ephemeral: boolean,
): Promise<Record<string, unknown>> {
  const assertion = await assertionFrom(api, info, location.origin)
  const r =
    mode === 'add'
      ? await api.postOk('add_email_with_assertion', { assertion })
      : await api.postOk('auth_with_assertion', { assertion, ephemeral })
  setEmail(email, info)
  api.invalidate()
  return r
}
