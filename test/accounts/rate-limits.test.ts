// SPDX-License-Identifier: MPL-2.0
// The reader's per-IP rate limits, with small limits so they trip: sign-in attempts per minute and
// calls that send mail per hour answer 429 with a JSON reason once spent; other calls are unaffected,
// and a limit on one kind does not spend the other.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { SKIP, type Stack, startStack } from './stack.ts'

const SITE = 'https://rp.example.com'
const PASS = 'a fine password'

describe('rate limits', { skip: SKIP }, () => {
  let stack: Stack
  before(async () => {
    stack = await startStack({ readerEnv: { RATE_SIGNIN_PER_MIN: '3', RATE_EMAIL_PER_HOUR: '2' } })
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
})
