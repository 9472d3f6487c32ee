// SPDX-License-Identifier: MPL-2.0
// The topology table seen from the VM layout: the flows of services/kit/src/topology.ts mapped onto host
// classes (the privilege table the security groups implement), the parts and images of each class, and
// which classes may read each secret. Pure data transformations: no cdktf here.
import type { ImageName } from '@persona/deploy/images'
import { PART_SPECS, type PartName, partsOfClass } from '@persona/deploy/parts'
import {
  EXTERNAL_HOST_CLASS,
  type Flow,
  HOST_CLASSES,
  type HostClass,
  isMonitoringPart,
  monitoringHostClass,
  type NodeName,
  SECRET_NAMES,
  SECRETS,
  SERVICE_SPECS,
  SERVICES,
  type SecretName,
  type ServiceName,
} from '@persona/kit/topology'

/** Ends of a class-level flow: host classes, the internet, and the mail relay. */
export type ClassNode = HostClass | 'internet' | 'smtp'

export interface ClassFlow {
  readonly from: HostClass | 'internet'
  readonly to: ClassNode
  readonly port: number
  /** True when the callee is one of our HTTP services (reached through its class's load balancer). */
  readonly toService: boolean
  readonly why: string
}

/**
 * Classes whose hosts each run one of the class's parts rather than all of them: a db host is a master
 * or a replica, so db-replica -> db-master crosses hosts and needs a rule (db to db); on a webhead,
 * nginx -> router stays on the host.
 */
export const ROLE_SPLIT_CLASSES: ReadonlySet<HostClass> = new Set<HostClass>(['db'])

function isService(node: string): node is ServiceName {
  return (SERVICES as readonly string[]).includes(node)
}

function isHostClass(node: string): node is HostClass {
  return (HOST_CLASSES as readonly string[]).includes(node)
}

/** Where a topology node lives in the VM layout. */
export function classOf(node: NodeName): ClassNode {
  if (isService(node)) return SERVICE_SPECS[node].hostClass
  if (node === 'internet' || node === 'smtp') return node
  if (node in EXTERNAL_HOST_CLASS) {
    const cls: string = EXTERNAL_HOST_CLASS[node as keyof typeof EXTERNAL_HOST_CLASS]
    if (isHostClass(cls)) return cls
  }
  throw new Error(`topology node ${node} has no place in the VM layout`)
}

/** Parts (services and externals) that run on a host class, from the deployment contract. */
export function partsOf(cls: HostClass): NodeName[] {
  return partsOfClass(cls).filter((p): p is NodeName & PartName => p !== 'init')
}

/** Container image of a part (the contract's). MariaDB master and replica share one image. */
export function imageOf(part: PartName): ImageName {
  return PART_SPECS[part].image
}

export function imagesOf(cls: HostClass | 'init'): ImageName[] {
  return [...new Set(partsOfClass(cls).map(imageOf))]
}

/**
 * The privilege table: every topology flow that leaves a host, as (class, class, port). Flows inside
 * a host are dropped; flows to smtp use the relay's port. Throws on a flow the layout cannot place.
 */
export function classFlows(flows: readonly Flow[], smtpPort: number): ClassFlow[] {
  const out = new Map<string, ClassFlow>()
  for (const f of flows) {
    const from = classOf(f.from)
    const to = classOf(f.to)
    if (from === 'smtp') throw new Error(`flow from smtp is not supported: ${f.from} -> ${f.to}`)
    if (from === 'internet' && to === 'internet') throw new Error('internet -> internet is not a flow')
    if (from === to && !(isHostClass(from) && ROLE_SPLIT_CLASSES.has(from) && f.from !== f.to)) continue
    const port = to === 'smtp' ? smtpPort : f.port
    const key = `${from}>${to}:${port}`
    if (!out.has(key))
      out.set(key, { from, to, port, toService: isService(f.to), why: `${f.from} -> ${f.to}: ${f.why}` })
  }
  return [...out.values()]
}

/** Where a secret holder runs: a service's or a database role's host class, or the init host. */
function holderClass(holder: string): HostClass | 'init' | undefined {
  if (holder === 'init') return 'init'
  if (isService(holder)) return SERVICE_SPECS[holder].hostClass
  if (holder in EXTERNAL_HOST_CLASS) return EXTERNAL_HOST_CLASS[holder as keyof typeof EXTERNAL_HOST_CLASS]
  if (isMonitoringPart(holder)) return monitoringHostClass(holder)
  return undefined
}

/** Host classes (and init) whose role may read a secret: the classes of its holders. */
export function secretReaders(secret: SecretName): (HostClass | 'init')[] {
  const holders: readonly string[] = SECRETS[secret].holders
  const classes = new Set(holders.map(holderClass))
  return [...HOST_CLASSES, 'init' as const].filter((c) => classes.has(c))
}

/** Secrets a class's role may read. */
export function secretsOfClass(cls: HostClass | 'init'): SecretName[] {
  return SECRET_NAMES.filter((s) => secretReaders(s).includes(cls))
}
