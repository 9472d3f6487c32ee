// SPDX-License-Identifier: MPL-2.0
// A real image registry for the tests: Debian's docker-registry (the CNCF distribution registry) serving
// a scratch directory on a loopback port, filled by `make push` as an operator fills theirs.
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { freePort } from '@persona/kit'

const run = promisify(execFile)
const ROOT = join(import.meta.dirname, '../..')

export interface Registry {
  /** host:port, the REGISTRY of `make push`. */
  readonly address: string
  readonly port: number
  stop(): void
}

export async function startRegistry(dir: string): Promise<Registry> {
  const port = await freePort()
  mkdirSync(join(dir, 'data'), { recursive: true })
  const config = join(dir, 'config.yml')
  writeFileSync(
    config,
    [
      'version: 0.1',
      'log: { level: warn }',
      `storage: { filesystem: { rootdirectory: ${join(dir, 'data')} }, delete: { enabled: true } }`,
      `http: { addr: 127.0.0.1:${port} }`,
      '',
    ].join('\n'),
  )
  const child: ChildProcess = spawn('docker-registry', ['serve', config], {
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr?.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString()).slice(-2000)
  })
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited: ${stderr}`)
    try {
      if ((await fetch(`http://127.0.0.1:${port}/v2/`)).ok) break
    } catch {
      // not yet
    }
    if (i > 100) throw new Error(`docker-registry did not answer: ${stderr}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  return { address: `127.0.0.1:${port}`, port, stop: () => child.kill('SIGTERM') }
}

/** `make push REGISTRY=... VERSION=...`, as an operator runs it. */
export async function makePush(registry: string, version: string): Promise<void> {
  try {
    await run('make', ['-s', '-C', ROOT, 'push', `REGISTRY=${registry}`, `VERSION=${version}`], {
      timeout: 40 * 60_000,
      maxBuffer: 64 * 1024 * 1024,
    })
  } catch (e) {
    const o = typeof e === 'object' && e !== null ? e : {}
    throw new Error(
      `make push: ${'stdout' in o ? String(o.stdout) : ''}${'stderr' in o ? String(o.stderr) : String(e)}`,
    )
  }
}
