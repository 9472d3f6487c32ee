// SPDX-License-Identifier: MPL-2.0
// Traffic for the fault and deploy tests, as users and relying sites make it: every request looks the
// service name up through the simulation's DNS (an answer kept no longer than its TTL), so traffic
// follows DNS as clusters leave and come back. Bounded: a fixed number of workers, each pausing between
// iterations, until stop() or `maxIterations`. Counts every request by kind, and every failure with why.
import type { Dispatcher } from 'undici'
import { field, SITE, signIn, WebClient } from './web-client.ts'

export interface KindStats {
  ok: number
  failed: number
  readonly errors: string[]
}

export interface LoadStats {
  readonly byKind: Map<string, KindStats>
  readonly requests: number
  readonly failures: number
  readonly ms: number
}

export interface Account {
  readonly email: string
  readonly pass: string
}

export type Scenario = 'sign-in' | 'reads'

export interface LoadOptions {
  readonly dispatcher: Dispatcher
  readonly accounts: readonly Account[]
  /** `sign-in`: session_context, authenticate_user, cert_key, /verify; `reads`: only calls that read. */
  readonly scenario: Scenario
  readonly workers?: number
  readonly pauseMs?: number
  readonly maxIterations?: number
  /** Backed assertions made beforehand, checked by /verify in `reads`. */
  readonly assertions?: readonly { assertion: string; email: string }[]
}

export class Load {
  readonly #o: LoadOptions
  readonly #stats = new Map<string, KindStats>()
  #running = false
  #done: Promise<void> = Promise.resolve()
  #t0 = 0
  #ms = 0

  constructor(o: LoadOptions) {
    this.#o = o
  }

  #count(kind: string, ok: boolean, why?: string): void {
    let s = this.#stats.get(kind)
    if (s === undefined) {
      s = { ok: 0, failed: 0, errors: [] }
      this.#stats.set(kind, s)
    }
    if (ok) s.ok++
    else {
      s.failed++
      if (s.errors.length < 10) s.errors.push(why ?? 'failed')
    }
  }

  /** Runs `fn`, counting it under `kind`; a thrown error or a false result is a failure. */
  async #step(kind: string, fn: () => Promise<string | undefined>): Promise<boolean> {
    try {
      const bad = await fn()
      this.#count(kind, bad === undefined, bad)
      return bad === undefined
    } catch (e) {
      const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : ''
      this.#count(kind, false, `${e instanceof Error ? e.message : String(e)}${cause}`)
      return false
    }
  }

  async #iteration(i: number): Promise<void> {
    const { dispatcher, accounts } = this.#o
    const acct = accounts[i % accounts.length]
    if (acct === undefined) throw new Error('no accounts')
    const c = new WebClient(dispatcher)
    await this.#step('session_context', async () => {
      const r = await c.context()
      return r.status === 200 ? undefined : `${r.status} ${r.text.slice(0, 120)}`
    })
    if (this.#o.scenario === 'sign-in') {
      let assertion = ''
      const signedIn = await this.#step('sign-in (authenticate_user + cert_key)', async () => {
        assertion = (await signIn(dispatcher, acct.email, acct.pass)).assertion
        return undefined
      })
      if (signedIn) await this.#verify(assertion, acct.email)
      return
    }
    await this.#step('have_email', async () => {
      const r = await c.get('have_email', { email: acct.email })
      return r.status === 200 && field(r, 'email_known') === true
        ? undefined
        : `${r.status} ${r.text.slice(0, 120)}`
    })
    const a = this.#o.assertions?.[i % (this.#o.assertions?.length ?? 1)]
    if (a !== undefined) await this.#verify(a.assertion, a.email)
  }

  async #verify(assertion: string, email: string): Promise<void> {
    await this.#step('/verify', async () => {
      const v = await new WebClient(this.#o.dispatcher).verify(assertion, SITE)
      return v.status === 200 && field(v, 'status') === 'okay' && field(v, 'email') === email
        ? undefined
        : `${v.status} ${v.text.slice(0, 160)}`
    })
  }

  start(): void {
    if (this.#running) throw new Error('already running')
    this.#running = true
    this.#t0 = performance.now()
    const workers = this.#o.workers ?? 2
    const max = this.#o.maxIterations ?? 2000
    let n = 0
    const worker = async () => {
      while (this.#running && n < max) {
        await this.#iteration(n++)
        await new Promise((r) => setTimeout(r, this.#o.pauseMs ?? 100))
      }
    }
    this.#done = Promise.all(Array.from({ length: workers }, worker)).then(() => {
      this.#ms = Math.round(performance.now() - this.#t0)
    })
  }

  /** Stops after the iterations in progress and returns the counts. */
  async stop(): Promise<LoadStats> {
    this.#running = false
    await this.#done
    let requests = 0
    let failures = 0
    for (const s of this.#stats.values()) {
      requests += s.ok + s.failed
      failures += s.failed
    }
    return { byKind: this.#stats, requests, failures, ms: this.#ms }
  }
}

/** One line per kind: `kind: ok/total (failures: first reasons)`. */
export function describeStats(s: LoadStats): string {
  return [...s.byKind]
    .map(
      ([k, v]) =>
        `${k}: ${v.ok}/${v.ok + v.failed}${v.failed > 0 ? ` FAILED ${v.failed} (${v.errors.slice(0, 3).join('; ')})` : ''}`,
    )
    .join(', ')
}
