// SPDX-License-Identifier: MPL-2.0
// `make failover` for the simulation: the store's failover steps with the simulation's platform
// actions. Fencing goes through the control plane, not the network: the old master's mariadbd is
// stopped by its pid, as an instance would be stopped through the cloud's API, so it is fenced even
// when nothing can reach it over the network. The master name moves in the DNS zone.
//
// Automatic detection (`--watch`): one decider, this control plane, watches the master through its
// socket and its process; after `misses` failed checks in a row it fails over. It cannot split the
// brain because promotion only follows a confirmed fence (the process is gone), and a watcher that
// cannot fence (no control over the old master) promotes nothing.

import { type FailoverNode, type FailoverResult, failover } from '@persona/store/failover'
import { rootKnex } from '@persona/store/launcher'
import { DB_PORT, dbTls, socketOf } from './db.ts'
import { repointMaster } from './dns.ts'
import { type Host, hostNamed, hostsOf, paths } from './plan.ts'
import { alive, stopProc } from './procs.ts'
import { moveMasterProbe, planOf, replicationPassword, type SimState, saveState } from './sim.ts'

/** Fences the master, promotes the most advanced replica, moves the name. */
export async function simFailover(state: SimState, log: (line: string) => void): Promise<FailoverResult> {
  const plan = planOf(state)
  const old = hostNamed(plan, state.master)
  // Preference for a tie: the old master's cluster first (its writers' latency stays as it was).
  const replicas = hostsOf(plan, 'db')
    .filter((h) => h !== old && !state.fenced.includes(h.name))
    .sort((a, b) => Number(b.cluster === old.cluster) - Number(a.cluster === old.cluster))
  const node = (h: Host): FailoverNode => ({
    name: h.name,
    host: h.address,
    port: DB_PORT,
    connect: () => rootKnex(socketOf(plan, h)),
  })
  const byName = new Map(replicas.map((h) => [h.name, h]))
  const result = await failover({
    replicas: replicas.map(node),
    replicationPassword: await replicationPassword(state),
    replicationTlsCa: (await dbTls(plan)).caFile,
    log,
    fence: async () => {
      const key = `${old.name}/mariadbd`
      const pid = state.pids[key]
      state.fenced.push(old.name)
      await saveState(state)
      if (pid === undefined || !alive(pid)) return `${old.name} was already stopped`
      await stopProc(pid, 3000)
      delete state.pids[key]
      return `${old.name} stopped through the control plane`
    },
    repoint: async (n) => {
      const h = byName.get(n.name)
      if (h === undefined) throw new Error(`unknown node ${n.name}`)
      state.master = h.name
      await saveState(state)
      await repointMaster(plan, paths(state.opts.dir).dns, {
        master: h.address,
        fenced: state.fenced.map((f) => hostNamed(plan, f).address),
      })
      // The monitoring's master probe follows the master name.
      await moveMasterProbe(plan, h.name)
    },
  })
  await saveState(state)
  return result
}

/** Whether the master answers through its socket within `timeoutMs`. */
async function masterAnswers(state: SimState, timeoutMs: number): Promise<boolean> {
  const plan = planOf(state)
  const h = hostNamed(plan, state.master)
  const pid = state.pids[`${h.name}/mariadbd`]
  if (pid === undefined || !alive(pid)) return false
  const k = rootKnex(socketOf(plan, h))
  try {
    await Promise.race([
      k.raw('SELECT 1'),
      new Promise((_, rej) => setTimeout(() => rej(new Error('timeout')), timeoutMs)),
    ])
    return true
  } catch {
    return false
  } finally {
    await k.destroy()
  }
}

export interface Watcher {
  /** Resolves with the failover's result once one has happened. */
  readonly failedOver: Promise<FailoverResult & { detectedAfterMs: number }>
  stop(): void
}

/** Watches the master; fails over after `misses` failed checks `intervalMs` apart. */
export function watchMaster(
  state: SimState,
  log: (line: string) => void,
  opts: { intervalMs?: number; misses?: number } = {},
): Watcher {
  const interval = opts.intervalMs ?? 500
  const misses = opts.misses ?? 3
  let stopped = false
  const failedOver = (async () => {
    let missed = 0
    let firstMiss = 0
    for (;;) {
      if (stopped) throw new Error('watcher stopped')
      const ok = await masterAnswers(state, interval)
      if (ok) missed = 0
      else {
        if (missed === 0) firstMiss = performance.now()
        missed++
        log(`master ${state.master} did not answer (${missed}/${misses})`)
      }
      if (missed >= misses) {
        const detectedAfterMs = Math.round(performance.now() - firstMiss)
        const r = await simFailover(state, log)
        return { ...r, detectedAfterMs }
      }
      await new Promise((r) => setTimeout(r, interval))
    }
  })()
  failedOver.catch(() => {})
  return {
    failedOver,
    stop: () => {
      stopped = true
    },
  }
}
