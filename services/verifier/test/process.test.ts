// SPDX-License-Identifier: MPL-2.0
// The verifier as a real process in both modes: one process per core (cluster) and one process with
// a thread pool; each answers /verify, and SIGTERM drains and leaves no worker behind.
import assert from 'node:assert/strict'
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { generateKeyPair } from '@persona/browserid'
import { freePort } from '@persona/kit'

const server = new URL('../src/server.ts', import.meta.url).pathname

function descendants(pid: number): number[] {
  try {
    const out = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
    return out.split('\n').filter(Boolean).map(Number)
  } catch {
    return []
  }
}

async function waitUp(url: string, child: ChildProcess): Promise<void> {
  // Generous: start-up time is the benchmarks' business; a loaded CI machine must not fail this.
  const until = Date.now() + 60_000
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`verifier exited with ${child.exitCode}`)
    try {
      if ((await fetch(url)).ok) return
    } catch {}
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error('verifier did not start')
}

for (const mode of ['cluster', 'pool'] as const) {
  test(`${mode} mode: answers, then drains on SIGTERM with no process left`, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'verifier-proc-'))
    t.after(() => rmSync(dir, { recursive: true, force: true }))
    const { publicKey } = await generateKeyPair('RS256')
    writeFileSync(join(dir, 'pub.json'), publicKey.serialize())
    const port = await freePort()
    const child = spawn(process.execPath, [server], {
      env: {
        ...process.env,
        LOG_LEVEL: 'warn',
        VERIFIER_PORT: String(port),
        VERIFIER_MODE: mode,
        VERIFIER_WORKERS: '2',
        PUBLIC_KEY_FILE: join(dir, 'pub.json'),
        ISSUER_DOMAIN: 'login.example',
        PROXY_URL: 'http://127.0.0.1:9',
      },
      stdio: 'ignore',
    })
    t.after(() => child.kill('SIGKILL'))
    await waitUp(`http://127.0.0.1:${port}/__heartbeat__`, child)
    const res = await fetch(`http://127.0.0.1:${port}/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ assertion: 'not.an~assertion', audience: 'https://rp.example' }),
    })
    assert.equal(res.status, 200)
    assert.equal((await res.json()).status, 'failure')
    const pid = child.pid ?? 0
    const kids = descendants(pid)
    assert.equal(kids.length, mode === 'cluster' ? 2 : 0)
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
    child.kill('SIGTERM')
    assert.equal(await exited, 0)
    for (const k of kids) {
      assert.throws(() => process.kill(k, 0), 'a cluster worker outlived the primary')
    }
  })
}
