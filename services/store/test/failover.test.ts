// SPDX-License-Identifier: MPL-2.0
// Failover: SIGKILL the master under write load. Reads through the reader's data layer never fail;
// writes fail fast with ERR_DATABASE_UNAVAILABLE; after `promote` and re-pointing the writer, writes
// succeed and every write acknowledged before the kill is present (semi-sync replication).
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { isPersonaError } from '@persona/kit'
import knexFactory from 'knex'
import { dbEnv } from '../src/config.ts'
import { readerRepos, writerRepos } from '../src/repos/index.ts'
import { rawRows, str } from '../src/rows.ts'
import { SKIP, startTestPair, type TestPair } from './pair.ts'

/** Rejects when `p` has not settled within `ms`: the test's "no hang" bound. */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, rej) => {
      timer = setTimeout(() => rej(new Error(`${what} hung for more than ${ms} ms`)), ms)
    }),
  ])
}

describe('failover', { skip: SKIP }, () => {
  let t: TestPair
  before(async () => {
    // A long semi-sync timeout: under test load the master must never fall back to async silently.
    t = await startTestPair({ semiSyncTimeoutMs: 30000 })
  })
  after(async () => t?.cleanup())

  it('kill master: reads go on, writes fail fast, promote + re-point, no acknowledged write lost', async () => {
    const limits = { DB_ACQUIRE_TIMEOUT_MS: '1000', DB_CONNECT_TIMEOUT_MS: '1000' }
    const writerDb = t.writer(limits)
    const readerDb = t.reader(limits)
    const reads = readerRepos(readerDb)
    let writes = writerRepos(writerDb)

    // Reads in a loop for the whole test.
    let readsOk = 0
    const readErrors: unknown[] = []
    let reading = true
    const readLoop = (async () => {
      while (reading) {
        try {
          await reads.idps.lastSeen('d0.example')
          await reads.emails.exists('nobody@example.com')
          readsOk++
        } catch (e) {
          readErrors.push(e)
        }
        await new Promise((r) => setTimeout(r, 5))
      }
    })()

    // Writes in a loop; remember every acknowledged one.
    const acked: string[] = []
    let firstFailure: unknown
    let failedAt = 0
    let writing = true
    const writeLoop = (async () => {
      for (let i = 0; writing; i++) {
        const domain = `d${i}.example`
        try {
          await writes.idps.saw(domain)
          acked.push(domain)
        } catch (e) {
          firstFailure = e
          failedAt = performance.now()
          return
        }
      }
    })()

    while (acked.length < 200) await new Promise((r) => setTimeout(r, 10))
    const mroot = knexFactory({
      client: 'mysql2',
      connection: { socketPath: t.pair.master.socket, user: 'root' },
    })
    const st = rawRows(await mroot.raw("SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync_master_status'"))[0]
    await mroot.destroy()
    assert.equal(str(st, 'Value'), 'ON', 'semi-sync active before the kill')

    const killedAt = performance.now()
    t.pair.master.kill('SIGKILL')
    await t.pair.master.exited
    await within(writeLoop, 10000, 'the write loop')
    writing = false
    assert.ok(isPersonaError(firstFailure), `write failure is a PersonaError: ${String(firstFailure)}`)
    assert.equal(firstFailure.code, 'ERR_DATABASE_UNAVAILABLE')
    assert.equal(firstFailure.reason, 'database unavailable')
    assert.ok(failedAt >= killedAt)

    // A fresh write against the dead master also fails, and does not hang.
    const err = await within(
      writes.users.incrementFailedAuthTries(1).then(
        () => undefined,
        (e: unknown) => e,
      ),
      10000,
      'a write to the dead master',
    )
    assert.ok(isPersonaError(err) && err.code === 'ERR_DATABASE_UNAVAILABLE', String(err))
    const ping = await within(
      writerDb.ping().then(
        () => undefined,
        (e: unknown) => e,
      ),
      10000,
      'ping of the dead master',
    )
    assert.ok(isPersonaError(ping) && ping.code === 'ERR_DATABASE_UNAVAILABLE')

    // Reads keep working while the master is dead.
    const okBeforePromote = readsOk
    await new Promise((r) => setTimeout(r, 300))
    assert.ok(readsOk > okBeforePromote, 'reads continue after the kill')

    // Promote the replica, re-point the writer (as the writer service would on restart).
    await t.pair.promote()
    const w = dbEnv('WRITER')
    const newWriterDb = t.writer({
      ...limits,
      [w.host]: t.pair.replica.host,
      [w.port]: String(t.pair.replica.port),
    })
    writes = writerRepos(newWriterDb)
    await writes.idps.saw('after-failover.example')
    const gtid = await newWriterDb.lastGtid()
    await readerDb.waitFor(gtid)
    assert.ok((await reads.idps.lastSeen('after-failover.example')) instanceof Date)

    // Every acknowledged write survived.
    const present = new Set(
      rawRows(await readerDb.knex.raw('SELECT domain FROM idps')).map((r) => str(r, 'domain')),
    )
    const lost = acked.filter((d) => !present.has(d))
    assert.deepEqual(lost, [], `${lost.length} of ${acked.length} acknowledged writes lost`)

    reading = false
    await readLoop
    assert.equal(readErrors.length, 0, `failed reads: ${readErrors.map(String).join('; ')}`)
    assert.ok(readsOk > 0)
  })
})
