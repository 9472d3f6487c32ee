// SPDX-License-Identifier: MPL-2.0
// "Is this your computer?" memory (re-implements the usersComputer part of Persona's
// common/js/storage.js, simplified): per user id, whether they said this computer is theirs
// ('confirmed': long session and certificates) or not ('denied': asked again after a day).
// Pure over an injected Storage so node:test can exercise it.

export const USERS_COMPUTER_KEY = 'persona.usersComputer'
/** A "no" is forgotten after a day, as Persona did, so the question comes back. */
export const DENIED_FOR_MS = 24 * 60 * 60 * 1000

type Answer = 'confirmed' | 'denied'

interface Entry {
  readonly state: Answer
  readonly at: number
  readonly emails: readonly string[]
}

export interface KeyValueStore {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
}

function readAll(store: KeyValueStore): Record<string, Entry> {
  const out: Record<string, Entry> = {}
  try {
    const v: unknown = JSON.parse(store.getItem(USERS_COMPUTER_KEY) ?? '{}')
    if (typeof v !== 'object' || v === null) return out
    for (const [k, e] of Object.entries(v)) {
      if (typeof e !== 'object' || e === null) continue
      const state: unknown = Reflect.get(e, 'state')
      const at: unknown = Reflect.get(e, 'at')
      const emails: unknown = Reflect.get(e, 'emails')
      if ((state !== 'confirmed' && state !== 'denied') || typeof at !== 'number') continue
      out[k] = {
        state,
        at,
        emails: Array.isArray(emails) ? emails.filter((x): x is string => typeof x === 'string') : [],
      }
    }
  } catch {
    // unreadable: behave as if nothing was ever answered
  }
  return out
}

function current(store: KeyValueStore, userid: number, now: number): Entry | undefined {
  const e = readAll(store)[String(userid)]
  if (!e) return undefined
  if (e.state === 'denied' && now - e.at > DENIED_FOR_MS) return undefined
  return e
}

/** Records the user's answer (and the address they answered for, so sign-in can look it up). */
export function setOwnership(
  store: KeyValueStore,
  userid: number,
  owns: boolean,
  email: string,
  now: number,
): void {
  const all = readAll(store)
  const prev = all[String(userid)]
  const emails = new Set(prev?.emails ?? [])
  emails.add(email.toLowerCase())
  all[String(userid)] = { state: owns ? 'confirmed' : 'denied', at: now, emails: [...emails] }
  store.setItem(USERS_COMPUTER_KEY, JSON.stringify(all))
}

/** Whether to ask after this user signed in here (never answered, or a "no" older than a day). */
export function shouldAsk(store: KeyValueStore, userid: number | undefined, now: number): boolean {
  return userid !== undefined && current(store, userid, now) === undefined
}

/** Whether the user said this computer is theirs; anything else means short-lived (ephemeral). */
export function isConfirmed(store: KeyValueStore, userid: number | undefined, now: number): boolean {
  return userid !== undefined && current(store, userid, now)?.state === 'confirmed'
}

/** The same before signing in, when only the address is known (authenticate_user's `ephemeral`). */
export function isConfirmedEmail(store: KeyValueStore, email: string): boolean {
  const want = email.toLowerCase()
  return Object.values(readAll(store)).some((e) => e.state === 'confirmed' && e.emails.includes(want))
}
