// SPDX-License-Identifier: MPL-2.0
// What the browser remembers on Persona's origin (re-implements common/js/storage.js, simplified):
// per address its key pair and certificate, and per relying site the address signed in there. The
// records live in this origin's localStorage, or, in a frame under partitioned storage, in the
// first-party area a storage-access grant opened (useStorageArea).
import type { StoredKeyPair } from './keys.ts'

export const EMAILS_KEY = 'persona.emails'
export const SITES_KEY = 'persona.sites'
/**
 * Set by every write from a top-level Persona page (dialog, account manager): an area holding it is
 * the first-party one, not a relying site's partition that only the communication iframe ever saw.
 */
export const FIRST_PARTY_KEY = 'persona.firstParty'

export interface StoredEmail {
  readonly type: 'primary' | 'secondary'
  readonly keys?: StoredKeyPair
  readonly cert?: string
}

/** What the records need of a Storage (localStorage, or the one a storage-access handle carries). */
export type RecordArea = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>

export function isRecordArea(v: unknown): v is RecordArea {
  if (typeof v !== 'object' || v === null) return false
  return ['getItem', 'setItem', 'removeItem'].every((m) => typeof Reflect.get(v, m) === 'function')
}

let area: RecordArea | undefined

/** Keeps Persona's records in `store` from now on (the communication iframe's granted area). */
export function useStorageArea(store: RecordArea): void {
  area = store
}

/** Where Persona's records are kept: the area given to useStorageArea, else localStorage. */
export function storageArea(): RecordArea {
  return area ?? localStorage
}

function read(key: string): Record<string, unknown> {
  try {
    const raw = storageArea().getItem(key)
    const v: unknown = raw ? JSON.parse(raw) : {}
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? { ...v } : {}
  } catch {
    return {}
  }
}

function write(key: string, value: Record<string, unknown>): void {
  const store = storageArea()
  store.setItem(key, JSON.stringify(value))
  if (window.top === window) store.setItem(FIRST_PARTY_KEY, '1')
}

function isStoredEmail(v: unknown): v is StoredEmail {
  return (
    typeof v === 'object' && v !== null && 'type' in v && (v.type === 'primary' || v.type === 'secondary')
  )
}

export function getEmail(email: string): StoredEmail | undefined {
  const v = read(EMAILS_KEY)[email]
  return isStoredEmail(v) ? v : undefined
}

export function setEmail(email: string, info: StoredEmail): void {
  const all = read(EMAILS_KEY)
  all[email] = info
  write(EMAILS_KEY, all)
}

export function removeEmail(email: string): void {
  const all = read(EMAILS_KEY)
  delete all[email]
  write(EMAILS_KEY, all)
}

/** Drops every stored key and certificate (sign-out, or a session that no longer exists). */
export function clearEmails(): void {
  storageArea().removeItem(EMAILS_KEY)
}

/** Keeps only the addresses the server still lists for the user. */
export function syncEmails(serverEmails: readonly string[]): void {
  const all = read(EMAILS_KEY)
  const keep = new Set(serverEmails)
  for (const e of Object.keys(all)) if (!keep.has(e)) delete all[e]
  write(EMAILS_KEY, all)
}

/** The address the user last signed in to `origin` with, if still signed in there. */
export function getSiteEmail(origin: string): string | undefined {
  const v = read(SITES_KEY)[origin]
  return typeof v === 'string' ? v : undefined
}

export function setSiteEmail(origin: string, email: string): void {
  const all = read(SITES_KEY)
  all[origin] = email
  write(SITES_KEY, all)
}

export function clearSiteEmail(origin: string): void {
  const all = read(SITES_KEY)
  delete all[origin]
  write(SITES_KEY, all)
}

export function clearAllSites(): void {
  storageArea().removeItem(SITES_KEY)
}
