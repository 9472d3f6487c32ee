// SPDX-License-Identifier: MPL-2.0
// The hidden communication iframe that include.js embeds (re-implements Persona's
// communication_iframe/start.js): tells the relying site `login` (with a fresh assertion), `logout`
// or `match` so its idea of who is signed in follows Persona's session and this browser's records.
import { buildChannel } from '../lib/channel.ts'
import { clearSiteEmail, EMAILS_KEY, getSiteEmail, SITES_KEY } from '../lib/storage.ts'
import { getAssertion } from '../lib/user.ts'
import { Wsapi } from '../lib/wsapi.ts'

const api = new Wsapi()
// The relying site is our parent; its origin is fixed by the first message it sends.
const chan = buildChannel({ window: window.parent, origin: '*', scope: 'mozid_ni' })

/** undefined: the site said nothing; null: the site believes nobody is signed in. */
let loggedInUser: string | null | undefined
let paused = false
let watching = false
let checking: Promise<void> | undefined

function siteOrigin(): string | undefined {
  return chan.origin()
}

function emitLogout(): void {
  if (loggedInUser !== null) chan.notify('logout')
  loggedInUser = null
}

async function checkAndEmit(): Promise<void> {
  const origin = siteOrigin()
  if (paused || !origin) return
  let ctx: Awaited<ReturnType<Wsapi['sessionContext']>>
  try {
    ctx = await api.sessionContext(true)
  } catch {
    emitLogout()
    return
  }
  if (!ctx.authenticated) {
    clearSiteEmail(origin)
    emitLogout()
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
