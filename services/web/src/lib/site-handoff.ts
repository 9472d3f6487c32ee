// SPDX-License-Identifier: MPL-2.0
// The dialog's word to the communication iframe after a sign-in: "this site now uses this address,
// with this key and certificate". Under partitioned storage the iframe cannot read what the dialog
// wrote on Persona's first-party side; the dialog posts it to the frames of the site that opened it,
// addressed to Persona's own origin, so only Persona's frames receive it, and the iframe accepts it
// only from Persona's origin and only for the site it is embedded in. Pure checks for node:test.
import type { StoredKeyPair } from './keys.ts'
import type { StoredEmail } from './storage.ts'

export interface SiteRecord {
  /** The relying site the address was chosen for. */
  readonly origin: string
  readonly email: string
  /** The address's key pair and certificate, when the dialog has them. */
  readonly info?: StoredEmail
}

/** What a MessageEvent carries that matters here. */
export interface HandoffEvent {
  readonly origin: string
  readonly data: unknown
}

const TYPE = 'site_record'

/** A window that holds frames (the site that opened the dialog), as far as we need it. */
export interface FramesHolder {
  readonly frames: ArrayLike<{ postMessage(message: unknown, targetOrigin: string): void }>
}

/** Posts the record to every frame of `site` whose document is on `personaOrigin` (and no other). */
export function handOff(site: FramesHolder, personaOrigin: string, record: SiteRecord): void {
  const message = { persona: TYPE, ...record }
  for (let i = 0; i < site.frames.length; i++) {
    try {
      site.frames[i]?.postMessage(message, personaOrigin)
    } catch {
      // a frame gone meanwhile
    }
  }
}

function isKeyPair(v: unknown): v is StoredKeyPair {
  if (typeof v !== 'object' || v === null) return false
  const pub: unknown = Reflect.get(v, 'publicJwk')
  const priv: unknown = Reflect.get(v, 'privateJwk')
  return typeof pub === 'object' && pub !== null && typeof priv === 'object' && priv !== null
}

function readInfo(v: unknown): StoredEmail | undefined {
  if (typeof v !== 'object' || v === null) return undefined
  const type: unknown = Reflect.get(v, 'type')
  const cert: unknown = Reflect.get(v, 'cert')
  const keys: unknown = Reflect.get(v, 'keys')
  if (type !== 'primary' && type !== 'secondary') return undefined
  if (typeof cert !== 'string' || cert.split('.').length !== 3 || !isKeyPair(keys)) return { type }
  return { type, cert, keys }
}

/**
 * The record in `ev`, if Persona's own origin sent it for `siteOrigin` (the site this frame is in);
 * undefined for anything else.
 */
export function readHandoff(
  ev: HandoffEvent,
  personaOrigin: string,
  siteOrigin: string,
): SiteRecord | undefined {
  if (ev.origin !== personaOrigin) return undefined
  const m = ev.data
  if (typeof m !== 'object' || m === null || Reflect.get(m, 'persona') !== TYPE) return undefined
  const origin: unknown = Reflect.get(m, 'origin')
  const email: unknown = Reflect.get(m, 'email')
  if (origin !== siteOrigin || typeof email !== 'string' || email === '' || email.length > 254)
    return undefined
  const info = readInfo(Reflect.get(m, 'info'))
  return info === undefined ? { origin, email } : { origin, email, info }
}
