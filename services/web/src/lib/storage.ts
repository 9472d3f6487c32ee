// SPDX-License-Identifier: MPL-2.0
// What the browser remembers on Persona's origin (re-implements common/js/storage.js, simplified):
// per address its key pair and certificate, and per relying site the address signed in there.
import type { StoredKeyPair } from './keys.ts'

export const EMAILS_KEY = 'persona.emails'
export const SITES_KEY = 'persona.sites'

export interface StoredEmail {
  readonly type: 'primary' | 'secondary'
  readonly keys?: StoredKeyPair
  readonly cert?: string
}

function read(key: string): Record<string, unknown> {
  try {
    const raw = localStorage.getItem(key)
    const v: unknown = raw ? JSON.parse(raw) : {}
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? { ...v } : {}
  } catch {
    return {}
  }
}

function write(key: string, value: Record<string, unknown>): void {
  localStorage.setItem(key, JSON.stringify(value))
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
  localStorage.removeItem(EMAILS_KEY)
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
  localStorage.removeItem(SITES_KEY)
}
