// SPDX-License-Identifier: MPL-2.0
// Moto's server mode, the AWS emulator the stacks are applied against here (AWS itself cannot be
// reached): started from the virtualenv scripts/deps.sh makes (.tools/aws-venv), on a free loopback
// port, one process per run. ACM issues a requested certificate at once (MOTO_ACM_VALIDATION_WAIT=0):
// the emulator cannot validate through DNS, so that is what stands in for ACM's validation.
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from '@persona/kit/ports'

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
export const VENV = join(ROOT, '.tools', 'aws-venv')
export const MOTO_SERVER = join(VENV, 'bin', 'moto_server')
/** The AWS CLI of the same virtualenv (the host boot sandbox reads the emulator with it). */
export const AWS_CLI = join(VENV, 'bin', 'aws')

/** Credentials the emulator accepts (any); never real ones. */
export const EMULATOR_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_EC2_METADATA_DISABLED: 'true',
} as const

export interface Moto {
  readonly endpoint: string
  readonly port: number
  /** Every model of every service, as moto dumps them (`/moto-api/data.json`). */
  data(): Promise<Record<string, Record<string, unknown[]>>>
  stop(): Promise<void>
}

/** Why the emulator cannot start here, or undefined when it can. */
export function motoMissing(): string | undefined {
  return existsSync(MOTO_SERVER)
    ? undefined
    : `${MOTO_SERVER} is missing (bash scripts/deps.sh test installs it)`
}

/**
 * Starts moto on a free loopback port; `host` widens where it listens (the host boot sandbox reaches it
 * through its own network's gateway address).
 * @throws {Error} when it is not installed or does not answer within 60 s
 */
export async function startMoto(
  opts: { readonly host?: string; readonly port?: number } = {},
): Promise<Moto> {
  const missing = motoMissing()
  if (missing !== undefined) throw new Error(missing)
  const port = opts.port ?? (await freePort())
  const host = opts.host ?? '127.0.0.1'
  const child: ChildProcess = spawn(MOTO_SERVER, ['-H', host, '-p', String(port)], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      MOTO_ACM_VALIDATION_WAIT: '0',
      // Nothing here launches a public AMI: skip loading moto's catalogue of them (memory, start time).
      MOTO_EC2_LOAD_DEFAULT_AMIS: 'false',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr?.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString()).slice(-4000)
  })
  const endpoint = `http://${host}:${port}`
  const deadline = Date.now() + 60_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto exited ${child.exitCode}: ${stderr}`)
    try {
      const r = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(2000) })
      await r.arrayBuffer()
      if (r.ok) break
    } catch {
      // not yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`moto did not answer on ${endpoint}: ${stderr}`)
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  return {
    endpoint,
    port,
    data: async () => {
      const r = await fetch(`${endpoint}/moto-api/data.json`, { signal: AbortSignal.timeout(60_000) })
      return (await r.json()) as Record<string, Record<string, unknown[]>>
    },
    stop: async () => {
      if (child.exitCode !== null) return
      const exited = new Promise<void>((r) => child.once('exit', () => r()))
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
      await exited
      clearTimeout(timer)
    },
  }
}
