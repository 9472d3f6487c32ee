// SPDX-License-Identifier: MPL-2.0
// Choosing the replica to promote: the one whose received GTID position contains every other's (it
// holds every acknowledged write), the first by preference on a tie, the one ahead in the most domains
// when positions diverged. The whole failover runs against real servers in test/multi.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { mostAdvanced } from '../src/failover.ts'

describe('mostAdvanced', () => {
  it('picks the replica that received the most', () => {
    const r = mostAdvanced([
      { name: 'a2', received: '0-11-40' },
      { name: 'b1', received: '0-11-42' },
    ])
    assert.equal(r?.name, 'b1')
  })
  it('keeps the order of preference on a tie', () => {
    const r = mostAdvanced([
      { name: 'a2', received: '0-11-42' },
      { name: 'b1', received: '0-11-42' },
    ])
    assert.equal(r?.name, 'a2')
  })
  it('an empty position loses to any other', () => {
    assert.equal(
      mostAdvanced([
        { name: 'x', received: '' },
        { name: 'y', received: '0-1-1' },
      ])?.name,
      'y',
    )
  })
  it('with diverged domains, the one ahead in the most', () => {
    const r = mostAdvanced([
      { name: 'p', received: '0-11-5,1-12-1' },
      { name: 'q', received: '0-11-4,1-12-9' },
      { name: 'r', received: '0-11-3,1-12-2' },
    ])
    assert.ok(r?.name === 'p' || r?.name === 'q')
    assert.notEqual(r?.name, 'r')
  })
  it('nothing to choose from', () => {
    assert.equal(mostAdvanced([]), undefined)
  })
})
