// SPDX-License-Identifier: MPL-2.0
// `node scripts/dev.ts` (what `make dev` runs) as a user runs it, on free ports and a temp state dir:
// it prints the ready line, SIGTERM stops every process it started, and if it is killed outright
// (SIGKILL, no clean-up) the watchdogs still leave nothing behind.
import assert from 'node:assert/strict'
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { freePorts, SERVICE_SPECS, SERVICES } from '@persona/kit'
import { ROOT } from '../../scripts/dev/web.ts'

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Pids of processes whose command line mentions `dir` (nginx, mariadbd and its watchdog). */
function pidsMentioning(dir: string): number[] {
  try {
    return execFileSync('pgrep', ['-f', dir], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l !== '')
      .map(Number)
      .filter((p) => p !== process.pid)
  } catch {
    return []
  }
}

async function startDev(dir: string): Promise<{ child: ChildProcess; output: () => string }> {
  const ports = await freePorts(SERVICES.length + 5)
  const take = () => String(ports.shift())
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    PERSONA_DEV_DIR: dir,
    WEB_DIST_DIR: join(dir, 'web'),
    NGINX_PORT: take(),
    MAILCATCHER_SMTP_PORT: take(),
    MAILCATCHER_HTTP_PORT: take(),
    RP_PORT: take(),
    TEST_IDP_PORT: take(),
    BCRYPT_ROUNDS: '4',
    LOG_LEVEL: 'warn',
    NGINX_VERIFY_RATE: '7',
  }
  for (const svc of SERVICES) env[SERVICE_SPECS[svc].portEnv] = take()
  const child = spawn(process.execPath, [join(ROOT, 'scripts', 'dev.ts')], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString()
  })
  child.stderr?.on('data', (c: Buffer) => {
    out += c.toString()
  })
  const deadline = Date.now() + 180_000
  while (!out.includes('Persona is ready at http://127.0.0.1:')) {
    if (child.exitCode !== null) throw new Error(`dev.ts exited ${child.exitCode}:\n${out}`)
    if (Date.now() > deadline) throw new Error(`dev.ts not ready:\n${out}`)
    await new Promise((r) => setTimeout(r, 200))
  }
  return { child, output: () => out }
}

async function groupPids(dir: string): Promise<number[]> {
  const text = await readFile(join(dir, 'logs', 'groups.pid'), 'utf8')
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map(Number)
}

async function waitGone(pids: readonly number[], ms: number): Promise<number[]> {
  const deadline = Date.now() + ms
  for (;;) {
    const left = pids.filter(alive)
    if (left.length === 0 || Date.now() > deadline) return left
    await new Promise((r) => setTimeout(r, 200))
  }
}

describe('make dev (scripts/dev.ts)', () => {
  let dir: string | undefined
  const children: ChildProcess[] = []
  after(async () => {
    for (const c of children) if (c.exitCode === null && c.pid !== undefined) c.kill('SIGKILL')
    if (dir !== undefined) {
      await waitGone(pidsMentioning(dir), 20_000)
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('prints the ready line and stops everything on SIGTERM', async () => {
    dir = await mkdtemp(join(tmpdir(), 'persona-devcli-'))
    const { child, output } = await startDev(dir)
    children.push(child)
    const pids = [...(await groupPids(dir)), ...pidsMentioning(dir)]
    assert.ok(pids.length >= SERVICES.length + 3, `pids ${pids.join(',')}`)
    assert.ok(pids.every(alive))
    // NGINX_VERIFY_RATE is /verify's per-address limit.
    const conf = await readFile(join(dir, 'nginx', 'nginx.conf'), 'utf8')
    assert.match(conf, /zone=persona_verify:10m rate=7r\/s/)
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
    child.kill('SIGTERM')
    assert.equal(await exited, 0, output())
    assert.match(output(), /stopped/)
    assert.deepEqual(await waitGone(pids, 5000), [])
  })

  it('refuses an NGINX_VERIFY_RATE that is not a number, before starting anything', () => {
    const run = spawnSync(process.execPath, [join(ROOT, 'scripts', 'dev.ts')], {
      env: { PATH: process.env.PATH ?? '', NGINX_VERIFY_RATE: 'lots', PERSONA_DEV_DIR: '/nonexistent/x' },
      encoding: 'utf8',
      timeout: 30_000,
    })
    assert.equal(run.status, 2, run.stderr)
    assert.match(run.stderr, /NGINX_VERIFY_RATE: "lots" is not a number of requests per second/)
  })

  it('leaves nothing behind even when killed with SIGKILL (watchdogs)', async () => {
    assert.ok(dir)
    const { child } = await startDev(dir)
    children.push(child)
    const pids = [...(await groupPids(dir)), ...pidsMentioning(dir)]
    assert.ok(pids.length >= SERVICES.length + 3)
    child.kill('SIGKILL')
    assert.deepEqual(await waitGone(pids, 20_000), [])
  })
})
