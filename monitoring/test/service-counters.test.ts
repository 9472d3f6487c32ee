// SPDX-License-Identifier: MPL-2.0
// The reader's and the writer's counters are real: through the account services on a real MariaDB
// master + replica and a real SMTP listener, a sign-up, sign-ins that succeed, fail and hit a lockout,
// a refused CSRF token and a revoked session each move the series the rules and dashboards read
// (persona_auth_*, persona_mail_*, persona_security_events_total), the GTID positions of master and
// replica are exported, and a dead replica and a dead mail relay are counted as errors.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { metricSample } from '@persona/kit'
import { type Browser, field, type Stack, startStack, tokenOf } from '../../test/accounts/stack.ts'

const SITE = 'https://rp.example.com'
const PASS = 'a good password'
const MAX_ATTEMPTS = 3

async function scrape(url: string): Promise<string> {
  const res = await fetch(`${url}/metrics`)
  assert.equal(res.status, 200)
  return res.text()
}

/** A series' value in a scrape, 0 when absent (a counter never moved). */
function value(text: string, name: string, labels: Record<string, string> = {}): number {
  return metricSample(text, name, labels) ?? 0
}

async function until(what: string, ms: number, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe('reader and writer counters', () => {
  let stack: Stack
  const reader = () => scrape(stack.readerUrl)
  const writer = () => scrape(stack.writerUrl)
  const security = async (event: string) => value(await reader(), 'persona_security_events_total', { event })

  before(async () => {
    // Wrong passwords before the account's sign-in backoff holds attempts back (for a minute here).
    stack = await startStack({
      writerEnv: { ACCOUNT_BACKOFF_AFTER: String(MAX_ATTEMPTS), BACKOFF_BASE_MS: '60000' },
    })
  })
  after(async () => {
    await stack?.stop()
  })

  async function signUp(b: Browser, email: string): Promise<void> {
    const seen = stack.mark()
    assert.deepEqual((await b.post('stage_user', { email, pass: PASS, site: SITE })).body, { success: true })
    const token = tokenOf(await stack.waitForMail(email, seen))
    assert.deepEqual((await b.post('complete_user_creation', { token })).body, { success: true })
  }

  it('every series the rules and dashboards read exists from the start, at zero', async () => {
    const r = await reader()
    const w = await writer()
    for (const result of ['ok', 'failed', 'locked'])
      assert.equal(metricSample(r, 'persona_auth_signins_total', { method: 'password', result }), 0)
    assert.equal(metricSample(r, 'persona_auth_lockouts_total'), 0)
    assert.equal(metricSample(w, 'persona_auth_signups_total', { kind: 'password', step: 'staged' }), 0)
    assert.equal(metricSample(w, 'persona_mail_failures_total', { template: 'new' }), 0)
    for (const [text, role] of [
      [r, 'replica'],
      [w, 'master'],
    ] as const) {
      assert.equal(metricSample(text, 'persona_db_errors_total', { role, class: 'unavailable' }), 0)
      assert.equal(metricSample(text, 'persona_auth_bcrypt_queue_depth'), 0)
    }
  })

  it('a sign-up counts as staged, mailed and completed', async () => {
    await signUp(stack.browser(), 'counted@example.test')
    const w = await writer()
    assert.equal(value(w, 'persona_auth_signups_total', { kind: 'password', step: 'staged' }), 1)
    assert.equal(value(w, 'persona_auth_signups_total', { kind: 'password', step: 'completed' }), 1)
    assert.equal(value(w, 'persona_mail_sent_total', { template: 'new' }), 1)
  })

  it('sign-ins by result; wrong passwords and a lockout reach the security stream', async () => {
    const email = 'locked@example.test'
    const b = stack.browser()
    await signUp(b, email)
    await b.post('logout')
    const signin = (from: typeof b, pass: string) =>
      from.post('authenticate_user', { email, pass, ephemeral: false })
    assert.equal(field(await signin(b, PASS), 'success'), true)
    // Another browser: one that signed in to the account before is never held back by its backoff.
    const other = stack.browser()
    for (let i = 0; i < MAX_ATTEMPTS; i++)
      assert.equal(field(await signin(other, 'a wrong password'), 'success'), false)
    const locked = await signin(other, PASS)
    assert.equal(field(locked, 'code'), 'account locked', locked.text)
    const r = await reader()
    assert.equal(value(r, 'persona_auth_signins_total', { method: 'password', result: 'ok' }), 1)
    assert.equal(
      value(r, 'persona_auth_signins_total', { method: 'password', result: 'failed' }),
      MAX_ATTEMPTS,
    )
    assert.equal(value(r, 'persona_auth_signins_total', { method: 'password', result: 'locked' }), 1)
    assert.equal(value(r, 'persona_auth_lockouts_total'), 1)
    assert.equal(value(r, 'persona_security_events_total', { event: 'signin_failed' }), MAX_ATTEMPTS)
    assert.equal(value(r, 'persona_security_events_total', { event: 'account_locked' }), 1)
  })

  it('a refused CSRF token is a security event', async () => {
    const before = await security('csrf_failed')
    const b = stack.browser()
    await b.context()
    const r = await b.post(
      'stage_user',
      { email: 'x@example.test', pass: PASS, site: SITE },
      { csrf: 'nope' },
    )
    assert.equal(r.status, 403)
    assert.equal(await security('csrf_failed'), before + 1)
  })

  it('a session whose account revoked its sessions is a security event when it comes back', async () => {
    const email = 'revoked@example.test'
    const first = stack.browser()
    await signUp(first, email)
    const second = stack.browser()
    const r = await second.post('authenticate_user', { email, pass: PASS, ephemeral: false })
    assert.equal(field(r, 'success'), true, r.text)
    const before = await security('revoked_session_used')
    const changed = await second.post('update_password', { oldpass: PASS, newpass: 'another password' })
    assert.equal(field(changed, 'success'), true, changed.text)
    assert.equal((await first.context()).authenticated, false, 'the first browser is signed out')
    assert.equal(await security('revoked_session_used'), before + 1)
  })

  it('master and replica GTID positions are exported, and the replica catches up', async () => {
    await until('replica position equals the master position', 15_000, async () => {
      const m = metricSample(await writer(), 'persona_db_gtid_sequence', { role: 'master' })
      const r = metricSample(await reader(), 'persona_db_gtid_sequence', { role: 'replica' })
      return m !== undefined && m > 0 && m === r
    })
    assert.equal(metricSample(await writer(), 'persona_db_up', { role: 'master' }), 1)
  })

  it('a dead mail relay and a dead replica are counted', async () => {
    await stack.mail.stop()
    const b = stack.browser()
    assert.deepEqual(
      (await b.post('stage_user', { email: 'nomail@example.test', pass: PASS, site: SITE })).body,
      {
        success: true,
      },
    )
    await until(
      'the failed mail counted',
      30_000,
      async () => value(await writer(), 'persona_mail_failures_total', { template: 'new' }) === 1,
    )

    stack.db.replica.kill('SIGKILL')
    await stack.db.replica.exited
    const r = await b.get('have_email', { email: 'counted@example.test' })
    assert.equal(r.status, 503, r.text)
    const text = await reader()
    assert.ok(value(text, 'persona_db_errors_total', { role: 'replica', class: 'unavailable' }) >= 1, text)
    await until(
      'the replica seen down',
      15_000,
      async () => metricSample(await reader(), 'persona_db_up', { role: 'replica' }) === 0,
    )
    assert.equal(metricSample(await reader(), 'persona_db_gtid_sequence', { role: 'replica' }), undefined)
  })
})
