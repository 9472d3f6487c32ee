// SPDX-License-Identifier: MPL-2.0
// Chromium and the machine's network changing under it. Other tests of `make test` create Docker
// networks and network namespaces meanwhile; Chromium watches the interfaces (netlink) and, when they
// change, aborts the requests under way with net::ERR_NETWORK_CHANGED, loopback ones included: a
// navigation, a dialog's wsapi call, a frame's load. So every Chromium the browser tests start runs with
// no-netlink.c preloaded (compiled once per source into the temp dir): it cannot open the watch, which
// Chromium answers by taking the network as always online, and aborts nothing.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const SOURCE = join(import.meta.dirname, 'no-netlink.c')

let shim: string | null | undefined

/**
 * The preload library's path, compiled on first use (cached by the source's hash; written under a
 * temporary name and renamed, so concurrent test runs never load a half-written file); null, said
 * once, without a C compiler (scripts/deps.sh test installs one).
 */
export function noNetlinkLibrary(log: (line: string) => void = console.log): string | null {
  if (shim === undefined) shim = buildLibrary(log)
  return shim
}

function buildLibrary(log: (line: string) => void): string | null {
  const source = readFileSync(SOURCE)
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 12)
  const dir = join(tmpdir(), `persona-no-netlink-${hash}`)
  const lib = join(dir, 'no-netlink.so')
  if (existsSync(lib)) return lib
  mkdirSync(dir, { recursive: true })
  const partial = `${lib}.${process.pid}.tmp`
  for (const cc of ['cc', 'gcc', 'clang']) {
    try {
      execFileSync(cc, ['-shared', '-fPIC', '-nostdlib', '-O2', '-o', partial, SOURCE], { stdio: 'pipe' })
      renameSync(partial, lib)
      return lib
    } catch {
      // the next compiler, if any
    }
  }
  log(
    'browser: no C compiler (scripts/deps.sh test installs gcc), so Chromium watches the network: a Docker network or namespace created meanwhile may abort its requests (net::ERR_NETWORK_CHANGED)',
  )
  return null
}

/** The environment to launch Chromium with: ours, plus the preload that hides network changes. */
export function chromiumEnv(log?: (line: string) => void): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v
  const lib = noNetlinkLibrary(log)
  if (lib !== null) env.LD_PRELOAD = [lib, env.LD_PRELOAD].filter(Boolean).join(' ')
  return env
}
