// SPDX-License-Identifier: MPL-2.0
// The network graph two ways: what the rendered NetworkPolicies allow (read from their selectors,
// peers and ports, never from names or labels of the policies), and what topology.ts FLOWS allow,
// mapped onto the chart's components with the values used. Tests compare the two exactly.
import { FLOWS, SERVICES, type ServiceName } from '@persona/kit/topology'
import { at, isObj, list, type Manifest, type Obj, objs, RELEASE } from './render.ts'

const NAME = 'persona'
/** Pods of the release that are not among the seven services. */
const OTHER_COMPONENTS = ['nginx', 'key-setup', 'migrate'] as const

/** Edges as `from->to:port/PROTO` strings, split by the side of the policy that allows them. */
export interface Graph {
  readonly egress: Set<string>
  readonly ingress: Set<string>
}

export function edge(from: string, to: string, port: number | string, proto = 'TCP'): string {
  return `${from}->${to}:${port}/${proto}`
}

/** Canonical JSON (sorted keys), so peer lists compare by content. */
function canon(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`
  if (isObj(v)) {
    const keys = Object.keys(v).sort()
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canon(v[k])}`).join(',')}}`
  }
  return JSON.stringify(v)
}

function isServiceName(s: string): s is ServiceName {
  return (SERVICES as readonly string[]).includes(s)
}

/** The component a podSelector picks, when it is exactly one of ours (same namespace). */
function componentOf(selector: unknown): string | undefined {
  if (!isObj(selector) || selector.matchExpressions !== undefined) return undefined
  const labels = selector.matchLabels
  if (!isObj(labels) || Object.keys(labels).length !== 3) return undefined
  if (labels['app.kubernetes.io/name'] !== NAME || labels['app.kubernetes.io/instance'] !== RELEASE)
    return undefined
  const c = labels['app.kubernetes.io/component']
  if (typeof c !== 'string') return undefined
  return isServiceName(c) || (OTHER_COMPONENTS as readonly string[]).includes(c) ? c : undefined
}

/** Names for the peer lists configured in the values (external parts of the graph). */
function peerGroups(values: Obj): Map<string, string> {
  const groups: [string, unknown][] = [
    ['edge', at(values, 'networkPolicy.edgePeers')],
    ['dns', at(values, 'networkPolicy.dnsPeers')],
    ['kube-api', at(values, 'networkPolicy.kubeApiPeers')],
    ['db-master', at(values, 'database.master.networkPeers')],
    ['db-replica', at(values, 'database.replica.networkPeers')],
    ['smtp', at(values, 'smtp.networkPeers')],
  ]
  const out = new Map<string, string>()
  for (const [name, peers] of groups) {
    const key = canon(peers)
    const clash = out.get(key)
    if (clash !== undefined)
      throw new Error(`peer lists of ${clash} and ${name} are identical: the graph is ambiguous`)
    out.set(key, name)
  }
  return out
}

/** The graph nodes a rule's peer list reaches. Unrecognised peers are errors, never ignored. */
function peerNodes(peers: unknown, values: Obj, groups: Map<string, string>, where: string): string[] {
  if (peers === undefined) return ['*']
  const group = groups.get(canon(peers))
  if (group !== undefined) return [group]
  const internet = {
    ipBlock: {
      cidr: at(values, 'networkPolicy.internet.cidr'),
      except: at(values, 'networkPolicy.internet.except'),
    },
  }
  return list(peers).map((p) => {
    if (isObj(p) && Object.keys(p).length === 1 && p.podSelector !== undefined) {
      const c = componentOf(p.podSelector)
      if (c !== undefined) return c
    }
    if (canon(p) === canon(internet)) return 'internet'
    throw new Error(
      `${where}: peer ${JSON.stringify(p)} is none of the chart's components or configured peers`,
    )
  })
}

function portsOf(rule: Obj): string[] {
  if (rule.ports === undefined) return ['*/*']
  return objs(rule.ports).map((p) => `${p.port ?? '*'}/${p.protocol ?? 'TCP'}`)
}

/**
 * What the rendered NetworkPolicies allow. Also checks the frame: one default-deny policy selecting
 * every pod of the release with no rules, and every other policy selecting exactly one component with
 * both policy types (so that whatever it does not list stays denied).
 */
