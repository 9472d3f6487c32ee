// SPDX-License-Identifier: MPL-2.0
// Bringing a fenced old master back as a replica of the current master (`make rejoin`). It must start
// read-only (a replica's server settings) so that it can never take a write, and it may only follow the
// new master if it holds nothing the new master lacks: a transaction it committed that no replica
// received (never acknowledged, or acknowledged only after the semi-sync timeout turned asynchronous)
// would make the two diverge. Such a server is refused, naming those transactions; rebuild it from a
// copy of the current master instead.
import type { Knex } from 'knex'
import type { FailoverNode } from './failover.ts'
import { gtidReached } from './gtid.ts'
import { connectReplica, waitCaughtUp } from './launcher.ts'
import { rawRows, str } from './rows.ts'

export interface RejoinOptions {
  /** The old master, running again with a replica's settings (read-only, replication not started). */
  readonly node: FailoverNode
  /** The current master, as the other replicas reach it. */
  readonly master: FailoverNode
  readonly replicationPassword: string
  /** Replicate over TLS, checking the master against this CA file. */
  readonly replicationTlsCa?: string
  /** How long the rejoined server may take to catch up (s). */
  readonly catchUpS?: number
  readonly log?: (line: string) => void
}

export interface RejoinResult {
  /** What the old server held when it came back. */
  readonly from: string
  /** The master's position it caught up with. */
  readonly caughtUp: string
  readonly ms: number
}

/** The old master holds transactions the current master never received. */
export class DivergedError extends Error {
  readonly node: string
  readonly held: string
  readonly masterHas: string
  constructor(node: string, held: string, masterHas: string, why = '') {
    super(
      `${node} holds ${held} but the master has ${masterHas || '(nothing)'}${why === '' ? '' : ` (${why})`}: it committed transactions no replica received, so it cannot follow the master; rebuild it from a copy of the master`,
    )
    this.name = 'DivergedError'
    this.node = node
    this.held = held
    this.masterHas = masterHas
  }
}

/** How long the replication threads may take to start (or to fail) after START SLAVE. */
const START_MS = 10_000

/**
 * Waits until both replication threads run; undefined then, else the server's reason (a GTID the
 * master's binary log does not hold, under gtid_strict_mode: a diverged history).
 */
async function started(k: Knex): Promise<string | undefined> {
  const until = Date.now() + START_MS
  for (;;) {
    const st = rawRows(await k.raw('SHOW SLAVE STATUS'))[0]
    const f = (key: string) =>
      typeof st === 'object' && st !== null ? String(Reflect.get(st, key) ?? '') : ''
    if (f('Slave_IO_Running') === 'Yes' && f('Slave_SQL_Running') === 'Yes') return undefined
    const error = f('Last_IO_Error') || f('Last_SQL_Error')
    if (error !== '' && f('Slave_IO_Running') !== 'Connecting') return error
    if (Date.now() > until) return error || `replication did not start in ${START_MS} ms`
    await new Promise((r) => setTimeout(r, 100))
  }
}

const pos = async (k: Knex, variable: 'gtid_binlog_pos' | 'gtid_current_pos'): Promise<string> =>
  str(rawRows(await k.raw(`SELECT @@GLOBAL.${variable} AS pos`))[0], 'pos')

/**
 * Makes `node` a replica of `master` once it is known to hold nothing the master lacks.
 * @throws {DivergedError} when it holds transactions the master never received (nothing is changed)
 */
export async function rejoin(opts: RejoinOptions): Promise<RejoinResult> {
  const log = opts.log ?? (() => {})
  const t0 = performance.now()
  const k = opts.node.connect()
  const m = opts.master.connect()
  try {
    // Read-only before anything else: a server about to follow a master never takes a write.
    await k.raw('SET GLOBAL read_only = ON')
    await k.raw('STOP SLAVE')
    const held = await pos(k, 'gtid_binlog_pos')
    const masterHas = await pos(m, 'gtid_binlog_pos')
    log(
      `${opts.node.name} holds ${held || '(nothing)'}; master ${opts.master.name} has ${masterHas || '(nothing)'}`,
    )
    if (!gtidReached(masterHas, held)) throw new DivergedError(opts.node.name, held, masterHas)
    // It goes on from what it holds (as a master it kept no replica position of its own).
    await k.raw('SET GLOBAL gtid_slave_pos = ?', [held])
    await connectReplica(k, opts.master, opts.replicationPassword, opts.replicationTlsCa)
    // Same sequence numbers, other transactions (the old master's unacknowledged commit and the new
    // master's first): the master's binary log lacks the GTID asked for, which the server refuses.
    const refused = await started(k)
    if (refused !== undefined) {
      await k.raw('STOP SLAVE')
      throw new DivergedError(opts.node.name, held, masterHas, refused)
    }
    await waitCaughtUp(m, k, opts.catchUpS ?? 60)
    const caughtUp = await pos(k, 'gtid_current_pos')
    log(`${opts.node.name} now replicates from ${opts.master.name}, caught up at ${caughtUp}`)
    return { from: held, caughtUp, ms: Math.round(performance.now() - t0) }
  } finally {
    await Promise.all([k.destroy(), m.destroy()])
  }
}
