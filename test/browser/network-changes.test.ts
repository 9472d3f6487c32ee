// SPDX-License-Identifier: MPL-2.0
// The browser tests' Chromium does not notice the machine's network changing (network-changes.ts): in a
// network namespace of its own (so no other test sees it), an interface comes up while a request is
// under way. Chromium as it comes notices (it goes online, which is what aborts requests with
// ERR_NETWORK_CHANGED); the tests' Chromium notices nothing and the request completes.
import assert from 'node:assert/strict'
import { execFile, execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { promisify } from 'node:util'
import { SKIP_CHROMIUM } from './harness.ts'
import { noNetlinkLibrary } from './network-changes.ts'

const run = promisify(execFile)
const PROBE = join(import.meta.dirname, 'network-change-probe.ts')

function privateNamespaces(): string | false {
  try {
    execFileSync('unshare', ['-n', 'ip', 'link', 'set', 'lo', 'up'], { stdio: 'pipe' })
    return false
  } catch {
    return 'no private network namespace here (needs unshare, iproute2 and root)'
  }
}

interface Probe {
  readonly onLineBefore: boolean
  readonly onLineAfter: boolean
  readonly events: readonly string[]
  readonly request: string
}

async function probe(mode: 'guarded' | 'bare'): Promise<Probe> {
  const r = await run('unshare', ['-n', process.execPath, PROBE, mode], { timeout: 120_000 })
  const line = r.stdout.trim().split('\n').at(-1) ?? ''
  return JSON.parse(line) as Probe
}

describe('Chromium and network changes', () => {
  const skip = SKIP_CHROMIUM || privateNamespaces()
  it('Chromium as it comes notices a new interface; the tests’ Chromium does not', {
    skip,
    timeout: 240_000,
  }, async (t) => {
    if (noNetlinkLibrary((line) => t.diagnostic(line)) === null)
      return t.skip('no C compiler for the preload')
    const bare = await probe('bare')
    assert.ok(
      bare.events.length > 0 || bare.onLineBefore !== bare.onLineAfter,
      `the probe cannot see Chromium notice the change: ${JSON.stringify(bare)}`,
    )
    const guarded = await probe('guarded')
    assert.deepEqual(guarded.events, [], JSON.stringify(guarded))
    assert.equal(guarded.onLineBefore, true)
    assert.equal(guarded.onLineAfter, true)
    assert.equal(guarded.request, 'ok')
  })
})
