// SPDX-License-Identifier: MPL-2.0
// Unit test of the dialog's interaction data (src/lib/kpi.ts): sampling by data_sample_rate (0 never
// samples), events relative to the dialog's start, the 10-minute timestamp, and only whitelisted
// fields handed back for interaction_data, once.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { KPI_KEY, Kpis } from '../src/lib/kpi.ts'
import { memoryStore } from './memory-store.ts'

const memory = () => memoryStore()

describe('Kpis', () => {
  it('rate 0 never samples, whatever the dice say; nothing is stored', () => {
    const s = memory()
    const k = new Kpis(s, () => 0)
    assert.equal(
      k.begin(0, 0, {}, () => 0),
      false,
    )
    k.event('screen.email')
    assert.equal(s.data.has(KPI_KEY), false)
    assert.equal(
      new Kpis(s).begin(0.5, 0, {}, () => 0.5),
      false,
    )
    assert.equal(
      new Kpis(s).begin(Number.NaN, 0, {}, () => 0),
      false,
    )
  })

  it('a sampled session records events and is handed back scrubbed, once', () => {
    const s = memory()
    let now = 1_000
    const k = new Kpis(s, () => now)
    assert.equal(
      k.begin(0.5, 1_234_567_890, { rp_api: 'stateless', secret: 'x' }, () => 0.1),
      true,
    )
    now = 1_250
    k.event('screen.email')
    k.set('new_account', true)
    const next = new Kpis(s)
    const sent = next.takeFinished()
    assert.equal(sent.length, 1)
    assert.deepEqual(sent[0], {
      event_stream: [['screen.email', 250]],
      sample_rate: 0.5,
      timestamp: 1_234_200_000,
      new_account: true,
      rp_api: 'stateless',
    })
    assert.deepEqual(next.takeFinished(), [])
  })

  it('unreadable storage reads as nothing', () => {
    const s = memory()
    s.data.set(KPI_KEY, '{oops')
    assert.deepEqual(new Kpis(s).takeFinished(), [])
    s.data.set(KPI_KEY, JSON.stringify({ sessions: [1, null, { lang: 'en', local_timestamp: 'x' }] }))
    assert.deepEqual(new Kpis(s).takeFinished(), [{ lang: 'en' }])
  })
})
