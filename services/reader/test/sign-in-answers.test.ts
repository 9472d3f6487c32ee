// SPDX-License-Identifier: MPL-2.0
// authenticate_user tells nobody whether an address has an account (security review, issue 15 item 8):
// an unknown address, an account without password and a wrong password get the same answer, word for
// word, after the same work: one bcrypt comparison at the configured cost (a dummy hash when there is
// none). The comparisons are watched on the reader's own hasher; the medians are printed, and only a
// gross difference fails (the equal work is what makes them alike).
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { PasswordHasher } from '@persona/kit/password-hash'
import { SKIP, type Stack, startStack, tokenOf } from '../../../test/accounts/stack.ts'

const SITE = 'https://rp.example.com'
const PASS = 'a fine password'
const ROUNDS = 8

/** The cost of every hash bcrypt compared a password against, in order. */
class WatchedHasher extends PasswordHasher {
  readonly costs: number[] = []
  override verify(password: string, encoded: string): Promise<boolean> {
    this.costs.push(Number(encoded.split('$')[2]))
    return super.verify(password, encoded)
  }
}

describe('authenticate_user: unknown address and wrong password alike', { skip: SKIP }, () => {
  let stack: Stack
  const hasher = new WatchedHasher({ rounds: ROUNDS, concurrency: 1, maxQueue: 64 })
  let n = 0
  let ip = 0
  const fresh = () => `alike${++n}.${Date.now()}@example.test`

  before(async () => {
    stack = await startStack({
      readerEnv: { BCRYPT_ROUNDS: String(ROUNDS) },
      writerEnv: {
        BCRYPT_ROUNDS: String(ROUNDS),
        ACCOUNT_BACKOFF_AFTER: '1000',
        CLIENT_BACKOFF_AFTER: '1000',
      },
      readerDeps: { hasher },
    })
  })
  after(async () => {
    await stack?.stop()
  })

  async function account(email: string) {
    const b = stack.injected()
    const seen = stack.mark()
    await b.post('stage_user', { email, pass: PASS, site: SITE })
    await b.post('complete_user_creation', { token: tokenOf(await stack.waitForMail(email, seen)) })
  }

  /** One attempt from a browser of its own: the answer (address replaced) and the costs compared. */
  async function attempt(email: string, pass: string) {
    const b = stack.injected(`192.0.2.${++ip % 250}`)
    await b.context()
    const from = hasher.costs.length
    const started = process.hrtime.bigint()
    const r = await b.post('authenticate_user', { email, pass, ephemeral: false })
    const ms = Number(process.hrtime.bigint() - started) / 1e6
    const text = JSON.stringify(r.body).replaceAll(email, '<email>')
    return { status: r.status, text, costs: hasher.costs.slice(from), ms }
  }

  it('answers alike, after one bcrypt comparison at the configured cost', async () => {
    const known = fresh()
    await account(known)
    const unknown = await attempt(fresh(), PASS)
    const wrong = await attempt(known, 'not the password')
    assert.equal(unknown.status, 200)
    assert.equal(unknown.text, wrong.text)
    assert.equal(JSON.parse(unknown.text).success, false)
    assert.deepEqual(unknown.costs, [ROUNDS], 'an unknown address is compared against a dummy hash')
    assert.deepEqual(wrong.costs, [ROUNDS])
    const right = await attempt(known, PASS)
    assert.equal(JSON.parse(right.text).success, true)
  })

  it('takes about as long: an unknown address is not answered quicker (medians printed)', async () => {
    const known = fresh()
    await account(known)
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0
    const times = { unknown: [] as number[], wrong: [] as number[] }
    for (let i = 0; i < 15; i++) {
      times.unknown.push((await attempt(fresh(), PASS)).ms)
      times.wrong.push((await attempt(known, 'not the password')).ms)
    }
    const [u, w] = [median(times.unknown), median(times.wrong)]
    console.log(
      `authenticate_user median: unknown address ${u.toFixed(1)} ms, wrong password ${w.toFixed(1)} ms`,
    )
    // Skipping bcrypt for unknown addresses would answer them in a few ms against bcrypt's hundreds.
    assert.ok(u > w / 2, `unknown ${u} ms vs wrong password ${w} ms`)
  })
})