export function renderedGraph(manifests: readonly Manifest[], values: Obj): Graph {
  const groups = peerGroups(values)
  const graph: Graph = { egress: new Set(), ingress: new Set() }
  let defaultDeny = 0
  for (const np of manifests.filter((m) => m.kind === 'NetworkPolicy')) {
    const where = `NetworkPolicy/${np.metadata.name}`
    const types = list(at(np, 'spec.policyTypes'))
    if (!(types.includes('Ingress') && types.includes('Egress')))
      throw new Error(`${where}: policyTypes must be both`)
    const selector = at(np, 'spec.podSelector')
    const component = componentOf(selector)
    if (component === undefined) {
      const all = { matchLabels: { 'app.kubernetes.io/name': NAME, 'app.kubernetes.io/instance': RELEASE } }
      const rules = [...list(at(np, 'spec.ingress')), ...list(at(np, 'spec.egress'))]
      if (canon(selector) !== canon(all) || rules.length > 0) {
        throw new Error(`${where}: selects no single component and is not the rule-less default deny`)
      }
      defaultDeny++
      continue
    }
    for (const rule of objs(at(np, 'spec.egress'))) {
      for (const to of peerNodes(rule.to, values, groups, where)) {
        for (const p of portsOf(rule)) graph.egress.add(`${component}->${to}:${p}`)
      }
    }
    for (const rule of objs(at(np, 'spec.ingress'))) {
      for (const from of peerNodes(rule.from, values, groups, where)) {
        for (const p of portsOf(rule)) graph.ingress.add(`${from}->${component}:${p}`)
      }
    }
  }
  if (defaultDeny !== 1) throw new Error(`expected one default-deny NetworkPolicy, found ${defaultDeny}`)
  return graph
}

/**
 * topology.ts FLOWS mapped onto the chart: `internet` as a source is the edge (ingress controller or
 * gateway pods); `nginx` is our nginx when enabled, else the edge too; nginx's https port is its pod
 * port; the database and SMTP ports are the configured endpoints'. Flows with no end in the chart
 * (replication) are not the chart's to police. Pods that open connections also reach DNS. The jobs,
 * absent from FLOWS, get exactly: migrate -> db-master, key-setup -> the API server.
 */
export function expectedGraph(values: Obj): Graph {
  const nginx = at(values, 'nginx.enabled') === true
  const graph: Graph = { egress: new Set(), ingress: new Set() }
  const components = new Set<string>([...SERVICES, ...(nginx ? ['nginx'] : [])])
  const node = (n: string, side: 'from' | 'to'): string => {
    if (n === 'internet') return side === 'from' ? 'edge' : 'internet'
    if (n === 'nginx') return nginx ? 'nginx' : 'edge'
    return n
  }
  const port = (to: string, p: number): unknown => {
    if (to === 'nginx') return at(values, 'nginx.port')
    if (to === 'db-master') return at(values, 'database.master.port')
    if (to === 'db-replica') return at(values, 'database.replica.port')
    if (to === 'smtp') return at(values, 'smtp.port')
    return p
  }
  const callers = new Set<string>()
  for (const f of FLOWS) {
    const from = node(f.from, 'from')
    const to = node(f.to, 'to')
    const e = edge(from, to, String(port(to, f.port)))
    if (components.has(from)) {
      graph.egress.add(e)
      callers.add(from)
    }
    if (components.has(to)) graph.ingress.add(e)
  }
  if (at(values, 'init.migrations.enabled') === true) {
    graph.egress.add(edge('migrate', 'db-master', String(at(values, 'database.master.port'))))
    callers.add('migrate')
  }
  if (at(values, 'keys.generate') === true) {
    for (const p of list(at(values, 'networkPolicy.kubeApiPorts')))
      graph.egress.add(edge('key-setup', 'kube-api', String(p)))
    callers.add('key-setup')
  }
  for (const c of callers) {
    graph.egress.add(edge(c, 'dns', 53, 'UDP'))
    graph.egress.add(edge(c, 'dns', 53, 'TCP'))
  }
  return graph
}

/** Edges in one set and not the other, as readable lines; empty when equal. */
export function diffGraphs(actual: Graph, expected: Graph): string[] {
  const out: string[] = []
  for (const side of ['egress', 'ingress'] as const) {
    for (const e of actual[side])
      if (!expected[side].has(e)) out.push(`${side}: allowed but not in FLOWS: ${e}`)
    for (const e of expected[side])
      if (!actual[side].has(e)) out.push(`${side}: in FLOWS but not allowed: ${e}`)
  }
  return out.sort()
}
