// SPDX-License-Identifier: MPL-2.0
// What the communication iframe can know, embedded in a relying site on another site: browsers
// partition third-party storage and may block third-party cookies. The Storage Access API
// (document.hasStorageAccess / requestStorageAccess) says whether Persona's cookies reach the frame and,
// where the browser offers it (Chromium's storage-access handle), opens Persona's first-party records.
// Pure over an injected document and Storage, so node:test exercises every branch.
import { FIRST_PARTY_KEY, isRecordArea, type RecordArea } from './storage.ts'

/** The parts of Document this needs (absent where the browser has no Storage Access API). */
export interface AccessDocument {
  readonly hasStorageAccess?: () => Promise<boolean>
  readonly requestStorageAccess?: (types?: Record<string, boolean>) => Promise<unknown>
}

export interface Access {
  /** Persona's own cookies reach this frame: the session check's answer is the truth. */
  readonly cookies: boolean
  /** Persona's first-party records, when this frame can read them; undefined: only a partition. */
  readonly records: RecordArea | undefined
  /** The browser has the Storage Access API: a gesture in this frame can ask for access. */
  readonly canAsk: boolean
}

/** The first-party area a grant handed over, if the handle carries one (Chromium). */
function handleStorage(handle: unknown): RecordArea | undefined {
  if (typeof handle !== 'object' || handle === null) return undefined
  const area: unknown = Reflect.get(handle, 'localStorage')
  return isRecordArea(area) ? area : undefined
}

/** `area` if a top-level Persona page wrote it (first-party), else undefined (a partition). */
function firstParty(area: RecordArea | undefined): RecordArea | undefined {
  try {
    return area?.getItem(FIRST_PARTY_KEY) === '1' ? area : undefined
  } catch {
    return undefined
  }
}

/**
 * Asks for cookies and localStorage. Browsers with only cookie access ignore the argument; browsers
 * that grant silently (cookies already allowed, or granted before) resolve without a gesture.
 */
async function request(doc: AccessDocument, local: RecordArea): Promise<Access | undefined> {
  if (typeof doc.requestStorageAccess !== 'function') return undefined
  try {
    const handle = await doc.requestStorageAccess({ cookies: true, localStorage: true })
    // Without a handle (Firefox, Safari) our own localStorage may or may not have been unpartitioned by
    // the grant; and Chromium's handle, granted without a gesture, can open an empty area. The
    // first-party mark tells in both cases.
    return { cookies: true, records: firstParty(handleStorage(handle)) ?? firstParty(local), canAsk: true }
  } catch {
    return undefined
  }
}

/** What this frame can reach now, asking nobody (no gesture, no prompt). */
export async function probeAccess(doc: AccessDocument, local: RecordArea): Promise<Access> {
  if (typeof doc.hasStorageAccess !== 'function' || typeof doc.requestStorageAccess !== 'function') {
    // A browser without the API predates storage partitioning: what we see is first-party.
    return { cookies: true, records: local, canAsk: false }
  }
  const granted = await request(doc, local)
  if (granted) return granted
  let cookies = false
  try {
    cookies = await doc.hasStorageAccess()
  } catch {
    cookies = false
  }
  return { cookies, records: cookies ? firstParty(local) : undefined, canAsk: true }
}

/** Asks the browser for access; call it from the user's click in this frame. Undefined if refused. */
export function requestAccess(doc: AccessDocument, local: RecordArea): Promise<Access | undefined> {
  return request(doc, local)
}
