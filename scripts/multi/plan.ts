// SPDX-License-Identifier: MPL-2.0
// The two-cluster simulation's layout, as data: clusters, their hosts (each a network namespace with
// its own address on one bridge), what each host class runs, and the names the simulation's DNS serves.
// Production's shape (issue 18): per cluster webheads, a dbwriter, a certifier and database hosts; one
// MariaDB master (first cluster) with replicas in every cluster; a load balancer per cluster standing in
// for the region's ALB; one DNS name for the clusters (Route 53 latency records, here PowerDNS).
import { join } from 'node:path'

export const SERVICE_NAME = 'login.persona.test'
export const VERIFIER_NAME = `verifier.${SERVICE_NAME}`
/** The internal zone: the master name every writer resolves, each cluster's replica name, SMTP. */
export const INTERNAL_ZONE = 'persona.internal'
export const MASTER_NAME = `db-master.${INTERNAL_ZONE}`
export const SMTP_NAME = `smtp.${INTERNAL_ZONE}`
export const replicaName = (cluster: string): string => `db-replica.${cluster}.${INTERNAL_ZONE}`

/** Seconds a resolver may keep login.persona.test (Route 53 latency records use 60; short here). */
export const SERVICE_TTL_S = 2
/** Seconds between the DNS server's health checks of each cluster. */
export const HEALTH_INTERVAL_S = 1
/** Seconds the master name may be cached: writers find a promoted master this quickly. */
export const MASTER_TTL_S = 1

export type HostKind = 'lb' | 'webhead' | 'dbwriter' | 'certifier' | 'db' | 'mail'

export interface Host {
  /** e.g. `a-web1`; unique in the simulation. */
  readonly name: string
  readonly cluster: string | undefined
  readonly kind: HostKind
  readonly address: string
  /** Network namespace name. */
  readonly ns: string
  /** Host side of its veth pair (<= 15 characters). */
  readonly veth: string
  /** MariaDB server id (db hosts). */
  readonly serverId?: number
}

export interface SimOptions {
  /** State directory (keys, secrets, data, logs, releases, state.json). */
  readonly dir: string
  /** Prefix of every namespace, link and process name this simulation creates (unique per run). */
  readonly prefix: string
  /** Second octet of 10.N.0.0/16, the simulation's network. */
  readonly octet: number
  /** DNS port on 127.0.0.1 (the bridge address always answers on 53 for the hosts' resolvers). */
  readonly dnsPort: number
  readonly clusters: readonly string[]
  readonly webheadsPerCluster: number
  /** bcrypt work factor (low in tests: the machine has 2 cores for 20-odd processes). */
  readonly bcryptRounds: number
}

export interface Plan {
  readonly opts: SimOptions
  /** The root namespace's address on the bridge (DNS listens here on 53; clients come from here). */
  readonly gateway: string
  readonly hosts: readonly Host[]
}

export function planFor(opts: SimOptions): Plan {
  const net = `10.${opts.octet}`
  const hosts: Host[] = []
  let n = 0
  const add = (h: Omit<Host, 'ns' | 'veth'>) => {
    n++
    hosts.push({ ...h, ns: `${opts.prefix}-${h.name}`, veth: `${opts.prefix}v${n}` })
  }
  add({ name: 'mail', cluster: undefined, kind: 'mail', address: `${net}.0.5` })
  opts.clusters.forEach((c, i) => {
    const sub = `${net}.${i + 1}`
    add({ name: `${c}-lb`, cluster: c, kind: 'lb', address: `${sub}.10` })
    for (let w = 1; w <= opts.webheadsPerCluster; w++) {
      add({ name: `${c}-web${w}`, cluster: c, kind: 'webhead', address: `${sub}.${10 + w}` })
    }
    add({ name: `${c}-writer`, cluster: c, kind: 'dbwriter', address: `${sub}.20` })
    add({ name: `${c}-certifier`, cluster: c, kind: 'certifier', address: `${sub}.21` })
    // The first cluster holds the master and a replica; every other cluster a replica.
    const dbs = i === 0 ? 2 : 1
    for (let d = 1; d <= dbs; d++) {
      add({
        name: `${c}-db${d}`,
        cluster: c,
        kind: 'db',
        address: `${sub}.${29 + d}`,
        serverId: (i + 1) * 10 + d,
      })
    }
  })
  return { opts, gateway: `${net}.0.1`, hosts }
}

export function hostsOf(plan: Plan, kind: HostKind, cluster?: string): Host[] {
  return plan.hosts.filter((h) => h.kind === kind && (cluster === undefined || h.cluster === cluster))
}

export function hostNamed(plan: Plan, name: string): Host {
  const h = plan.hosts.find((x) => x.name === name)
  if (h === undefined) throw new Error(`no host ${name} in the simulation`)
  return h
}

/** The first cluster's first db host: the master when the simulation starts. */
export function initialMaster(plan: Plan): Host {
  const first = plan.opts.clusters[0]
  const h = hostsOf(plan, 'db', first)[0]
  if (h === undefined) throw new Error('no db host in the first cluster')
  return h
}

/** Where things live under the state directory. */
export const paths = (dir: string) => ({
  state: join(dir, 'state.json'),
  /** The init job's secrets store: one directory per holder (Secrets Manager's part, every cluster's). */
  secrets: join(dir, 'secrets'),
  tls: join(dir, 'tls'),
  dns: join(dir, 'dns'),
  logs: join(dir, 'logs'),
  run: join(dir, 'run'),
  data: join(dir, 'data'),
  releases: join(dir, 'releases'),
  drain: (cluster: string) => join(dir, 'run', `${cluster}.drained`),
})
