// SPDX-License-Identifier: MPL-2.0
// One data plane across clusters: one MariaDB master, in the home cluster (the first of CLUSTERS), with
// replicas in every cluster; one set of secrets (one database, one signing key, one session secret),
// made once in the home region and replicated by Secrets Manager to every other cluster's region; a
// master name (db-master.persona.internal) in one private zone associated with every cluster's VPC, so
// failover repoints one record for all; VPC peering between every pair of clusters, routed only between
// their isolated subnets and opened by security groups only for MySQL, from the writers and the database
// hosts of one cluster to the database hosts of the other (the master may be in either after a
// failover). Pure data here; cross-region.ts builds the resources.
import { type Flow, type HostClass, SECRET_NAMES, SECRETS } from '@persona/kit/topology'
import type { ClusterSpec } from './clusters.ts'
import { classOf } from './privileges.ts'
import type { StoredName } from './user-data.ts'

/** The private zone every VPC resolves, and the one name of the current master in it. */
export const MASTER_ZONE = 'persona.internal'
export const MASTER_NAME = `db-master.${MASTER_ZONE}`

/**
 * What crosses regions, from the topology: every flow to the master (writers, replicas), as host
 * classes. The master may be in any cluster after a failover, so each client class of every cluster
 * reaches the master's class of every other cluster, on the master's port, and nothing else does.
 */
export function crossRegionFlows(flows: readonly Flow[]): {
  clients: HostClass[]
  server: HostClass
  port: number
} {
  const toMaster = flows.filter((f) => f.to === 'db-master')
  const server = classOf('db-master')
  const port = toMaster[0]?.port
  if (server === 'internet' || server === 'smtp' || port === undefined)
    throw new Error('the topology has no flow to db-master')
  if (toMaster.some((f) => f.port !== port)) throw new Error('flows to db-master on more than one port')
  const clients = new Set<HostClass>()
  for (const f of toMaster) {
    const cls = classOf(f.from)
    if (cls === 'internet' || cls === 'smtp') throw new Error(`${f.from} -> db-master cannot cross regions`)
    clients.add(cls)
  }
  return { clients: [...clients].sort(), server, port }
}

export interface DataPlane {
  /** The cluster whose first db host is the master when the stacks are made, and whose init makes the secrets and the schema. */
  readonly home: ClusterSpec
  readonly clusters: readonly ClusterSpec[]
}

export function dataPlaneOf(clusters: readonly ClusterSpec[]): DataPlane {
  const home = clusters[0]
  if (home === undefined) throw new Error('at least one cluster')
  return { home, clusters }
}

export const isHome = (dp: DataPlane, c: ClusterSpec): boolean => dp.home.name === c.name

/** The clusters a cluster peers with from its own stack: every one listed before it (a full mesh). */
export function peersOf(dp: DataPlane, c: ClusterSpec): ClusterSpec[] {
  const i = dp.clusters.findIndex((x) => x.name === c.name)
  return dp.clusters.slice(0, Math.max(0, i))
}

/** Regions the shared secrets are replicated to (every cluster's but the home's). */
export function replicaRegions(dp: DataPlane): string[] {
  return [...new Set(dp.clusters.map((c) => c.region))].filter((r) => r !== dp.home.region)
}

/**
 * Values each cluster makes for itself: the writer's SES SMTP account (SES's SMTP password is derived
 * per region, and each region has its own SES endpoint). Every other stored value is shared.
 */
export const REGIONAL: readonly StoredName[] = SECRET_NAMES.filter((s) => 'provided' in SECRETS[s])

export const isShared = (name: StoredName): boolean => !REGIONAL.includes(name)

export const SHARED: readonly StoredName[] = [...SECRET_NAMES, 'publicKey' as const].filter(isShared)

/**
 * The `data_plane` variable of cluster `c` (beside the home), from the outputs of the stacks applied
 * before it (`terraform output -json` of each, by cluster name): what the emulator cycle and an
 * operator pass with `-var data_plane=...`. Undefined for the home cluster (it takes none).
 */
export function dataPlaneValue(
  dp: DataPlane,
  c: ClusterSpec,
  outputs: ReadonlyMap<string, Readonly<Record<string, unknown>>>,
): object | undefined {
  if (isHome(dp, c)) return undefined
  const home = outputs.get(dp.home.name)
  const arns = home?.shared_secret_arns as Record<string, Record<string, string>> | undefined
  if (home === undefined || arns?.[c.region] === undefined)
    throw new Error(
      `${c.name}: apply persona-${dp.home.name} first (its shared_secret_arns name no ${c.region})`,
    )
  const peers: Record<string, unknown> = {}
  for (const p of peersOf(dp, c)) {
    const peer = outputs.get(p.name)?.data_plane_peer
    if (peer === undefined) throw new Error(`${c.name}: apply persona-${p.name} first (its data_plane_peer)`)
    peers[p.name] = peer
  }
  return { master_zone_id: home.master_zone_id, secret_arns: arns[c.region], peers }
}
