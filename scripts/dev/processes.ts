// SPDX-License-Identifier: MPL-2.0
// Child processes of the local stack: each in its own process group (so a service's own children die
// with it), output split into lines, kept in a per-process log file, optionally echoed with a name
// prefix. Stopping sends SIGTERM to the group, then SIGKILL after a grace period. A detached watchdog
// kills every group if the launcher itself dies without cleaning up (kill -9, a crashed test runner).
import { type ChildProcess, spawn } from 'node:child_process'
import { createWriteStream, mkdirSync, type WriteStream, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

export interface ManagedProcess {
  readonly name: string
  readonly pid: number
  /** Resolves with the exit code (or the signal name) once the process has exited. */
  readonly exited: Promise<number | string>
  running(): boolean
  /** The last lines it printed, for error messages. */
  tail(n?: number): string[]
  /** SIGTERM to its group, SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>
}

export interface ProcessSetOptions {
  /** Directory for `<name>.log` files and the watchdog's pid list. */
  readonly logDir: string
  /** Print each line as `[name] line` (make dev). */
  readonly echo?: boolean
  /** Rewrites a line before echoing (e.g. compact JSON logs). */
  readonly format?: (line: string) => string
  /** Called when a process exits on its own (not through stop()). */
  readonly onUnexpectedExit?: (name: string, code: number | string) => void
}

const NAME_WIDTH = 12

/** Kills the process group of `pid`; false when it is already gone. */
function killGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal)
    return true
  } catch {
    return false
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0)
    return true
  } catch {
    return false
  }
}

// Every group started by any ProcessSet of this process, killed on exit whatever happens.
const allGroups = new Set<number>()
let exitHookInstalled = false
function installExitHook(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.on('exit', () => {
    for (const pid of allGroups) killGroup(pid, 'SIGKILL')
  })
}

/** Kills every listed process group once `parent` is gone; polls, since it cannot wait on a non-child. */
const WATCHDOG = `
const [parent, file] = process.argv.slice(1);
const fs = require('node:fs');
const alive = (p) => { try { process.kill(p, 0); return true } catch { return false } };
process.title = 'persona-dev-watchdog';
setInterval(() => {
  if (alive(Number(parent))) return;
  let pids = [];
  try { pids = fs.readFileSync(file, 'utf8').split(/\\s+/).filter(Boolean).map(Number) } catch {}
  for (const p of pids) { try { process.kill(-p, 'SIGKILL') } catch {} }
  process.exit(0);
}, 300);
`

export class ProcessSet {
  readonly #opts: ProcessSetOptions
  readonly #procs = new Map<string, ManagedProcess>()
  readonly #logs = new Map<string, WriteStream>()
  readonly #pidFile: string
  #watchdog: ChildProcess | undefined

  constructor(opts: ProcessSetOptions) {
    this.#opts = opts
    mkdirSync(opts.logDir, { recursive: true })
    this.#pidFile = join(opts.logDir, 'groups.pid')
    installExitHook()
  }

  #writePids(): void {
    const pids = [...this.#procs.values()].filter((p) => p.running()).map((p) => p.pid)
    writeFileSync(this.#pidFile, `${pids.join('\n')}\n`)
  }

  #ensureWatchdog(): void {
    if (this.#watchdog !== undefined) return
    const wd = spawn(process.execPath, ['-e', WATCHDOG, String(process.pid), this.#pidFile], {
      detached: true,
      stdio: 'ignore',
    })
    wd.unref()
    if (wd.pid !== undefined) allGroups.add(wd.pid)
    this.#watchdog = wd
  }

  /** Lines printed by the launcher itself, with the same prefix style. */
  say(name: string, line: string): void {
    if (this.#opts.echo) process.stdout.write(`${`[${name}]`.padEnd(NAME_WIDTH)} ${line}\n`)
    this.#log(name).write(`${line}\n`)
  }

  #log(name: string): WriteStream {
    let s = this.#logs.get(name)
    if (s === undefined) {
      s = createWriteStream(join(this.#opts.logDir, `${name}.log`), { flags: 'a' })
      this.#logs.set(name, s)
    }
    return s
  }

  start(
    name: string,
    command: string,
    args: readonly string[],
    opts: { env: Record<string, string>; cwd?: string },
  ): ManagedProcess {
    if (this.#procs.get(name)?.running()) throw new Error(`${name} is already running`)
    this.#ensureWatchdog()
    const child = spawn(command, args, {
      env: opts.env,
      cwd: opts.cwd,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const pid = child.pid
    if (pid === undefined) throw new Error(`${name}: could not start ${command}`)
    allGroups.add(pid)
    const lines: string[] = []
    const log = this.#log(name)
    const onLine = (line: string) => {
      lines.push(line)
      if (lines.length > 200) lines.shift()
      log.write(`${line}\n`)
      if (this.#opts.echo) {
        const shown = this.#opts.format ? this.#opts.format(line) : line
        process.stdout.write(`${`[${name}]`.padEnd(NAME_WIDTH)} ${shown}\n`)
      }
    }
    for (const stream of [child.stdout, child.stderr]) {
      if (stream !== null)
        createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on('line', onLine)
    }
    let done = false
    let stopping = false
    const exited = new Promise<number | string>((resolve) => {
      child.once('exit', (code, signal) => {
        done = true
        // The leader is gone; anything left in its group dies with it.
        killGroup(pid, 'SIGKILL')
        allGroups.delete(pid)
        this.#writePids()
        const result = code ?? signal ?? 'unknown'
        if (!stopping) this.#opts.onUnexpectedExit?.(name, result)
        resolve(result)
      })
      child.once('error', (e) => {
        done = true
        lines.push(`spawn failed: ${e.message}`)
        allGroups.delete(pid)
        resolve('spawn-error')
      })
    })
    const proc: ManagedProcess = {
      name,
      pid,
      exited,
      running: () => !done,
      tail: (n = 20) => lines.slice(-n),
      stop: async (graceMs = 8000) => {
        if (done) return
        stopping = true
        killGroup(pid, 'SIGTERM')
        const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), graceMs)
        await exited
        clearTimeout(timer)
        // Grandchildren that ignored SIGTERM (none expected) go too.
        if (groupAlive(pid)) killGroup(pid, 'SIGKILL')
      },
    }
    this.#procs.set(name, proc)
    this.#writePids()
    return proc
  }

  get(name: string): ManagedProcess | undefined {
    return this.#procs.get(name)
  }

  /** Pids of the processes still running. */
  pids(): number[] {
    return [...this.#procs.values()].filter((p) => p.running()).map((p) => p.pid)
  }

  /** Stops the named processes in order (each list entry in parallel), then the watchdog. */
  async stopAll(order: readonly (readonly string[])[] = []): Promise<void> {
    const named = new Set(order.flat())
    for (const batch of [...order, [...this.#procs.keys()].filter((n) => !named.has(n))]) {
      await Promise.all(batch.map((n) => this.#procs.get(n)?.stop()))
    }
    const wd = this.#watchdog
    if (wd?.pid !== undefined) {
      killGroup(wd.pid, 'SIGKILL')
      allGroups.delete(wd.pid)
    }
    this.#watchdog = undefined
    await Promise.all(
      [...this.#logs.values()].map((s) => new Promise<void>((resolve) => s.end(() => resolve()))),
    )
    this.#logs.clear()
  }
}
