// SPDX-License-Identifier: MPL-2.0
// Loopback ports: free ones for the dev stack, the launchers and tests that run beside `make dev`.
import { createServer } from 'node:net'

/** A TCP port that was free a moment ago on `host` (the OS picks it). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.unref()
    srv.once('error', reject)
    srv.listen(0, host, () => {
      const addr = srv.address()
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0
      srv.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port'))))
    })
  })
}

/** `n` distinct free ports. */
export async function freePorts(n: number, host = '127.0.0.1'): Promise<number[]> {
  const ports = new Set<number>()
  while (ports.size < n) ports.add(await freePort(host))
  return [...ports]
}

/** True when host:port cannot be bound (something holds it). */
export function isPortInUse(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer()
    srv.once('error', () => resolve(true))
    srv.listen(port, host, () => srv.close(() => resolve(false)))
  })
}
