// SPDX-License-Identifier: MPL-2.0
// The sign-in backoff's policy (OWASP ASVS 2.2.1), pure: Persona locked an account for good after ten
// wrong passwords, so anyone who knew an address could lock its owner out. Here wrong passwords are
// counted in two scopes, the account (or, for an address without account, that address, so both look
// alike) and the client address; after a few free ones every further attempt in the scope waits,
// exponentially longer, up to a maximum. What keeps a stranger from locking the owner out:
// - the account's wait is short (a minute), and attempts refused while waiting do not count, so hammering
//   does not make it longer;
// - a browser that has signed in to the account before is not held back by the account's wait at all
//   (OWASP's device cookie), only by its own address's;
// - a password reset by mail clears the account's failures and signs that browser in.
// The client address's wait is long: it is the one source making the guesses.
import type { BackoffState, BackoffWrites } from '@persona/store'

export interface BackoffRule {
  /** Wrong passwords free before attempts wait. */
  readonly after: number
  readonly baseMs: number
  readonly maxMs: number
}

export interface BackoffPolicy {
  readonly account: BackoffRule
  readonly client: BackoffRule
  /** A scope whose last failure is older than this starts again from zero. */
  readonly forgetMs: number
}

/** How long attempts wait after a scope's `failures`-th wrong password. */
export function waitAfter(rule: BackoffRule, failures: number): number {
  if (failures < rule.after) return 0
  return Math.min(rule.maxMs, rule.baseMs * 2 ** Math.min(failures - rule.after, 30))
}

/** One password attempt, as the writer judges it. */
export interface Attempt {
  /** The account's scope (or the address's, when no account has it). */
  readonly account: string
  /** Whether the account's wait holds this attempt back (false: a browser the owner signed in with). */
  readonly accountWaitApplies: boolean
  readonly client: string
  /** Whether the password was right. */
  readonly ok: boolean
}

export type Verdict =
  | {
      readonly admitted: true
      /** This failure started the account's backoff (its owner is told by mail). */
      readonly backoffStarted: boolean
    }
  | { readonly admitted: false; readonly retryAfterMs: number }

/** The state of a scope now (undefined when it never failed or its failures are forgotten). */
function current(s: BackoffState | undefined, now: Date, forgetMs: number): BackoffState | undefined {
  if (s === undefined || now.getTime() - s.lastFailureAt.getTime() > forgetMs) return undefined
  return s
}

function failed(s: BackoffState | undefined, rule: BackoffRule, now: Date): BackoffState {
  const failures = (s?.failures ?? 0) + 1
  return { failures, lastFailureAt: now, blockedUntil: new Date(now.getTime() + waitAfter(rule, failures)) }
}

/**
 * Judges one attempt against the scopes' states: refused while a scope that applies is waiting (then
 * nothing is written), else counted (a wrong password) or cleared (a right one clears the account; the
 * client address's count stays, or one's own account would reset a guesser's).
 */
export function judge(
  p: BackoffPolicy,
  a: Attempt,
  states: ReadonlyMap<string, BackoffState>,
  now: Date,
): { result: Verdict; writes: BackoffWrites } {
  const account = current(states.get(a.account), now, p.forgetMs)
  const client = current(states.get(a.client), now, p.forgetMs)
  const waits = [client, a.accountWaitApplies ? account : undefined].map((s) =>
    s === undefined ? 0 : s.blockedUntil.getTime() - now.getTime(),
  )
  const retryAfterMs = Math.max(...waits)
  if (retryAfterMs > 0) return { result: { admitted: false, retryAfterMs }, writes: new Map() }
  if (a.ok) {
    const clear: BackoffWrites = states.has(a.account) ? new Map([[a.account, null]]) : new Map()
    return { result: { admitted: true, backoffStarted: false }, writes: clear }
  }
  const next = failed(account, p.account, now)
  return {
    result: { admitted: true, backoffStarted: next.failures === p.account.after },
    writes: new Map([
      [a.account, next],
      [a.client, failed(client, p.client, now)],
    ]),
  }
}
