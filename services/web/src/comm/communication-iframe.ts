// SPDX-License-Identifier: MPL-2.0
// The hidden communication iframe that include.js embeds (re-implements Persona's
// communication_iframe/start.js): tells the relying site `login` (with a fresh assertion), `logout`
// or `match` so its idea of who is signed in follows Persona's session and this browser's records.
//
// Embedded in a site on another site, the frame may see neither Persona's cookies nor its first-party
// records (partitioned storage, blocked third-party cookies). What it cannot know it never claims: only
// a session check that Persona's cookies reached can end the site's session; otherwise the site keeps
// its state. Where the browser has the Storage Access API, the user allows access once (a click in this
// frame, offered after a sign-in) and the frame checks silently from then on. Persona's records for
// this site are the first-party ones where the browser opens them, else the ones the dialog handed
// this frame after each sign-in, kept in this site's own partition.
import { buildChannel } from '../lib/channel.ts'
import { readHandoff } from '../lib/site-handoff.ts'
import {
  clearSiteEmail,
  EMAILS_KEY,
  getSiteEmail,
  SITES_KEY,
  setEmail,
  setSiteEmail,
  useStorageArea,
} from '../lib/storage.ts'
import { type Access, probeAccess, requestAccess } from '../lib/storage-access.ts'
import { getAssertion } from '../lib/user.ts'
import { Wsapi } from '../lib/wsapi.ts'
import { showAccessPrompt } from './access-prompt.ts'

const api = new Wsapi()
// The relying site is our parent; its origin is fixed by the first message it sends.
const chan = buildChannel({ window: window.parent, origin: '*', scope: 'mozid_ni' })
/** In this site's own partition: when the user was last asked to allow access here. */
const ASKED_KEY = 'persona.storageAccessAsked'
/** A "not now" is respected this long before the question may come back after a sign-in. */
const ASK_AGAIN_MS = 30 * 24 * 60 * 60 * 1000

/** undefined: the site said nothing; null: the site believes nobody is signed in. */
let loggedInUser: string | null | undefined
let paused = false
let watching = false
let checking: Promise<void> | undefined
let access: Access | undefined

function siteOrigin(): string | undefined {
  return chan.origin()
}

function emitLogout(): void {
  if (loggedInUser !== null) chan.notify('logout')
  loggedInUser = null
}

function useAccess(a: Access): Access {
  access = a
  if (a.records) useStorageArea(a.records)
  return a
}

/** Whether Persona's records say anything about this site (first-party, or handed over before). */
function knowsSite(a: Access, origin: string): boolean {
  return a.records !== undefined || getSiteEmail(origin) !== undefined
}

/** Asked again while the cookies are out of reach: a grant may have come meanwhile (FedCM's, say). */
async function currentAccess(): Promise<Access> {
  if (access?.cookies) return access
  return useAccess(await probeAccess(document, localStorage))
}

/**
 * Without Persona's own records for this site (a partition), the account's addresses are what we can
 * know: the site's user is either one of them (match) or not the person signed in to Persona.
 */
async function checkWithoutRecords(): Promise<void> {
  if (typeof loggedInUser !== 'string') return
  let owned: string[]
  try {
    owned = await api.listEmails()
  } catch {
    return // cannot know
  }
  if (owned.includes(loggedInUser)) chan.notify('match')
  else emitLogout()
}

async function checkAndEmit(): Promise<void> {
  const origin = siteOrigin()
  if (paused || !origin) return
  const a = await currentAccess()
  // Persona's cookies do not reach us: an unauthenticated answer would mean nothing. Say nothing.
  if (!a.cookies) return
  let ctx: Awaited<ReturnType<Wsapi['sessionContext']>>
  try {
    ctx = await api.sessionContext(true)
  } catch {
    return // Persona unreachable: cannot know
  }
  if (!ctx.authenticated) {
    clearSiteEmail(origin)
    emitLogout()
    return
  }
  if (!knowsSite(a, origin)) {
    await checkWithoutRecords()
    return
  }
  const email = getSiteEmail(origin)
  if (!email) {
    emitLogout()
    return
  }
  if (email === loggedInUser) {
    chan.notify('match')
    return
  }
  try {
    const owned = await api.listEmails()
    if (!owned.includes(email)) throw new Error('address no longer on the account')
    const assertion = await getAssertion(api, email, origin)
    chan.notify('login', assertion)
    loggedInUser = email
  } catch {
    // No assertion without the user (expired cert and a weaker session): the site signs out.
    clearSiteEmail(origin)
    emitLogout()
  }
}

/** Runs checks one at a time; a check asked for during one runs after it. */
function check(): Promise<void> {
  const run = (checking ?? Promise.resolve()).then(checkAndEmit)
  checking = run.finally(() => {
    if (checking === run) checking = undefined
  })
  return run
}

function askedRecently(now: number): boolean {
  try {
    const at = Number(localStorage.getItem(ASKED_KEY))
    return Number.isFinite(at) && at > 0 && now - at < ASK_AGAIN_MS
  } catch {
    return true // nowhere to remember an answer: never nag
  }
}

function rememberAsked(now: number): void {
  try {
    localStorage.setItem(ASKED_KEY, String(now))
  } catch {
    // best effort
  }
}

// After a sign-in in the dialog: which address this site now has, with its key and certificate.
window.addEventListener('message', (ev) => {
  const origin = siteOrigin()
  const record = origin === undefined ? undefined : readHandoff(ev, location.origin, origin)
  if (!record) return
  setSiteEmail(record.origin, record.email)
  if (record.info) setEmail(record.email, record.info)
})

chan.bind('loggedInUser', (email) => {
  loggedInUser = typeof email === 'string' ? email : null
})

chan.bind('loaded', async () => {
  await check()
  if (!watching) {
    watching = true
    // Another Persona window (dialog, account page) changed who is signed in where.
    window.addEventListener('storage', (ev) => {
      if (ev.key === SITES_KEY || ev.key === EMAILS_KEY || ev.key === null) void check()
    })
  }
  const a = await currentAccess()
  return { access: a.cookies ? (a.records ? 'full' : 'cookies') : 'none', canAsk: a.canAsk }
})

/**
 * After a sign-in through the dialog: if the browser keeps Persona's cookies from this frame and could
 * let them through, show the question (include.js makes the frame visible when we answer true).
 */
chan.bind('offer_storage_access', async () => {
  const a = await currentAccess()
  const origin = siteOrigin()
  const now = Date.now()
  if (a.cookies || !a.canAsk || !origin || askedRecently(now)) return false
  rememberAsked(now)
  showAccessPrompt(new URL(origin).host, {
    allow: async () => {
      const granted = await requestAccess(document, localStorage)
      if (!granted) return false
      useAccess(granted)
      return true
    },
    done: (granted) => {
      chan.notify('storage_access', { granted })
      if (granted) void check()
    },
  })
  return true
})

chan.bind('logout', () => {
  const origin = siteOrigin()
  if (!origin) return
  if (loggedInUser !== null) {
    clearSiteEmail(origin)
    loggedInUser = null
    chan.notify('logout')
  }
})

chan.bind('dialog_running', () => {
  paused = true
})

chan.bind('dialog_complete', (checkAuthStatus) => {
  paused = false
  if (checkAuthStatus === true) void check()
})
