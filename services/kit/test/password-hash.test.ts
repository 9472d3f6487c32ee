// SPDX-License-Identifier: MPL-2.0
// The bcrypt pool the reader and writer share: hashing, verification, re-hash detection, refusal past its
// queue, and the same work for a missing hash as for a wrong password.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { PasswordHasher } from '../src/password-hash.ts'

describe('PasswordHasher', () => {
  it('hashes, verifies and spots another cost', async () => {
    const h = new PasswordHasher({ rounds: 4 })
    const enc = await h.hash('correct horse')
    assert.equal(await h.verify('correct horse', enc), true)
    assert.equal(await h.verify('wrong horse!', enc), false)
    assert.equal(h.needsRehash(enc), false)
    assert.equal(new PasswordHasher({ rounds: 5 }).needsRehash(enc), true)
  })
  it('a missing hash costs a real verification and answers false', async () => {
    const checked: string[] = []
    class Counting extends PasswordHasher {
      override async verify(password: string, encoded: string): Promise<boolean> {
        checked.push(encoded)
        return super.verify(password, encoded)
      }
    }
    const h = new Counting({ rounds: 6 })
    assert.equal(await h.verifyOrPretend('correct horse', null), false)
    assert.equal(await h.verifyOrPretend('correct horse', ''), false)
    assert.equal(checked.length, 2, 'bcrypt ran for each missing hash')
    assert.ok(
      checked.every((e) => /^\$2[aby]\$06\$/.test(e)),
      'against a hash of the same cost',
    )
    const enc = await h.hash('correct horse')
    assert.equal(await h.verifyOrPretend('correct horse', enc), true)
  })
  it('refuses work past its queue', async () => {
    const h = new PasswordHasher({ rounds: 10, concurrency: 1, maxQueue: 1 })
    const a = h.hash('password-a')
    const b = h.hash('password-b')
    assert.equal(h.queued, 1, 'one running, one waiting')
    await assert.rejects(h.hash('password-c'), { name: 'HasherBusyError' })
    await Promise.all([a, b])
    assert.equal(h.load, 0)
    assert.equal(h.queued, 0)
  })
})
