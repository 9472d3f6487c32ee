// SPDX-License-Identifier: MPL-2.0
// The reader's KPI sampling setting: session_context tells the dialog the share of sessions that
// post interaction_data (KPI_SAMPLE_RATE, default 0 = none), and interaction_data accepts a batch.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { SKIP, type Stack, startStack } from './stack.ts'

describe('KPI sample rate', { skip: SKIP }, () => {
  let stack: Stack
  before(async () => {
    stack = await startStack({ readerEnv: { KPI_SAMPLE_RATE: '0.25' } })
  })
  after(() => stack?.stop())

  it('session_context carries the configured data_sample_rate', async () => {
    const r = await stack.browser().get('session_context')
    assert.equal(r.status, 200)
    assert.equal(Reflect.get(Object(r.body), 'data_sample_rate'), 0.25)
  })

  it('interaction_data takes a batch of KPI blobs and answers success', async () => {
    const b = stack.browser()
    const r = await b.post('interaction_data', {
      data: [{ event_stream: [['screen.email', 12]], sample_rate: 0.25, timestamp: 0, lang: 'en' }],
    })
    assert.equal(r.status, 200)
    assert.equal(Reflect.get(Object(r.body), 'success'), true)
  })
})
