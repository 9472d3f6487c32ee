// SPDX-License-Identifier: MPL-2.0
// Master failover across several replicas (the two-cluster simulation's `make failover`, and the same
// steps by hand in production): fence the old master first (never two writable masters), freeze every
// reachable replica's position, promote the one that has received the most (with semi-sync, it holds
// every acknowledged write), point the others at it, then move the master name. The caller supplies the
// fencing and the naming, since those go through the platform (a process kill, an instance stop, a DNS
// change), not through the database.
import type { Knex } from 'knex'
import { gtidReached } from './gtid.ts'
import { connectReplica } from './launcher.ts'
import { promoteReplica } from './promote.ts'
import { rawRows, str } from './rows.ts'

export interface FailoverNode {
  readonly name: string
  /** Where other servers reach it (CHANGE MASTER TO). */
  readonly host: string
  readonly port: number
  /** A root connection (unix socket) opened on demand; closed by the failover. */
  connect(): Knex
}

export interface FailoverOptions {
  /** Every replica that may take over, in order of preference for a tie. */
  readonly replicas: readonly FailoverNode[]
  /** Makes the old master unable to accept writes (stopped, or read-only and unreachable to writers). */
  readonly fence: () => Promise<string>
  /** Points the master name at the promoted node; writers follow on their next connection. */
  readonly repoint: (node: FailoverNode) => Promise<void>
  readonly replicationPassword: string
  /** Replicate over TLS, checking the new master against this CA file. */
  readonly replicationTlsCa?: string
  readonly log?: (line: string) => void
}

export interface FailoverResult {
  readonly promoted: string
  readonly fencedBy: string
  readonly gtidPos: string
  readonly repointed: readonly string[]
  readonly skipped: readonly string[]
  /** ms spent in each step, for the operator and the fault tests. */
  readonly ms: { readonly fence: number; readonly promote: number; readonly total: number }
}

interface Candidate {
  readonly node: FailoverNode
  readonly knex: Knex
  /** Everything it has received from the old master (applied or still in its relay log). */
  readonly received: string
}

function field(row: unknown, key: string): string {
  if (typeof row !== 'object' || row === null) return ''
  const v = Reflect.get(row, key)
  return typeof v === 'string' ? v : ''
}

/** Stops a replica's IO thread and reads what it has received; undefined when unreachable. */
async function freeze(node: FailoverNode, log: (l: string) => void): Promise<Candidate | undefined> {
  const knex = node.connect()
  try {
    await knex.raw('STOP SLAVE IO_THREAD')
    const status = rawRows(await knex.raw('SHOW SLAVE STATUS'))[0]
    const current = str(rawRows(await knex.raw('SELECT @@GLOBAL.gtid_current_pos AS pos'))[0], 'pos')
    const io = field(status, 'Gtid_IO_Pos')
    // The IO position alone can lag the applied one after a restart: take whichever holds more.
    const received = io !== '' && gtidReached(io, current) ? io : current
    log(`${node.name}: received ${received || '(nothing)'}`)
    return { node, knex, received }
  } catch (e) {
    log(`${node.name}: unreachable (${e instanceof Error ? e.message : String(e)}), left out`)
    await knex.destroy()
    return undefined
  }
}

/** The candidate whose received position contains every other's (the first such, by preference). */
export function mostAdvanced<T extends { received: string }>(candidates: readonly T[]): T | undefined {
  const best = candidates.find((c) => candidates.every((o) => gtidReached(c.received, o.received)))
  if (best !== undefined) return best
  // Diverged positions (several domains): the one ahead in the most domains, first by preference.
  const score = (c: T) => candidates.filter((o) => gtidReached(c.received, o.received)).length
  return [...candidates].sort((a, b) => score(b) - score(a))[0]
}

/**
 * Fences the old master, promotes the most advanced replica and repoints the rest.
 * @throws when fencing fails (nothing is promoted then) or no replica is reachable
 */
export async function failover(opts: FailoverOptions): Promise<FailoverResult> {
  const log = opts.log ?? (() => {})
  const t0 = performance.now()
  // 1. Fence first: if the old master cannot be made unwritable, promoting would split the brain.
  const fencedBy = await opts.fence()
  const tFence = performance.now()
  log(`old master fenced (${fencedBy})`)
  const frozen = (await Promise.all(opts.replicas.map((n) => freeze(n, log)))).filter(
    (c): c is Candidate => c !== undefined,
  )
  try {
    const chosen = mostAdvanced(frozen)
    if (chosen === undefined) throw new Error('no replica is reachable: nothing to promote')
    log(`promoting ${chosen.node.name} (most advanced: ${chosen.received || 'empty'})`)
    const { gtidPos } = await promoteReplica(chosen.knex)
    const tPromote = performance.now()
    // 2. The other replicas follow it (they catch up by GTID), semi-sync on again so the writes that
    // come next are acknowledged by a replica too; then the name moves and writers come.
    const repointed: string[] = []
    const skipped: string[] = []
    for (const c of frozen) {
      if (c === chosen) continue
      try {
        await connectReplica(c.knex, chosen.node, opts.replicationPassword, opts.replicationTlsCa)
        repointed.push(c.node.name)
        log(`${c.node.name} now replicates from ${chosen.node.name}`)
      } catch (e) {
        skipped.push(c.node.name)
        log(`${c.node.name}: could not repoint (${e instanceof Error ? e.message : String(e)})`)
      }
    }
    if (repointed.length > 0) await chosen.knex.raw('SET GLOBAL rpl_semi_sync_master_enabled = ON')
    await opts.repoint(chosen.node)
    log(`master name now points at ${chosen.node.name}`)
    for (const n of opts.replicas) if (!frozen.some((c) => c.node === n)) skipped.push(n.name)
    const total = performance.now()
    return {
      promoted: chosen.node.name,
      fencedBy,
      gtidPos,
      repointed,
      skipped,
      ms: {
        fence: Math.round(tFence - t0),
        promote: Math.round(tPromote - tFence),
        total: Math.round(total - t0),
      },
    }
  } finally {
    await Promise.all(frozen.map((c) => c.knex.destroy()))
  }
}
