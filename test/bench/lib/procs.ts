// SPDX-License-Identifier: MPL-2.0
// Processes under benchmark: started as children, waited for, and charged CPU time (user + system, the
// process and all its descendants: cluster workers, nginx workers, compute-cluster children) from
// /proc, so a cost per request does not depend on what else shares the machine.
import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'

const TICK = 100 // USER_HZ on Linux

function children(pid: string): string[] {
  try {
    const kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)
    return kids.filter(Boolean).flatMap((k) => [k, ...children(k)])
  } catch {
    return []
  }
}

/** CPU seconds used so far by a process and its descendants (children that exited are not counted). */
export function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0
  const one = (p: string) => {
    try {
      const fields = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
      return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) / TICK
    } catch {
      return 0
    }
  }
  return [String(pid), ...children(String(pid))].reduce((sum, p) => sum + one(p), 0)
}

/** Peak resident memory (VmHWM) of a process and its descendants, MiB. */
export function peakMiB(pid: number | undefined): number {
  if (pid === undefined) return 0
  const hwm = (p: string) => {
    try {
      return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0)
    } catch {
      return 0
    }
  }
  return [String(pid), ...children(String(pid))].reduce((sum, p) => sum + hwm(p), 0) / 1024
}

export interface Started {
  readonly child: ChildProcess
  stop(): Promise<void>
}

/** Starts `cmd`, resolves once `probe` answers (any HTTP answer), rejects if it exits first. */
export async function start(
  cmd: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  probe: string,
  opts: { cwd?: string } = {},
): Promise<Started> {
  const child = spawn(cmd, args, {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
  })
  const exited = new Promise<void>((r) => child.once('exit', () => r()))
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`${cmd} ${args.join(' ')} exited with ${child.exitCode}`)
    try {
      await fetch(probe)
      break
    } catch (e) {
      if (i > 300) {
        child.kill('SIGKILL')
        throw e
      }
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  return {
    child,
    async stop() {
      if (child.exitCode !== null) return
      child.kill('SIGTERM')
      const t = setTimeout(() => child.kill('SIGKILL'), 5000)
      await exited
      clearTimeout(t)
    },
  }
}
