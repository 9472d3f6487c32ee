// SPDX-License-Identifier: MPL-2.0
// Processes of the simulation: each started detached (its own session and process group) inside its
// host's namespace, output appended to `logs/<host>.<name>.log`, its pid kept in the state file. They
// outlive the command that started them (`make multi` returns once ready); `make multi-down` and the
// namespace sweep (net.ts teardown) stop them. A part of Persona runs as the deployment contract's user
// (`runAs`, uid 1000) with no capabilities and no new privileges, as its container would.
import { spawn, spawnSync } from 'node:child_process'
import { closeSync, fchownSync, openSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { inNamespace } from './net.ts'

export interface ProcSpec {
  /** Host name (e.g. `a-web1`). */
  readonly host: string
  readonly ns: string
  /** Process name on its host (`reader`, `nginx`, ...). */
  readonly name: string
  readonly argv: readonly string[]
  readonly env: Readonly<Record<string, string>>
  readonly cwd: string
  /** URL that answers 2xx once the process is ready. */
  readonly ready?: string
  /** The user it runs as (the contract's RUN_AS), with no capabilities; absent: as this process. */
  readonly runAs?: RunAs
}

export interface RunAs {
  readonly uid: number
  readonly gid: number
}

/** The command that runs `argv` as `u`: no supplementary groups, capabilities or new privileges. */
export function asUser(u: RunAs | undefined, argv: readonly string[]): string[] {
  if (u === undefined) return [...argv]
  return [
    'setpriv',
    `--reuid=${u.uid}`,
    `--regid=${u.gid}`,
    '--clear-groups',
    '--no-new-privs',
    '--inh-caps=-all',
    '--bounding-set=-all',
    '--',
    ...argv,
  ]
}

/**
 * Whether `u` can run this Node and read `paths` (a checkout under a private home directory is out of
 * its reach): undefined when it can, else why not.
 */
export function cannotRunAs(u: RunAs, paths: readonly string[]): string | undefined {
  const [cmd, ...args] = asUser(u, [
    process.execPath,
    '-e',
    'for (const p of process.argv.slice(1)) require("node:fs").accessSync(p, require("node:fs").constants.R_OK)',
    ...paths,
  ])
  const r = spawnSync(cmd ?? 'setpriv', args, { encoding: 'utf8', timeout: 30_000 })
  if (r.status === 0) return undefined
  const why = `${r.stderr ?? ''}${r.error?.message ?? ''}`
    .trim()
    .split('\n')
    .find((l) => /EACCES|ENOENT|denied|error/i.test(l))
  return why ?? `exit ${r.status}`
}

export const procKey = (p: { host: string; name: string }): string => `${p.host}/${p.name}`

export function logFileOf(logDir: string, p: { host: string; name: string }): string {
  return join(logDir, `${p.host}.${p.name}.log`)
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** How the processes this process started ended (exit code or signal), by pid. */
const exitStatus = new Map<number, number | string>()

/** Starts `spec` detached in its namespace; returns its pid (the process group leader). */
export function startProc(spec: ProcSpec, logDir: string): number {
  const file = logFileOf(logDir, spec)
  const fd = openSync(file, 'a')
  try {
    // Its user may reopen its output (nginx opens /dev/stderr), as a container's own pipe.
    if (spec.runAs !== undefined) fchownSync(fd, spec.runAs.uid, spec.runAs.gid)
    const [cmd, ...args] = inNamespace(spec.ns, asUser(spec.runAs, spec.argv))
    if (cmd === undefined) throw new Error('empty command')
    const child = spawn(cmd, args, {
      env: { ...spec.env },
      cwd: spec.cwd,
      detached: true,
      stdio: ['ignore', fd, fd],
    })
    if (child.pid === undefined) throw new Error(`${procKey(spec)}: could not start ${spec.argv[0]}`)
    const pid = child.pid
    child.once('exit', (code, signal) => exitStatus.set(pid, code ?? signal ?? 'unknown'))
    child.unref()
    return pid
  } finally {
    closeSync(fd)
  }
}

/**
 * Runs a one-shot `spec` (e.g. the init job) to completion within `timeoutMs`.
 * @throws {Error} naming it, with its log's tail, when it fails
 */
export async function runOnce(spec: ProcSpec, logDir: string, timeoutMs = 120_000): Promise<void> {
  const pid = startProc(spec, logDir)
  const until = Date.now() + timeoutMs
  while (!exitStatus.has(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 50))
  if (!exitStatus.has(pid)) {
    await stopProc(pid, 1000)
    throw new Error(`${procKey(spec)} did not finish in ${timeoutMs} ms:\n  ${tailOf(logDir, spec)}`)
  }
  const status = exitStatus.get(pid)
  if (status !== 0) throw new Error(`${procKey(spec)} failed (exit ${status}):\n  ${tailOf(logDir, spec)}`)
}

/** SIGTERM to the process group, SIGKILL after `graceMs`; resolves once it is gone. */
export async function stopProc(pid: number, graceMs = 10_000): Promise<void> {
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-pid, s)
    } catch {
      try {
        process.kill(pid, s)
      } catch {
        // gone
      }
    }
  }
  if (!alive(pid)) return
  signal('SIGTERM')
  const until = Date.now() + graceMs
  while (alive(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 50))
  if (alive(pid)) signal('SIGKILL')
  while (alive(pid)) await new Promise((r) => setTimeout(r, 20))
}

/** The last lines of a process's log (for error messages). */
export function tailOf(logDir: string, p: { host: string; name: string }, n = 15): string {
  try {
    return readFileSync(logFileOf(logDir, p), 'utf8').trimEnd().split('\n').slice(-n).join('\n  ')
  } catch {
    return '(no log)'
  }
}

/** Polls `url` until it answers 2xx; fails early when `pid` exits or at `deadline`. */
export async function waitReady(
  spec: ProcSpec,
  pid: number,
  logDir: string,
  deadline: number,
  dispatcher?: unknown,
): Promise<void> {
  if (spec.ready === undefined) return
  let last = ''
  for (;;) {
    if (!alive(pid)) {
      throw new Error(`${procKey(spec)} exited before answering ${spec.ready}:\n  ${tailOf(logDir, spec)}`)
    }
    try {
      const init: RequestInit & { dispatcher?: unknown } = { signal: AbortSignal.timeout(2000) }
      if (dispatcher !== undefined) init.dispatcher = dispatcher
      const res = await fetch(spec.ready, init)
      await res.arrayBuffer()
      if (res.ok) return
      last = `status ${res.status}`
    } catch (e) {
      last = e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e)
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${procKey(spec)} did not answer ${spec.ready} in time (${last}):\n  ${tailOf(logDir, spec)}`,
      )
    }
    await new Promise((r) => setTimeout(r, 100))
  }
}
