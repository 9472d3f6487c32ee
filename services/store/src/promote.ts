// SPDX-License-Identifier: MPL-2.0
// Failover: turns the replica into a master. Everything the replica has received (with semi-sync, every
// acknowledged write) is applied first, then replication is removed and read_only lifted. The writer is
// then re-pointed by its env (DB_WRITER_HOST / DB_WRITER_PORT) and restarted; see docs/schema.md.
import type { Knex } from 'knex'
import { num, rawRows, str } from './rows.ts'

export interface PromoteResult {
  /** The GTID position the new master starts from. */
  readonly gtidPos: string
}

function field(row: unknown, key: string): string {
  if (typeof row !== 'object' || row === null) return ''
  const v = Reflect.get(row, key)
  return typeof v === 'string' ? v : ''
}

/**
 * Promotes the server `k` is connected to (needs SUPER or REPLICATION SLAVE ADMIN + READ_ONLY ADMIN:
 * root over the unix socket locally). Idempotent on an already promoted server.
 */
export async function promoteReplica(k: Knex, opts: { applyTimeoutS?: number } = {}): Promise<PromoteResult> {
  const status = rawRows(await k.raw('SHOW SLAVE STATUS'))[0]
  if (status !== undefined) {
    // No more events from the (dead) master; then drain the relay log.
    await k.raw('STOP SLAVE IO_THREAD')
    const received = field(rawRows(await k.raw('SHOW SLAVE STATUS'))[0], 'Gtid_IO_Pos')
    if (received !== '') {
      await k.raw('START SLAVE SQL_THREAD')
      const r = rawRows(
        await k.raw('SELECT MASTER_GTID_WAIT(?, ?) AS r', [received, opts.applyTimeoutS ?? 60]),
      )[0]
      if (num(r, 'r') !== 0) throw new Error(`replica could not apply received events up to ${received}`)
    }
    await k.raw('STOP SLAVE')
    await k.raw('RESET SLAVE ALL')
  }
  await k.raw('SET GLOBAL read_only = OFF')
  await k.raw('SET GLOBAL rpl_semi_sync_master_enabled = OFF')
  const pos = str(rawRows(await k.raw('SELECT @@GLOBAL.gtid_current_pos AS pos'))[0], 'pos')
  return { gtidPos: pos }
}
