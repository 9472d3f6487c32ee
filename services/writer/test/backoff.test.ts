// SPDX-License-Identifier: MPL-2.0
// The sign-in backoff's policy on its own (pure): waits double per failure up to a scope's maximum;
// refused attempts are not counted (hammering cannot lengthen a wait); the owner's known browser is not
// held back by the account's wait; a right password clears the account but not the guesser's address.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { BackoffState } from '@persona/store'
import { type Attempt, type BackoffPolicy, judge, waitAfter } from '../src/backoff.ts'

const POLICY: BackoffPolicy = {
  account: { after: 5, baseMs: 1000, maxMs: 60_000 },
  client: { after: 20, baseMs: 1000, maxMs: 900_000 },
  forgetMs: 86_400_000,
}
const T0 = new Date('2026-01-01T00:00:00Z')
const at = (ms: number) => new Date(T0.getTime() + ms)
const attempt = (over: Partial<Attempt> = {}): Attempt => ({
  account: 'account:1',
  accountWaitApplies: true,
  client: 'client:192.0.2.1',
  ok: false,
  ...over,
})

/** Runs attempts one after the other, keeping the rows as the store would. */
function run(steps: { readonly at: number; readonly a: Attempt }[]) {
  const rows = new Map<string, BackoffState>()
  return steps.map((s) => {
    const { result, writes } = judge(POLICY, s.a, rows, at(s.at))
    for (const [k, v] of writes) v === null ? rows.delete(k) : rows.set(k, v)
    return { result, rows: new Map(rows) }
  })
}

describe('sign-in backoff policy', () => {
  it('waits nothing for the free failures, then doubles up to the maximum', () => {
    assert.deepEqual(
      [1, 4, 5, 6, 7, 10, 11, 12, 40].map((n) => waitAfter(POLICY.account, n)),
      [0, 0, 1000, 2000, 4000, 32_000, 60_000, 60_000, 60_000],
    )
    assert.equal(waitAfter(POLICY.client, 30), 900_000)
  })

  it('refuses attempts while waiting, without counting them, whatever the password', () => {
    const steps = Array.from({ length: 5 }, (_, i) => ({ at: i, a: attempt() }))
    steps.push({ at: 10, a: attempt({ ok: true }) }, { at: 20, a: attempt() })
    const out = run(steps)
    assert.deepEqual(
      out.map((o) => o.result.admitted),
      [true, true, true, true, true, false, false],
    )
    assert.equal(out[4]?.result.admitted && out[4].result.backoffStarted, true, 'the fifth starts it')
    assert.equal(out[6]?.rows.get('account:1')?.failures, 5, 'refused attempts do not count')
    const refused = out[5]?.result
    assert.ok(refused !== undefined && !refused.admitted && refused.retryAfterMs === 994)
  })

  it("a stranger cannot hold the owner's known browser back, nor lengthen the wait past the maximum", () => {
    const steps: { at: number; a: Attempt }[] = []
    // A stranger from a new address each time, trying again as soon as each wait ends: 200 guesses.
    let t = 0
    for (let i = 0; i < 200; i++) {
      steps.push({ at: t, a: attempt({ client: `client:203.0.113.${i}` }) })
      t += waitAfter(POLICY.account, Math.min(i + 1, 1000)) + 1
    }
    const out = run(steps)
    const failures = out.at(-1)?.rows.get('account:1')?.failures ?? 0
    const perHour = failures / (t / 3_600_000)
    // OWASP ASVS 2.2.1: no more than 100 failed attempts per hour on one account.
    assert.equal(failures, 200)
    assert.ok(perHour <= 100, `${failures} guesses in ${Math.round(t / 60_000)} min`)
    const rows = out.at(-1)?.rows ?? new Map()
    const ownerAt = at(t - 1)
    const knownBrowser = judge(POLICY, attempt({ ok: true, accountWaitApplies: false }), rows, ownerAt)
    assert.equal(knownBrowser.result.admitted, true)
    assert.deepEqual([...knownBrowser.writes], [['account:1', null]], 'a right password clears the account')
    const newBrowser = judge(POLICY, attempt({ ok: true, client: 'client:192.0.2.50' }), rows, at(t - 30_000))
    assert.ok(!newBrowser.result.admitted && newBrowser.result.retryAfterMs <= POLICY.account.maxMs)
  })

  it("a right password clears the account, not the guesser's address; old failures are forgotten", () => {
    const steps = Array.from({ length: 3 }, (_, i) => ({ at: i, a: attempt() }))
    steps.push({ at: 10, a: attempt({ ok: true }) })
    const out = run(steps)
    assert.equal(out[3]?.rows.get('account:1'), undefined)
    assert.equal(out[3]?.rows.get('client:192.0.2.1')?.failures, 3)
    const rows = out[2]?.rows ?? new Map()
    const later = judge(POLICY, attempt(), rows, at(POLICY.forgetMs + 100))
    const kept = later.writes.get('account:1')
    assert.equal(kept?.failures, 1, 'counted from zero again')
  })
})
