// SPDX-License-Identifier: MPL-2.0
// The account manager's trip through a primary IdP's sign-in page (Persona's main site did the same
// through its own pages): the IdP's completeAuthentication always lands on /sign_in#AUTH_RETURN, so
// the account manager leaves a note in this tab's sessionStorage that sends that landing back to `/`.

export const MANAGE_RETURN_KEY = 'persona.manageReturn'

export interface ManageReturn {
  readonly email: string
  readonly auth: string
  readonly prov: string
  readonly issuer: string
}

export interface SessionStore {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

export function saveManageReturn(store: SessionStore, flow: ManageReturn): void {
  store.setItem(MANAGE_RETURN_KEY, JSON.stringify(flow))
}

/** Whether a landing on /sign_in#AUTH_RETURN belongs to the account manager (the note is kept). */
export function isManageReturn(store: SessionStore, hash: string): boolean {
  return hash.startsWith('#AUTH_RETURN') && store.getItem(MANAGE_RETURN_KEY) !== null
}

/** Reads and forgets the note; undefined when absent or not well formed. */
export function takeManageReturn(store: SessionStore): ManageReturn | undefined {
  const raw = store.getItem(MANAGE_RETURN_KEY)
  store.removeItem(MANAGE_RETURN_KEY)
  if (!raw) return undefined
  try {
    const v: unknown = JSON.parse(raw)
    if (typeof v !== 'object' || v === null) return undefined
    const email: unknown = Reflect.get(v, 'email')
    const auth: unknown = Reflect.get(v, 'auth')
    const prov: unknown = Reflect.get(v, 'prov')
    const issuer: unknown = Reflect.get(v, 'issuer')
    if (typeof email !== 'string' || typeof auth !== 'string' || typeof prov !== 'string') return undefined
    return { email, auth, prov, issuer: typeof issuer === 'string' ? issuer : new URL(prov).host }
  } catch {
    return undefined
  }
}
