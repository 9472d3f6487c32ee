// SPDX-License-Identifier: MPL-2.0
// Read-your-writes with MASTER_GTID_WAIT: a write on the master followed at once by a read on the
// replica, through `writerDb.lastGtid()` and `readerDb.waitFor()`, sees the write; when the replica
// cannot reach the position in time the read fails with 503 instead of answering stale data.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { isPersonaError } from '@persona/kit'
import knexFactory from 'knex'
import type { ReaderDb, WriterDb } from '../src/db.ts'
import { isGtidPos } from '../src/gtid.ts'
import { readerRepos, writerRepos } from '../src/repos/index.ts'
import { SKIP, startTestPair, type TestPair } from './pair.ts'

describe('read-your-writes (GTID)', { skip: SKIP }, () => {
  let t: TestPair
  let wdb: WriterDb
  let rdb: ReaderDb
  before(async () => {
    t = await startTestPair()
    wdb = t.writer()
    rdb = t.reader()
  })
  after(async () => t?.cleanup())

  it('every write is visible on the replica right after waiting for its GTID', async () => {
    const w = writerRepos(wdb)
    const r = readerRepos(rdb)
    let last = ''
    for (let i = 0; i < 50; i++) {
      const s = await w.staged.stage({
        kind: 'new_account',
        email: `ryw${i}@example.com`,
        passwordHash: null,
      })
      const done = await w.staged.completeNewAccount(s.secret)
      assert.ok(done)
      const gtid = await wdb.lastGtid()
      assert.ok(isGtidPos(gtid) && gtid !== '' && gtid !== last, gtid)
      last = gtid
      await rdb.waitFor(gtid)
      assert.equal((await r.emails.byAddress(`ryw${i}@example.com`))?.userId, done.userId)
    }
  })

  it('an empty position needs no wait; a malformed one is a 400', async () => {
    await rdb.waitFor('')
    await assert.rejects(
      rdb.waitFor("0-1-1'; DROP TABLE users"),
      (e: unknown) => isPersonaError(e) && e.code === 'ERR_BAD_REQUEST',
    )
  })

  it('a lagging replica makes the read fail with database unavailable, then succeed once caught up', async () => {
    const root = knexFactory({
      client: 'mysql2',
      connection: { socketPath: t.pair.replica.socket, user: 'root' },
    })
    try {
      await root.raw('STOP SLAVE SQL_THREAD')
      await writerRepos(wdb).idps.saw('lag.example')
      const gtid = await wdb.lastGtid()
      await assert.rejects(
        rdb.waitFor(gtid, 200),
        (e: unknown) => isPersonaError(e) && e.code === 'ERR_DATABASE_UNAVAILABLE',
      )
      assert.equal(
        await readerRepos(rdb).idps.lastSeen('lag.example'),
        undefined,
        'the replica really was behind',
      )
      await root.raw('START SLAVE SQL_THREAD')
      await rdb.waitFor(gtid, 5000)
      assert.ok((await readerRepos(rdb).idps.lastSeen('lag.example')) instanceof Date)
    } finally {
      await root.raw('START SLAVE').catch(() => {})
      await root.destroy()
    }
  })
})
