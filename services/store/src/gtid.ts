// SPDX-License-Identifier: MPL-2.0
// MariaDB GTID positions ("domain-server-seq" lists, e.g. `0-1-42`), parsed and compared without I/O.
// The read-your-writes path carries them from the writer to the reader (`x-persona-gtid`), so they
// are validated strictly before they reach SQL.

export const GTID_HEADER = 'x-persona-gtid'

const GTID_RE = /^\d{1,10}-\d{1,10}-\d{1,20}$/
const MAX_GTID_POS_LENGTH = 512

/** Per replication domain, the highest sequence number in `pos`; undefined when malformed. */
export function parseGtidPos(pos: string): Map<number, bigint> | undefined {
  if (pos.length > MAX_GTID_POS_LENGTH) return undefined
  const out = new Map<number, bigint>()
  const trimmed = pos.trim()
  if (trimmed === '') return out
  for (const part of trimmed.split(',')) {
    const g = part.trim()
    if (!GTID_RE.test(g)) return undefined
    const [domain, , seq] = g.split('-')
    if (domain === undefined || seq === undefined) return undefined
    const d = Number(domain)
    const s = BigInt(seq)
    const prev = out.get(d)
    if (prev === undefined || s > prev) out.set(d, s)
  }
  return out
}

/** True when `pos` is a well-formed, possibly empty, GTID position. */
export function isGtidPos(pos: string): boolean {
  return parseGtidPos(pos) !== undefined
}

/** True when position `have` already contains every transaction of `want` (per domain, seq >=). */
export function gtidReached(have: string, want: string): boolean {
  const h = parseGtidPos(have)
  const w = parseGtidPos(want)
  if (h === undefined || w === undefined) return false
  for (const [domain, seq] of w) {
    const got = h.get(domain)
    if (got === undefined || got < seq) return false
  }
  return true
}
