// SPDX-License-Identifier: MPL-2.0
// What a service's database pool tells the scraper: failed operations by class (persona_db_errors_total,
// from the pool's own events, so every statement counts whichever code ran it), whether the server
// answers (persona_db_up) and its GTID position (persona_db_gtid_sequence: the master's from a writer,
// the replica's from a reader; monitoring's GTID gap is their difference). The position is probed in the
// background, never during a scrape, so a dead database cannot make the process itself look down.
import { DB_ERROR_CLASSES, METRICS, type ServiceMetrics } from '@persona/kit'
import type { Db } from './db.ts'
import { parseGtidPos } from './gtid.ts'

/** How often the server's position is read (a scrape every 15 s sees one at most 5 s old). */
export const DB_PROBE_INTERVAL_MS = 5000

/** The metrics role label of a pool: the master for writer and admin pools, the replica for readers. */
export function dbRoleLabel(db: Db): 'master' | 'replica' {
  return db.role === 'READER' ? 'replica' : 'master'
}

/**
 * Counts `db`'s failures and probes its position every `intervalMs` until the returned stop is called
 * (the service calls it on close).
 */
export function registerDbMetrics(
  metrics: ServiceMetrics,
  db: Db,
  intervalMs = DB_PROBE_INTERVAL_MS,
): () => void {
  const role = dbRoleLabel(db)
  const errors = metrics.use(METRICS.db.errors)
  for (const cls of DB_ERROR_CLASSES) errors.inc({ role, class: cls }, 0)
  db.onError((cls) => errors.inc({ role, class: cls }))
  const up = metrics.use(METRICS.db.up)
  const sequence = metrics.use(METRICS.db.gtidSequence)
  let running = false
  const probe = async () => {
    if (running) return
    running = true
    try {
      const pos = parseGtidPos(await db.position())
      up.set({ role }, 1)
      sequence.reset()
      for (const [domain, seq] of pos ?? []) sequence.set({ role, domain_id: String(domain) }, Number(seq))
    } catch {
      // No stale position while the server does not answer: the gap is unknown, not zero.
      up.set({ role }, 0)
      sequence.reset()
    } finally {
      running = false
    }
  }
  void probe()
  const timer = setInterval(() => void probe(), intervalMs)
  timer.unref()
  return () => clearInterval(timer)
}
