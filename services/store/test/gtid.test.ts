// SPDX-License-Identifier: MPL-2.0
// Unit tests of GTID position parsing/comparison and token generation (no database).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { gtidReached, isGtidPos, parseGtidPos } from '../src/gtid.ts'
import { isToken, newToken } from '../src/tokens.ts'

describe('gtid positions', () => {
  it('parses lists and keeps the highest seq per domain', () => {
    const p = parseGtidPos('0-1-42,1-2-7')
    assert.equal(p?.get(0), 42n)
    assert.equal(p?.get(1), 7n)
    assert.equal(parseGtidPos('')?.size, 0)
  })
  it('rejects malformed positions', () => {
    for (const bad of ['x', '0-1', '0-1-2;DROP', '0-1-2,', "0-1-1' OR 1", 'a'.repeat(600)]) {
      assert.equal(isGtidPos(bad), false, bad)
    }
  })
  it('compares per domain', () => {
    assert.equal(gtidReached('0-1-42', '0-1-41'), true)
    assert.equal(gtidReached('0-1-42', '0-1-42'), true)
    assert.equal(gtidReached('0-1-42', '0-1-43'), false)
    assert.equal(gtidReached('0-2-50', '0-1-43'), true)
    assert.equal(gtidReached('0-1-42', '1-1-1'), false)
    assert.equal(gtidReached('0-1-42,1-1-5', '0-1-1,1-1-5'), true)
  })
})

describe('tokens', () => {
  it('are 48 alphanumerics and distinct', () => {
    const seen = new Set<string>()
    for (let i = 0; i < 200; i++) {
      const t = newToken()
      assert.match(t, /^[A-Za-z0-9]{48}$/)
      assert.equal(isToken(t), true)
      seen.add(t)
    }
    assert.equal(seen.size, 200)
    assert.equal(isToken('short'), false)
    assert.equal(isToken(`${'a'.repeat(47)}-`), false)
  })
})
