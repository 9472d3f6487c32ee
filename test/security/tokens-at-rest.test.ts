// SPDX-License-Identifier: MPL-2.0
// A copy of the database completes no mailed link: with links pending of each kind (a sign-up, an
// address addition, a password reset), a dump of the master (mariadb-dump, as a thief would take it)
// holds none of the mailed tokens, and no value of it, tried by a stranger's browser as a token through
// email_for_token and every complete_* call, is accepted; the mailed tokens themselves still work.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { promisify } from 'node:util'
import { type Browser, field, SKIP, type Stack, startStack, tokenOf } from '../accounts/stack.ts'

const SITE = 'https://rp.example.com'
const PASS = 'a fine password'
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')

describe('mailed-link tokens at rest', { skip: SKIP }, () => {
  let stack: Stack
  let n = 0
  const fresh = () => `rest${++n}.${Date.now()}@example.test`
  before(async () => {
    stack = await startStack()
  })
  after(() => stack?.stop())

  /** A full dump of the master's database, taken with the admin account. */
  async function dump(): Promise<string> {
    const env = stack.db.env('ADMIN')
    const { stdout } = await promisify(execFile)(
      'mariadb-dump',
      [
        `--host=${env.DB_ADMIN_HOST}`,
        `--port=${env.DB_ADMIN_PORT}`,
        `--user=${env.DB_ADMIN_USER}`,
        '--single-transaction',
        '--skip-extended-insert',
        stack.db.database,
      ],
      { env: { ...process.env, MYSQL_PWD: stack.db.passwords.admin }, maxBuffer: 64 << 20 },
    )
    return stdout
  }

  /** Mails a link by `stage` and returns its token. */
  async function mailed(to: string, stage: () => Promise<unknown>): Promise<string> {
    const seen = stack.mark()
    await stage()
    return tokenOf(await stack.waitForMail(to, seen))
  }

  async function account(email: string): Promise<Browser> {
    const b = stack.injected()
    const token = await mailed(email, () => b.post('stage_user', { email, pass: PASS, site: SITE }))
    assert.deepEqual((await b.post('complete_user_creation', { token })).body, { success: true })
    return b
  }

  /** Which token-taking calls accept `token` from a stranger's browser. */
  async function accepting(token: string): Promise<string[]> {
    const b = stack.injected()
    const answers = {
      email_for_token: await b.get('email_for_token', { token }),
      complete_user_creation: await b.post('complete_user_creation', { token, pass: PASS }),
      complete_email_confirmation: await b.post('complete_email_confirmation', { token, pass: PASS }),
      complete_reset: await b.post('complete_reset', { token, pass: 'the attacker password' }),
    }
    for (const [call, a] of Object.entries(answers)) assert.ok(a.status < 500, `${call}: ${a.text}`)
    return Object.entries(answers)
      .filter(([, a]) => a.status === 200 && Reflect.get(Object(a.body), 'success') === true)
      .map(([call]) => call)
  }

  it('a dump of the database holds no mailed token, and none of its values is accepted as one', async () => {
    const signupEmail = fresh()
    const signup = stack.injected()
    const signupToken = await mailed(signupEmail, () =>
      signup.post('stage_user', { email: signupEmail, pass: PASS, site: SITE }),
    )
    const owner = await account(fresh())
    const addedEmail = fresh()
    const addToken = await mailed(addedEmail, () =>
      owner.post('stage_email', { email: addedEmail, site: SITE }),
    )
    const resetEmail = fresh()
    await account(resetEmail)
    const resetter = stack.injected()
    const resetToken = await mailed(resetEmail, () =>
      resetter.post('stage_reset', { email: resetEmail, site: SITE }),
    )
    const tokens = [signupToken, addToken, resetToken]

    const copy = await dump()
    const stagedRows = copy.split('\n').filter((l) => l.startsWith('INSERT INTO `staged`'))
    assert.ok(stagedRows.length >= 3, `the dump has the pending links: ${stagedRows.length}`)
    for (const token of tokens) {
      assert.ok(!copy.includes(token), 'the dump holds no mailed token')
      assert.ok(
        stagedRows.some((row) => row.includes(sha256(token))),
        'it holds their hashes',
      )
    }
    // Everything token-like in the pending rows, and the 48-character start of each longer value (a
    // token's shape), tried as a token.
    const values = new Set<string>()
    for (const v of stagedRows.join('\n').match(/[A-Za-z0-9]{16,}/g) ?? []) {
      values.add(v)
      if (v.length > 48) values.add(v.slice(0, 48))
    }
    assert.ok(values.size >= 3)
    for (const v of values) assert.deepEqual(await accepting(v), [], `accepted as a token: ${v}`)

    // The links themselves still work for the people they were mailed to.
    assert.equal(field(await signup.get('email_for_token', { token: signupToken }), 'email'), signupEmail)
    assert.deepEqual((await signup.post('complete_user_creation', { token: signupToken })).body, {
      success: true,
    })
    assert.deepEqual((await owner.post('complete_email_confirmation', { token: addToken })).body, {
      success: true,
    })
    assert.deepEqual(
      (await resetter.post('complete_reset', { token: resetToken, pass: 'a new password' })).body,
      { success: true },
    )
  })
})
