// SPDX-License-Identifier: MPL-2.0
// HTTPS clients for the simulation, as a browser or relying site would be: the service name
// (login.persona.test) in the URL, TLS checked against the simulation's CA, and the address found by
// one of two lookups. `dnsAgent` asks the simulation's DNS and keeps an answer no longer than its TTL,
// spreading requests over the healthy clusters' addresses; `pinnedAgent` sends everything to one
// address (a deploy's smoke test talks to the cluster it just upgraded, a readiness probe to one host).

import type { LookupAddress, LookupOptions } from 'node:dns'
import type { Resolver } from 'node:dns/promises'
import { Agent } from 'undici'

type LookupCallback = (err: Error | null, address: string | LookupAddress[], family?: number) => void

function answer(opts: LookupOptions, address: string, cb: LookupCallback): void {
  if (opts.all === true) cb(null, [{ address, family: 4 }])
  else cb(null, address, 4)
}

export function pinnedAgent(address: string, ca: string): Agent {
  return new Agent({
    connect: {
      ca,
      timeout: 3000,
      lookup: (_host: string, opts: LookupOptions, cb: LookupCallback) => answer(opts, address, cb),
    },
    keepAliveTimeout: 2000,
  })
}

export interface DnsAgentStats {
  /** DNS queries sent (a cached answer sends none). */
  queries: number
  /** Addresses connected to, with counts. */
  readonly connects: Map<string, number>
}

/**
 * An agent whose every new connection resolves the name through `resolver`, reusing an answer until
 * its TTL runs out and picking among its addresses in turn. A drained cluster stops getting new
 * requests once DNS stops naming it and the TTL has passed.
 */
export function dnsAgent(resolver: Resolver, ca: string): { agent: Agent; stats: DnsAgentStats } {
  const cache = new Map<string, { addrs: string[]; until: number; next: number }>()
  const stats: DnsAgentStats = { queries: 0, connects: new Map() }
  const lookup = (host: string, opts: LookupOptions, cb: LookupCallback) => {
    const hit = cache.get(host)
    const pick = (e: { addrs: string[]; next: number }) => {
      const a = e.addrs[e.next++ % e.addrs.length] ?? ''
      stats.connects.set(a, (stats.connects.get(a) ?? 0) + 1)
      answer(opts, a, cb)
    }
    if (hit !== undefined && hit.until > Date.now()) return pick(hit)
    stats.queries++
    resolver.resolve4(host, { ttl: true }).then(
      (rs) => {
        if (rs.length === 0) return cb(new Error(`no address for ${host}`), '')
        const ttl = Math.min(...rs.map((r) => r.ttl))
        const e = { addrs: rs.map((r) => r.address), until: Date.now() + ttl * 1000, next: hit?.next ?? 0 }
        cache.set(host, e)
        pick(e)
      },
      (err: Error) => cb(err, ''),
    )
  }
  return {
    // No keep-alive: every request opens a connection, so every request looks the name up (the cache
    // above answers within the TTL), as a client behind DNS load balancing does across sessions.
    agent: new Agent({ connect: { ca, timeout: 3000, lookup }, pipelining: 0 }),
    stats,
  }
}
