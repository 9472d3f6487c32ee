// SPDX-License-Identifier: MPL-2.0
// A logger destination that keeps every JSON line, so tests can read the proxy's events back.
import { Writable } from 'node:stream'

export function logSink() {
  const lines: Record<string, unknown>[] = []
  const stream = new Writable({
    write(chunk, _e, cb) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l))
      cb()
    },
  })
  return { lines, logger: { level: 'info', stream } }
}
