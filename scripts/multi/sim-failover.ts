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
import { rootKnex, waitReady } from '@persona/store/launcher'
import { DivergedError, type RejoinResult, rejoin } from '@persona/store/rejoin'
import { DB_PORT, dataDirOf, dbSpec, dbTls, rebuildFromMaster, socketOf } from './db.ts'
import { repointMaster } from './dns.ts'
import { type Host, hostNamed, hostsOf, paths } from './plan.ts'
import { alive, startProc, stopProc } from './procs.ts'
import { moveMasterProbe, planOf, replicationPassword, type SimState, saveState } from './sim.ts'

const nodeOf = (state: SimState, h: Host): FailoverNode => ({
  name: h.name,
  host: h.address,
  port: DB_PORT,
  connect: () => rootKnex(socketOf(planOf(state), h)),
})

export interface Rejoined extends RejoinResult {
  readonly host: string
  /** How it came back: following the master from what it held, or rebuilt from a copy of the master. */
  readonly how: 'gtid' | 'rebuilt'
  /** What it held that the master never received (rebuilt only). */
  readonly discarded?: string
}

/**
 * `make rejoin`: brings fenced old masters back as replicas of the current master. Each is started
 * with a replica's settings (read-only, replication stopped) and checked to hold nothing the master
 * lacks; then attached over TLS, caught up, and put back under its cluster's replica name. One that
 * holds transactions the master never received (never acknowledged) is refused and stopped again,
 * still fenced, unless `rebuild` is set: then its data is replaced by a copy of the master's (those
 * unacknowledged transactions are discarded, and reported). `only` names one host; default every fenced one.
 */
export async function simRejoin(
  state: SimState,
  log: (line: string) => void,
  opts: { only?: string; rebuild?: boolean } = {},
): Promise<Rejoined[]> {
  const only = opts.only
  const plan = planOf(state)
  const names = only === undefined ? [...state.fenced] : [only]
  if (names.length === 0) throw new Error('no fenced host to rejoin')
  const master = hostNamed(plan, state.master)
  const tls = await dbTls(plan)
  const done: Rejoined[] = []
  for (const name of names) {
    if (!state.fenced.includes(name))
      throw new Error(`${name} is not fenced (fenced: ${state.fenced.join(', ') || 'none'})`)
    const h = hostNamed(plan, name)
    const key = `${h.name}/mariadbd`
    const running = state.pids[key]
    if (running !== undefined && alive(running)) await stopProc(running, 3000)
    // A replica's settings: read-only from its first connection, replication not started.
    const pid = startProc(dbSpec(plan, h, 'replica', tls), paths(state.opts.dir).logs)
    state.pids[key] = pid
    await saveState(state)
    await waitReady(
      { name: h.name, socket: socketOf(plan, h), dataDir: dataDirOf(plan, h), running: () => alive(pid) },
      60_000,
    )
    const attach = () =>
      replicationPassword(state).then((replicationPassword) =>
        rejoin({
          node: nodeOf(state, h),
          master: nodeOf(state, master),
          replicationPassword,
          replicationTlsCa: tls.caFile,
          log,
        }),
      )
    try {
      try {
        done.push({ ...(await attach()), host: h.name, how: 'gtid' })
      } catch (e) {
        if (!(e instanceof DivergedError) || opts.rebuild !== true) throw e
        log(`${h.name}: ${e.message}; rebuilding it from a copy of ${master.name}`)
        await stopProc(state.pids[key] ?? pid, 3000)
        state.pids[key] = await rebuildFromMaster(plan, master, h, tls)
        await saveState(state)
        done.push({ ...(await attach()), host: h.name, how: 'rebuilt', discarded: e.held })
      }
    } catch (e) {
      // Refused (or failed): stopped again, still fenced, out of every name.
      const p = state.pids[key]
      if (p !== undefined) await stopProc(p, 3000)
      delete state.pids[key]
      await saveState(state)
      throw e
    }
    state.fenced = state.fenced.filter((f) => f !== h.name)
    await saveState(state)
    // Back under its cluster's replica name (the zone leaves fenced hosts out).
    await repointMaster(plan, paths(state.opts.dir).dns, {
      master: master.address,
      fenced: state.fenced.map((f) => hostNamed(plan, f).address),
    })
  }
  return done
}

/** Fences the master, promotes the most advanced replica, moves the name. */
export async function simFailover(state: SimState, log: (line: string) => void): Promise<FailoverResult> {
  const plan = planOf(state)
  const old = hostNamed(plan, state.master)
  // Preference for a tie: the old master's cluster first (its writers' latency stays as it was).
  const replicas = hostsOf(plan, 'db')
    .filter((h) => h !== old && !state.fenced.includes(h.name))
    .sort((a, b) => Number(b.cluster === old.cluster) - Number(a.cluster === old.cluster))
  const node = (h: Host): FailoverNode => nodeOf(state, h)
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
