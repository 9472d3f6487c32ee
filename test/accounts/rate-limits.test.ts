// SPDX-License-Identifier: MPL-2.0
// The reader's per-IP rate limits, with small limits so they trip: sign-in attempts per minute and
// calls that send mail per hour, and IdP checks (which reach other domains through the proxy) per minute
// answer 429 with a JSON reason once spent; other calls are unaffected, a limit on one kind does not
// spend another, and a request refused before it could send mail (its CSRF token, its sign-in, its
// arguments) spends nothing (security review, issue 15 item 6).
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { SKIP, type Stack, startStack } from './stack.ts'

const SITE = 'https://rp.example.com'
const PASS = 'a fine password'

describe('rate limits', { skip: SKIP }, () => {
  let stack: Stack
  before(async () => {
    stack = await startStack({
      readerEnv: { RATE_SIGNIN_PER_MIN: '3', RATE_EMAIL_PER_HOUR: '2', RATE_IDP_CHECK_PER_MIN: '2' },
    })
  })
  after(() => stack?.stop())

  it('sign-in attempts beyond the limit get 429 with a reason, and other calls still answer', async () => {
    const b = stack.browser()
    const statuses: number[] = []
    for (let i = 0; i < 5; i++) {
      const r = await b.post('authenticate_user', {
        email: `nobody${i}@example.test`,
        pass: PASS,
        ephemeral: false,
      })
      statuses.push(r.status)
      if (r.status === 429) {
        assert.equal(Reflect.get(Object(r.body), 'success'), false)
        assert.equal(typeof Reflect.get(Object(r.body), 'reason'), 'string')
      }
    }
    assert.deepEqual(statuses, [200, 200, 200, 429, 429])
    assert.equal((await b.get('session_context')).status, 200)
    assert.equal((await b.get('have_email', { email: 'x@example.test' })).status, 200)
  })

  it('calls that send mail are limited on their own budget', async () => {
    const b = stack.browser()
    const statuses: number[] = []
    for (let i = 0; i < 3; i++) {
      const r = await b.post('stage_user', {
        email: `new${i}.${Date.now()}@example.test`,
        pass: PASS,
        site: SITE,
      })
      statuses.push(r.status)
    }
    assert.deepEqual(statuses, [200, 200, 429])
    const reset = await b.post('stage_reset', { email: 'someone@example.test', site: SITE })
    assert.equal(reset.status, 429)
  })

  it('IdP checks are limited on their own budget', async () => {
    const b = stack.browser()
    const statuses: number[] = []
    for (let i = 0; i < 3; i++)
      statuses.push((await b.get('check_idp', { domain: `d${i}.example.test` })).status)
    assert.deepEqual(statuses, [200, 200, 429])
    const r = await b.get('check_idp', { domain: 'another.example.test' })
    assert.equal(r.status, 429)
    assert.equal(typeof Reflect.get(Object(r.body), 'reason'), 'string')
    // Discovery reaches the proxy too, on the general budget (nginx's): still answered.
    assert.equal((await b.get('discovery', { domain: 'example.test' })).status, 200)
  })

  it('requests refused for their CSRF token, sign-in or arguments do not spend the mail budget', async () => {
    const b = stack.injected('203.0.113.5')
    const fresh = (i: number) => `budget${i}.${Date.now()}@example.test`
    for (let i = 0; i < 3; i++) {
      const forged = await b.post(
        'stage_user',
        { email: fresh(i), pass: PASS, site: SITE },
        { csrf: 'forged' },
      )
      assert.equal(forged.status, 403, forged.text)
      const bad = await b.post('stage_user', { email: 'not an address', pass: PASS, site: SITE })
      assert.equal(bad.status, 400, bad.text)
      const signedOut = await b.post('stage_email', { email: fresh(i), site: SITE })
      assert.equal(signedOut.status, 401, signedOut.text)
    }
    const statuses: number[] = []
    for (let i = 0; i < 3; i++)
      statuses.push((await b.post('stage_user', { email: fresh(10 + i), pass: PASS, site: SITE })).status)
    assert.deepEqual(statuses, [200, 200, 429], 'the whole budget went to mails')
  })
})
