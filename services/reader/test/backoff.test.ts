// SPDX-License-Identifier: MPL-2.0
// The sign-in backoff (security review, issue 15 item 5; OWASP ASVS 2.2.1), through the reader in process
// with the writer, real MariaDB and SMTP around it. Persona locked an account for good after ten wrong
// passwords; here a stranger's wrong passwords make attempts wait a little (never long, never the
// owner's own browsers), the guesser's address waits longer and longer, and the owner is told by mail.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { type Browser, field, SKIP, type Stack, startStack, tokenOf } from '../../../test/accounts/stack.ts'

const SITE = 'https://rp.example.com'
const PASS = 'a fine password'
const WRONG = 'not the password'
// Three free wrong passwords per account, then 300 ms, 600 ms, ... up to 1.2 s; five per client address.
const AFTER = 3
const ACCOUNT_MAX_MS = 1200

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('sign-in backoff', { skip: SKIP }, () => {
  let stack: Stack
  let n = 0
  let ip = 10
  const fresh = () => `b${++n}.${Date.now()}@example.test`
  /** A browser from an address no other test uses. */
  const elsewhere = () => stack.injected(`198.51.100.${++ip}`)

  before(async () => {
    stack = await startStack({
      writerEnv: {
        ACCOUNT_BACKOFF_AFTER: String(AFTER),
        ACCOUNT_BACKOFF_MAX_MS: String(ACCOUNT_MAX_MS),
        BACKOFF_BASE_MS: '300',
        CLIENT_BACKOFF_AFTER: '5',
        CLIENT_BACKOFF_MAX_MS: '600000',
      },
    })
  })
  after(async () => {
    await stack?.stop()
  })

  /** An account made in a browser of its own (which is signed in, then signs out). */
  async function account(email: string): Promise<Browser> {
    const b = elsewhere()
    const seen = stack.mark()
    assert.deepEqual((await b.post('stage_user', { email, pass: PASS, site: SITE })).body, { success: true })
    const token = tokenOf(await stack.waitForMail(email, seen))
    assert.deepEqual((await b.post('complete_user_creation', { token })).body, { success: true })
    assert.deepEqual((await b.post('logout')).body, { success: true })
    return b
  }

  const signIn = (b: Browser, email: string, pass = PASS) =>
    b.post('authenticate_user', { email, pass, ephemeral: false })

  it("a stranger's wrong passwords never lock the owner out, and the owner is told by mail", async () => {
    const email = fresh()
    const owners = await account(email)
    const seen = stack.mark()
    const stranger = elsewhere()
    for (let i = 0; i < AFTER; i++)
      assert.equal(
        field(await signIn(stranger, email, WRONG), 'reason'),
        `password mismatch for user: ${email}`,
      )
    // Now the account waits: even the right password from the stranger's browser gets "locked".
    const held = await signIn(stranger, email)
    assert.equal(field(held, 'code'), 'account locked', held.text)
    assert.equal(field(held, 'reason'), 'account is locked')
    const wait = Number(field(held, 'retry_after'))
    assert.ok(wait >= 1 && wait <= Math.ceil(ACCOUNT_MAX_MS / 1000), `retry_after ${wait}`)
    // The owner's browser, which signed in before, is not held back at all.
    const owner = await signIn(owners, email)
    assert.equal(field(owner, 'success'), true, owner.text)
    // The owner got one mail, in the language of the browser that tried.
    const mail = await stack.waitForMail(email, seen)
    assert.match(mail.Subject, /Wrong passwords for your Persona account/)
    assert.match(mail.Text, /3 times/)
    assert.match(mail.Text, /not locked/)
  })

  it('the wait ends by itself, and a stranger hammering from many addresses cannot make it longer', async () => {
    const email = fresh()
    await account(email)
    // Many strangers, each from its own address, keep guessing.
    const strangers = Array.from({ length: 6 }, () => elsewhere())
    const started = Date.now()
    for (let round = 0; round < 4; round++) {
      await Promise.all(strangers.map((s) => signIn(s, email, WRONG)))
      await sleep(100)
    }
    // A new browser of the owner: held back for at most the account's maximum, then let in.
    const laptop = elsewhere()
    let r = await signIn(laptop, email)
    let tries = 1
    while (field(r, 'success') !== true) {
      assert.equal(field(r, 'code'), 'account locked', r.text)
      const wait = Number(field(r, 'retry_after'))
      assert.ok(wait <= Math.ceil(ACCOUNT_MAX_MS / 1000), `told to wait ${wait} s`)
      await sleep(wait * 1000)
      r = await signIn(laptop, email)
      assert.ok(++tries <= 3, 'the owner got in within a few waits')
    }
    assert.ok(Date.now() - started < 15_000)
  })

  it("one address guessing at many accounts is held back; the accounts and other addresses aren't", async () => {
    const email = fresh()
    await account(email)
    const guesser = elsewhere()
    const answers = []
    for (let i = 0; i < 5; i++) answers.push(await signIn(guesser, fresh(), WRONG))
    // Five free (all alike for unknown addresses), then this address waits, whatever it tries.
    for (const a of answers) assert.equal(field(a, 'success'), false, a.text)
    assert.equal(field(answers[0] as (typeof answers)[0], 'code'), undefined)
    const held = await signIn(guesser, email)
    assert.equal(field(held, 'code'), 'account locked', 'not even a right password')
    assert.equal(field(await signIn(elsewhere(), email), 'success'), true, 'the account itself is fine')
  })

  it('an unknown address and an account answer alike, through the backoff too', async () => {
    const known = fresh()
    await account(known)
    const unknown = fresh()
    const answersFor = async (email: string) => {
      const out: string[] = []
      for (let i = 0; i <= AFTER; i++) {
        const b = elsewhere()
        const a = await signIn(b, email, WRONG)
        out.push(String(field(a, 'code') ?? field(a, 'reason')).replace(email, '<email>'))
      }
      return out
    }
    assert.deepEqual(await answersFor(unknown), await answersFor(known))
  })

  it('a password reset by mail signs the waiting browser in', async () => {
    const email = fresh()
    await account(email)
    const before = stack.mark()
    for (let i = 0; i < AFTER; i++) await signIn(elsewhere(), email, WRONG)
    const phone = elsewhere()
    assert.equal(field(await signIn(phone, email), 'code'), 'account locked')
    await stack.waitForMail(email, before) // the notice
    const seen = stack.mark()
    assert.deepEqual((await phone.post('stage_reset', { email, site: SITE })).body, { success: true })
    const token = tokenOf(await stack.waitForMail(email, seen))
    const done = await phone.post('complete_reset', { token, pass: 'a new fine password' })
    assert.equal(field(done, 'success'), true, done.text)
    assert.equal(field(await signIn(elsewhere(), email, 'a new fine password'), 'success'), true)
  })
})
