// SPDX-License-Identifier: MPL-2.0
// Bringing a fenced old master back as a replica, against real MariaDB servers: after a failover it
// follows the new master from what it held, read-only; when it committed a transaction no replica
// received (its history diverged from the new master's), it is refused, naming why, and left stopped
// replicating. The whole path under load, with the rebuild, runs in test/multi.
import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { freePort } from '@persona/kit'
import type { Knex } from 'knex'
import type { FailoverNode } from '../src/failover.ts'
import {
  connectReplica,
  createReplicationAccount,
  haveMariadb,
  initDataDirs,
  rootKnex,
  serverArgs,
  tmpDirOf,
  waitCaughtUp,
  waitReady,
} from '../src/launcher.ts'
import { promoteReplica } from '../src/promote.ts'
import { DivergedError, rejoin } from '../src/rejoin.ts'

const PASSWORD = 'rejoin-test-replication'

interface Server {
  readonly name: string
  readonly dir: string
  readonly port: number
  readonly serverId: number
  child?: ChildProcess
}

async function start(s: Server, role: 'master' | 'replica'): Promise<void> {
  await mkdir(tmpDirOf(s.dir), { recursive: true })
  const args = serverArgs({
    dataDir: s.dir,
    port: s.port,
    serverId: s.serverId,
    role,
    durable: false,
    semiSyncTimeoutMs: 1000,
  })
  const child = spawn('/usr/sbin/mariadbd', args, { stdio: 'ignore' })
  s.child = child
  let running = true
  child.once('exit', () => {
    running = false
  })
  await waitReady({
    name: s.name,
    socket: join(s.dir, 'mysqld.sock'),
    dataDir: s.dir,
    running: () => running,
  })
}

async function kill(s: Server): Promise<void> {
  const c = s.child
  if (c === undefined || c.exitCode !== null || c.signalCode !== null) return
  await new Promise<void>((r) => {
    c.once('exit', () => r())
    c.kill('SIGKILL')
  })
}

const sock = (s: Server) => join(s.dir, 'mysqld.sock')
const node = (s: Server): FailoverNode => ({
  name: s.name,
  host: '127.0.0.1',
  port: s.port,
  connect: () => rootKnex(sock(s)),
})
async function q<T>(s: Server, sql: string, bindings: readonly (string | number)[] = []): Promise<T[]> {
  const k = rootKnex(sock(s))
  try {
    return (await k.raw(sql, [...bindings]))[0] as T[]
  } finally {
    await k.destroy()
  }
}

/** A master `a` with replica `b` and a table, both caught up. */
async function pair(root: string, tag: string): Promise<[Server, Server]> {
  const a: Server = { name: `${tag}-a`, dir: join(root, `${tag}-a`), port: await freePort(), serverId: 11 }
  const b: Server = { name: `${tag}-b`, dir: join(root, `${tag}-b`), port: await freePort(), serverId: 12 }
  await initDataDirs(a.dir, b.dir)
  await Promise.all([start(a, 'master'), start(b, 'replica')])
  const ak = rootKnex(sock(a))
  const bk = rootKnex(sock(b))
  try {
    await createReplicationAccount(ak, PASSWORD)
    await ak.raw('CREATE DATABASE t')
    await ak.raw('CREATE TABLE t.x (id INT PRIMARY KEY, v VARCHAR(20))')
    await ak.raw("INSERT INTO t.x VALUES (1, 'before')")
    await connectReplica(bk, { host: '127.0.0.1', port: a.port }, PASSWORD)
    await waitCaughtUp(ak, bk)
  } finally {
    await Promise.all([ak.destroy(), bk.destroy()])
  }
  return [a, b]
}

/** Fails over from `a` to `b` as the CLI does: `a` fenced (killed), `b` promoted and written to. */
async function failOver(a: Server, b: Server, write: string): Promise<void> {
  await kill(a)
  const bk: Knex = rootKnex(sock(b))
  try {
    await promoteReplica(bk)
    await bk.raw('INSERT INTO t.x VALUES (?, ?)', [write === 'after' ? 2 : 3, write])
  } finally {
    await bk.destroy()
  }
}

describe('rejoin: a fenced old master back as a replica', {
  skip: haveMariadb() ? false : 'no MariaDB',
}, () => {
  let root = ''
  const servers: Server[] = []
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'persona-rejoin-'))
  })
  after(async () => {
    await Promise.all(servers.map(kill))
    if (root !== '') await rm(root, { recursive: true, force: true })
  })

  it('follows the new master from what it held, read-only, and gets what was written since', async () => {
    const [a, b] = await pair(root, 'clean')
    servers.push(a, b)
    await failOver(a, b, 'after')
    await start(a, 'replica')
    const r = await rejoin({ node: node(a), master: node(b), replicationPassword: PASSWORD })
    assert.match(r.from, /^0-11-\d+$/)
    const rows = await q<{ v: string }>(a, 'SELECT v FROM t.x ORDER BY id')
    assert.deepEqual(
      rows.map((x) => x.v),
      ['before', 'after'],
    )
    const [ro] = await q<{ ro: number }>(a, 'SELECT @@GLOBAL.read_only AS ro')
    assert.equal(Number(ro?.ro), 1)
    // And keeps following.
    await q(b, "INSERT INTO t.x VALUES (9, 'later')")
    const bk = rootKnex(sock(b))
    const ak = rootKnex(sock(a))
    try {
      await waitCaughtUp(bk, ak)
    } finally {
      await Promise.all([ak.destroy(), bk.destroy()])
    }
    assert.equal((await q(a, 'SELECT id FROM t.x WHERE id = 9')).length, 1)
  })

  it('refuses an old master that committed a transaction no replica received', async () => {
    const [a, b] = await pair(root, 'diverged')
    servers.push(a, b)
    // The replica stops receiving; the master commits once more (never acknowledged by a replica).
    await q(b, 'STOP SLAVE IO_THREAD')
    await q(a, "INSERT INTO t.x VALUES (5, 'lost')")
    await failOver(a, b, 'new')
    await start(a, 'replica')
    await assert.rejects(
      rejoin({ node: node(a), master: node(b), replicationPassword: PASSWORD, catchUpS: 5 }),
      (e: unknown) => {
        assert.ok(e instanceof DivergedError, String(e))
        assert.match(e.message, /diverged-a holds 0-11-\d+/)
        assert.match(e.message, /rebuild it from a copy of the master/)
        return true
      },
    )
    const [st] = await q<Record<string, string>>(a, 'SHOW SLAVE STATUS')
    assert.notEqual(
      st?.Slave_SQL_Running === 'Yes' && st?.Slave_IO_Running === 'Yes',
      true,
      'not replicating',
    )
    const [ro] = await q<{ ro: number }>(a, 'SELECT @@GLOBAL.read_only AS ro')
    assert.equal(Number(ro?.ro), 1, 'still read-only')
  })
})
