// SPDX-License-Identifier: MPL-2.0
// Interaction data (KPIs) of the sign-in dialog (re-implements the idea of Persona's
// common/js/modules/interaction_data.js and models/interaction_data.js, simplified): a dialog session
// is sampled with session_context's data_sample_rate (0 by default: nothing is kept or sent); a sampled
// session records coarse events (screen names, time since the dialog opened) in localStorage, and the
// next dialog posts the finished sessions to interaction_data, keeping only whitelisted fields.

export const KPI_KEY = 'persona.kpi'
const TEN_MINUTES_MS = 10 * 60 * 1000
/** What leaves the browser; anything else stored (e.g. the local start time) stays here. */
const WHITELIST = [
  'event_stream',
  'lang',
  'screen_size',
  'sample_rate',
  'timestamp',
  'number_emails',
  'new_account',
  'email_type',
  'rp_api',
] as const
/** A runaway session stops recording here. */
const MAX_EVENTS = 200

export interface KpiStore {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

type Session = Record<string, unknown>

interface Saved {
  readonly sessions: Session[]
}

function load(store: KpiStore): Saved {
  try {
    const v: unknown = JSON.parse(store.getItem(KPI_KEY) ?? '{}')
    const sessions: unknown = typeof v === 'object' && v !== null ? Reflect.get(v, 'sessions') : undefined
    if (!Array.isArray(sessions)) return { sessions: [] }
    return {
      sessions: sessions.filter(
        (s): s is Session => typeof s === 'object' && s !== null && !Array.isArray(s),
      ),
    }
  } catch {
    return { sessions: [] }
  }
}

/** Only whitelisted fields of each stored session, ready for interaction_data's `data`. */
export function scrub(sessions: readonly Session[]): Session[] {
  return sessions.map((s) => {
    const out: Session = {}
    for (const k of WHITELIST) if (k in s) out[k] = s[k]
    return out
  })
}

export class Kpis {
  readonly #store: KpiStore
  readonly #startMs: number
  readonly #now: () => number
  #session: Session | undefined

  constructor(store: KpiStore, now: () => number = Date.now) {
    this.#store = store
    this.#now = now
    this.#startMs = now()
  }

  /** The finished sessions' data, removed from storage (the caller posts it). */
  takeFinished(): Session[] {
    const { sessions } = load(this.#store)
    this.#store.removeItem(KPI_KEY)
    return scrub(sessions)
  }

  /**
   * Decides whether this dialog session is sampled (`random() < rate`, so 0 never samples) and, if
   * so, starts recording. The server time is rounded down to 10 minutes, as Persona promised users.
   */
  begin(rate: number, serverTime: number, info: Session = {}, random: () => number = Math.random): boolean {
    if (!(rate > 0) || !(random() < rate)) return false
    this.#session = {
      ...info,
      event_stream: [],
      sample_rate: rate,
      timestamp: Math.floor(serverTime / TEN_MINUTES_MS) * TEN_MINUTES_MS,
      new_account: false,
    }
    this.#save()
    return true
  }

  get sampling(): boolean {
    return this.#session !== undefined
  }

  /** Adds `[name, ms since the dialog opened]` to a sampled session. */
  event(name: string): void {
    const s = this.#session
    if (!s) return
    const events = s.event_stream
    if (!Array.isArray(events) || events.length >= MAX_EVENTS) return
    events.push([name, Math.max(0, this.#now() - this.#startMs)])
    this.#save()
  }

  set(key: (typeof WHITELIST)[number], value: unknown): void {
    if (!this.#session) return
    this.#session[key] = value
    this.#save()
  }

  /** Stores the current session beside earlier unsent ones (it is sent by the next dialog). */
  #save(): void {
    const s = this.#session
    if (!s) return
    const { sessions } = load(this.#store)
    const others = sessions.filter((x) => x.__id !== this.#startMs)
    try {
      this.#store.setItem(KPI_KEY, JSON.stringify({ sessions: [...others, { ...s, __id: this.#startMs }] }))
    } catch {
      // storage full or off: KPIs are best effort
    }
  }
}
