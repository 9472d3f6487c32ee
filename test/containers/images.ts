// SPDX-License-Identifier: MPL-2.0
// The images the container tests run, built once under the contract's names (`make images`: the
// images CLI, <registry>/persona-<part>:<version>); a second build in the same run is all cache.
import { execFile } from 'node:child_process'
import { mkdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { sourceVersion } from '@persona/deploy/images'

const run = promisify(execFile)
const ROOT = join(import.meta.dirname, '../..')

/** The version the working tree's images carry (git describe). */
export function imageVersion(): string {
  return sourceVersion(ROOT)
}

/**
 * One build at a time among the test files of a run (they run in parallel): the first builds, the
 * others wait and then find every layer cached. A lock left by a killed run expires after an hour.
 */
async function withBuildLock<T>(f: () => Promise<T>): Promise<T> {
  const lock = join(ROOT, '.tools', 'images-build.lock')
  mkdirSync(join(ROOT, '.tools'), { recursive: true })
  for (;;) {
    try {
      mkdirSync(lock)
      break
    } catch {
      try {
        if (Date.now() - statSync(lock).mtimeMs > 3600_000) rmSync(lock, { recursive: true, force: true })
      } catch {
        // gone meanwhile
      }
      await new Promise((r) => setTimeout(r, 2000))
    }
  }
  try {
    return await f()
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
}

/**
 * Builds every image (the development ones too) as persona.localhost/persona-<part>:<version>.
 * @returns the version
 */
export async function buildImages(): Promise<string> {
  return withBuildLock(build)
}

async function build(): Promise<string> {
  const version = imageVersion()
  const t0 = Date.now()
  try {
    await run(
      process.execPath,
      [join(ROOT, 'deploy/src/images-cli.ts'), 'build', '--dev', '--version', version],
      {
        cwd: ROOT,
        timeout: 40 * 60_000,
        maxBuffer: 64 * 1024 * 1024,
      },
    )
  } catch (e) {
    const o = typeof e === 'object' && e !== null ? e : {}
    const out = `${'stdout' in o ? String(o.stdout) : ''}${'stderr' in o ? String(o.stderr) : ''}`
    throw new Error(`make images failed: ${out.slice(-3000)}`)
  }
  process.stdout.write(`# images ${version} ready in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`)
  return version
}
