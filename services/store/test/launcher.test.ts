// SPDX-License-Identifier: MPL-2.0
// The launcher: stop leaves no mariadbd behind; `reuse` restarts existing data; servers die with the
// process that started them, whether it exits normally or is SIGKILLed (watchdog).
import assert from 'node:assert/strict'
import { execFile, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { promisify } from 'node:util'
import { DB_ACCOUNTS } from '../src/config.ts'
import { openDb } from '../src/db.ts'
import { startDatabases } from '../src/launcher.ts'
import { readerRepos, writerRepos } from '../src/repos/index.ts'
import { PASSWORDS, SKIP } from './pair.ts'

const run = promisify(execFile)

/** mariadbd processes whose command line names `dir`. */
async function serversIn(dir: string): Promise<string[]> {
  try {
    const { stdout } = await run('pgrep', ['-f', `mariadbd.*--datadir=${dir}/`])
    return stdout
      .trim()
      .split('\n')
      .filter((l) => l !== '')
  } catch {
    return [] // pgrep exits 1 when nothing matches
  }
}

async function until(cond: () => Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (await cond()) return true
    await new Promise((r) => setTimeout(r, 100))
  }
  return cond()
}

describe('launcher', { skip: SKIP }, () => {
  const dirs: string[] = []
  const tmp = async () => {
    const d = await mkdtemp(join(tmpdir(), 'persona-launch-'))
    dirs.push(d)
    return d
  }
  after(async () => {
    for (const d of dirs) {
      for (const pid of await serversIn(d)) process.kill(Number(pid), 'SIGKILL')
      await rm(d, { recursive: true, force: true })
    }
  })

  it('starts a pair, stop() leaves no mariadbd, reuse restarts the same data', async () => {
    const dir = await tmp()
    const pair = await startDatabases({ dir, passwords: PASSWORDS })
    assert.equal((await serversIn(dir)).length, 2)
    assert.ok(pair.startMs > 0)
    const settings = (at: { host: string; port: number }) => ({
      host: at.host,
      port: at.port,
      user: DB_ACCOUNTS.WRITER,
      password: PASSWORDS.writer,
      database: pair.database,
    })
    const w = openDb('WRITER', settings(pair.master))
    await writerRepos(w).idps.saw('kept.example')
    await w.close()
    await pair.stop()
    await pair.stop() // idempotent
    assert.deepEqual(await serversIn(dir), [])
    assert.equal(pair.master.running(), false)
    assert.equal(pair.replica.running(), false)

    const again = await startDatabases({ dir, passwords: PASSWORDS, reuse: true })
    try {
      assert.equal(again.master.port, pair.master.port, 'ports kept across restarts')
      const r = openDb('READER', {
        ...settings(again.replica),
        user: DB_ACCOUNTS.READER,
        password: PASSWORDS.reader,
      })
      try {
        assert.ok(
          (await readerRepos(r).idps.lastSeen('kept.example')) instanceof Date,
          'data survived on the replica',
        )
      } finally {
        await r.close()
      }
    } finally {
      await again.stop()
    }
    assert.deepEqual(await serversIn(dir), [])
  })

  for (const how of ['exits without stopping', 'is SIGKILLed'] as const) {
    it(`no mariadbd remains when the starting process ${how}`, async () => {
      const dir = await tmp()
      const script = `
        import { startDatabases } from ${JSON.stringify(new URL('../src/launcher.ts', import.meta.url).href)}
        await startDatabases({ dir: ${JSON.stringify(dir)}, passwords: ${JSON.stringify(PASSWORDS)} })
        console.log('ready')
        process.stdin.once('data', () => process.exit(3))
      `
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
        stdio: ['pipe', 'pipe', 'inherit'],
      })
      const ready = await new Promise<boolean>((res) => {
        child.stdout.on('data', (b: Buffer) => {
          if (b.toString().includes('ready')) res(true)
        })
        child.once('exit', () => res(false))
      })
      assert.equal(ready, true)
      assert.equal((await serversIn(dir)).length, 2)
      if (how === 'is SIGKILLed') child.kill('SIGKILL')
      else child.stdin.write('exit\n')
      await new Promise((res) =>
        child.exitCode !== null || child.signalCode !== null ? res(null) : child.once('exit', res),
      )
      assert.equal(await until(async () => (await serversIn(dir)).length === 0, 15000), true, 'servers gone')
    })
  }
})
