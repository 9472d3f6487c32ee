// SPDX-License-Identifier: MPL-2.0
// Unit test of the "is this your computer?" memory (src/lib/users-computer.ts): when to ask, what
// counts as confirmed, a "no" forgotten after a day, and unreadable storage read as nothing.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  DENIED_FOR_MS,
  isConfirmed,
  isConfirmedEmail,
  type KeyValueStore,
  setOwnership,
  shouldAsk,
  USERS_COMPUTER_KEY,
} from '../src/lib/users-computer.ts'

function memory(): KeyValueStore & { data: Map<string, string> } {
  const data = new Map<string, string>()
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => {
      data.set(k, v)
    },
  }
}

describe('users-computer', () => {
  it('asks a user never seen, not one who said yes; yes is confirmed for the id and the address', () => {
    const s = memory()
    assert.equal(shouldAsk(s, 7, 0), true)
    assert.equal(isConfirmed(s, 7, 0), false)
    setOwnership(s, 7, true, 'A@Example.com', 1000)
    assert.equal(shouldAsk(s, 7, 2000), false)
    assert.equal(isConfirmed(s, 7, 2000), true)
    assert.equal(isConfirmedEmail(s, 'a@example.com'), true)
    assert.equal(isConfirmedEmail(s, 'b@example.com'), false)
    assert.equal(shouldAsk(s, 8, 2000), true)
  })

  it('a "no" is not confirmed, is not asked again for a day, then is asked again', () => {
    const s = memory()
    setOwnership(s, 3, false, 'x@example.com', 0)
    assert.equal(isConfirmed(s, 3, 10), false)
    assert.equal(isConfirmedEmail(s, 'x@example.com'), false)
    assert.equal(shouldAsk(s, 3, DENIED_FOR_MS), false)
    assert.equal(shouldAsk(s, 3, DENIED_FOR_MS + 1), true)
  })

  it('without a user id it neither asks nor confirms; bad storage reads as nothing', () => {
    const s = memory()
    assert.equal(shouldAsk(s, undefined, 0), false)
    assert.equal(isConfirmed(s, undefined, 0), false)
    s.data.set(USERS_COMPUTER_KEY, '{not json')
    assert.equal(shouldAsk(s, 1, 0), true)
    s.data.set(USERS_COMPUTER_KEY, JSON.stringify({ 1: { state: 'owned', at: 0 } }))
    assert.equal(isConfirmed(s, 1, 0), false)
    setOwnership(s, 1, true, 'q@example.com', 5)
    assert.equal(isConfirmed(s, 1, 6), true)
  })
})
