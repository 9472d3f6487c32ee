// SPDX-License-Identifier: MPL-2.0
// Reads a synthesized cdktf app back (cdktf.out/stacks/<stack>/cdk.tf.json) and answers questions about
// it from the JSON alone: which hosts and zones each class has, who can reach whom through the security
// groups and load balancers, which roles can read which secret. Independent of infra/src's builders.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type BuildOptions, synth } from '../src/app.ts'

export type Json = { readonly [key: string]: unknown }

export interface Stack {
  readonly name: string
  readonly dir: string
  readonly json: Json
}

export interface Synthesized {
  readonly outdir: string
  readonly stacks: Stack[]
  /** Every file the synthesis wrote, for the secret scan. */
  readonly files: string[]
  cleanup(): void
}

export function synthesize(opts: Omit<BuildOptions, 'outdir'> = {}): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'persona-infra-'))
  const names = synth({ ...opts, outdir })
  const stacks = names.map((name) => {
    const dir = join(outdir, 'stacks', name)
    return { name, dir, json: JSON.parse(readFileSync(join(dir, 'cdk.tf.json'), 'utf8')) as Json }
  })
  const files = readdirSync(outdir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name))
  return { outdir, stacks, files, cleanup: () => rmSync(outdir, { recursive: true, force: true }) }
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** The resources of one type: logical name -> attributes. */
export function resources(stack: Stack, type: string): Map<string, Json> {
  const all = stack.json.resource
  const byType = isObject(all) ? all[type] : undefined
  const out = new Map<string, Json>()
  if (isObject(byType)) for (const [k, v] of Object.entries(byType)) if (isObject(v)) out.set(k, v)
  return out
}

export function str(v: unknown): string {
  return typeof v === 'string' ? v : ''
}

export function num(v: unknown): number {
  return typeof v === 'number' ? v : Number(v)
}

export function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined ? [] : [v]
}

/** `${aws_x.name.attr}` -> name, when the reference is to a resource of that type. */
export function refName(v: unknown, type: string): string | undefined {
  const m = new RegExp(`^\\$\\{${type}\\.([A-Za-z0-9_-]+)\\.[a-z_]+\\}$`).exec(str(v))
  return m?.[1]
}

export function providerRegion(stack: Stack): string {
  const p = stack.json.provider
  const aws = isObject(p) ? list(p.aws)[0] : undefined
  return isObject(aws) ? str(aws.region) : ''
}

/** The script inside `${base64encode("...")}`, unescaped (Terraform string escapes). */
export function decodeUserData(v: unknown): string {
  const m = /^\$\{base64encode\("(.*)"\)\}$/s.exec(str(v))
  if (!m?.[1]) return ''
  return m[1].replace(/\\(["\\nt])/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c))
}

// ---- host classes

export interface ClassHosts {
  readonly hosts: number
  readonly zones: Set<string>
  readonly launchTemplate: string
}

function subnetZone(stack: Stack, ref: unknown): string {
  const name = refName(ref, 'aws_subnet')
  return str(name ? resources(stack, 'aws_subnet').get(name)?.availability_zone : '')
}

function tagValue(tags: unknown, key: string): string | undefined {
  if (isObject(tags)) return typeof tags[key] === 'string' ? tags[key] : undefined
  for (const t of list(tags)) if (isObject(t) && t.key === key) return str(t.value)
  return undefined
}

/** Per host class (tag persona-host-class): minimum host count, zones, launch template. */
export function hostClasses(stack: Stack): Map<string, ClassHosts> {
  const out = new Map<string, ClassHosts>()
  for (const asg of resources(stack, 'aws_autoscaling_group').values()) {
    const cls = tagValue(asg.tag, 'persona-host-class')
    const lt = list(asg.launch_template)[0]
    if (!cls || !isObject(lt)) continue
    out.set(cls, {
      hosts: num(asg.min_size),
      zones: new Set(list(asg.vpc_zone_identifier).map((s) => subnetZone(stack, s))),
      launchTemplate: refName(lt.id, 'aws_launch_template') ?? '',
    })
  }
  for (const inst of resources(stack, 'aws_instance').values()) {
    const cls = tagValue(inst.tags, 'persona-host-class')
    const lt = list(inst.launch_template)[0]
    if (!cls || !isObject(lt)) continue
    const prev = out.get(cls)
    out.set(cls, {
      hosts: (prev?.hosts ?? 0) + 1,
      zones: new Set([...(prev?.zones ?? []), subnetZone(stack, inst.subnet_id)]),
      launchTemplate: refName(lt.id, 'aws_launch_template') ?? '',
    })
  }
  return out
}

// ---- reachability over security groups

interface Rule {
  readonly sg: string
  readonly from: number
  readonly to: number
  readonly peerSg?: string
  readonly cidr?: string
  readonly prefixList?: boolean
}

function ipv4(ip: string): number {
  return ip.split('.').reduce((a, b) => a * 256 + Number(b), 0)
}

function cidrRange(cidr: string): [number, number] {
  const [ip = '0.0.0.0', bits = '32'] = cidr.split('/')
  const size = 2 ** (32 - Number(bits))
  const start = Math.floor(ipv4(ip) / size) * size
  return [start, start + size - 1]
}

/** A node of the graph: a host class, a load balancer, an endpoint group, or the internet. */
export type Node = string

/** Reachable (from, to, port) triples, "from -> to:port", sorted. */
export function reachability(stack: Stack): string[] {
  const vpc = [...resources(stack, 'aws_vpc').values()][0]
  const [vpcLo, vpcHi] = cidrRange(str(vpc?.cidr_block))
  const overlapsVpc = (cidr: string) => {
    const [lo, hi] = cidrRange(cidr)
    return lo <= vpcHi && hi >= vpcLo
  }
  // Ranges reached through a peering (another cluster's subnets: peeringReachability) are not the internet.
  const peered = peeredCidrs(stack).map(cidrRange)
  const outsideVpc = (cidr: string) => {
    const [lo, hi] = cidrRange(cidr)
    if (peered.some(([pl, ph]) => lo >= pl && hi <= ph)) return false
    return lo < vpcLo || hi > vpcHi
  }
  const rules = (type: string, peerKey: string, cidrKey: string): Rule[] =>
    [...resources(stack, type).values()].map((r) => {
      const all = str(r.ip_protocol) === '-1'
      const peerSg = refName(r[peerKey], 'aws_security_group')
      return {
        sg: refName(r.security_group_id, 'aws_security_group') ?? '?',
        from: all ? 0 : num(r.from_port),
        to: all ? 65535 : num(r.to_port),
        ...(peerSg ? { peerSg } : {}),
        ...(typeof r[cidrKey] === 'string' ? { cidr: str(r[cidrKey]) } : {}),
        ...(r.prefix_list_id !== undefined ? { prefixList: true } : {}),
      }
    })
  const ingress = rules('aws_vpc_security_group_ingress_rule', 'referenced_security_group_id', 'cidr_ipv4')
  const egress = rules('aws_vpc_security_group_egress_rule', 'referenced_security_group_id', 'cidr_ipv4')
  for (const sg of resources(stack, 'aws_security_group').values()) {
    // Inline rules would escape this computation: the stack must not use them.
    if (list(sg.ingress).length > 0 || list(sg.egress).length > 0)
      throw new Error('inline security group rules')
  }

  // Which security group each node wears.
  const sgOf = new Map<Node, string>()
  const lts = resources(stack, 'aws_launch_template')
  for (const [cls, h] of hostClasses(stack)) {
    const ids = list(lts.get(h.launchTemplate)?.vpc_security_group_ids)
    const sg = refName(ids[0], 'aws_security_group')
    if (ids.length !== 1 || !sg) throw new Error(`${cls}: expected one security group`)
    sgOf.set(cls, sg)
  }
  const lbs = resources(stack, 'aws_lb')
  for (const [name, lb] of lbs) {
    const sg = refName(list(lb.security_groups)[0], 'aws_security_group')
    if (sg) sgOf.set(`lb:${name}`, sg)
  }
  for (const ep of resources(stack, 'aws_vpc_endpoint').values()) {
    const sg = refName(list(ep.security_group_ids)[0], 'aws_security_group')
    if (sg) sgOf.set(str(ep.service_name).endsWith('email-smtp') ? 'smtp' : 'aws-api', sg)
  }
  const ports = new Set<number>([...ingress, ...egress].flatMap((r) => [r.from, r.to]))
  const covers = (r: Rule, p: number) => r.from <= p && p <= r.to

  const edge = (from: Node, to: Node, p: number): boolean => {
    if (from === 'internet') {
      const dst = sgOf.get(to)
      return ingress.some((r) => r.sg === dst && covers(r, p) && r.cidr !== undefined && outsideVpc(r.cidr))
    }
    const src = sgOf.get(from)
    if (to === 'internet')
      return egress.some((r) => r.sg === src && covers(r, p) && r.cidr !== undefined && outsideVpc(r.cidr))
    if (to === 'aws-api' && egress.some((r) => r.sg === src && covers(r, p) && r.prefixList)) return true
    const dst = sgOf.get(to)
    if (!src || !dst) return false
    const out = egress.some(
      (r) =>
        r.sg === src && covers(r, p) && (r.peerSg === dst || (r.cidr !== undefined && overlapsVpc(r.cidr))),
    )
    const inn = ingress.some(
      (r) =>
        r.sg === dst && covers(r, p) && (r.peerSg === src || (r.cidr !== undefined && overlapsVpc(r.cidr))),
    )
    return out && inn
  }

  // Load balancer forwarding: listener port -> target group (port) -> classes whose hosts it targets.
  const tgClass = new Map<string, string[]>()
  for (const asg of resources(stack, 'aws_autoscaling_group').values()) {
    const cls = tagValue(asg.tag, 'persona-host-class') ?? '?'
    for (const t of list(asg.target_group_arns)) {
      const tg = refName(t, 'aws_lb_target_group')
      if (tg) tgClass.set(tg, [...(tgClass.get(tg) ?? []), cls])
    }
  }
  const tgs = resources(stack, 'aws_lb_target_group')
  const forwards: { lb: Node; port: number; cls: string; targetPort: number }[] = []
  for (const l of resources(stack, 'aws_lb_listener').values()) {
    const lb = refName(l.load_balancer_arn, 'aws_lb')
    for (const a of list(l.default_action)) {
      const tg = isObject(a) ? refName(a.target_group_arn, 'aws_lb_target_group') : undefined
      if (!lb || !tg) continue
      for (const cls of tgClass.get(tg) ?? []) {
        forwards.push({ lb: `lb:${lb}`, port: num(l.port), cls, targetPort: num(tgs.get(tg)?.port) })
      }
    }
  }

  const classes = [...hostClasses(stack).keys()]
  const sources: Node[] = ['internet', ...classes]
  const targets: Node[] = [...classes, 'internet', 'smtp', 'aws-api']
  const out = new Set<string>()
  for (const from of sources) {
    for (const to of targets) {
      if (from === 'internet' && to === 'internet') continue
      for (const p of ports) if (edge(from, to, p)) out.add(`${from} -> ${to}:${p}`)
    }
    for (const f of forwards) {
      if (edge(from, f.lb, f.port) && edge(f.lb, f.cls, f.targetPort))
        out.add(`${from} -> ${f.cls}:${f.targetPort}`)
    }
  }
  return [...out].sort()
}

// ---- secrets

/** Secret (resource name) -> the roles (by class, or "init") whose policies let them read it. */
export function secretReaders(stack: Stack): Map<string, Set<string>> {
  const profiles = resources(stack, 'aws_iam_instance_profile')
  const roleOwner = new Map<string, string>()
  for (const [cls, h] of hostClasses(stack)) {
    const lt = resources(stack, 'aws_launch_template').get(h.launchTemplate)
    const prof = list(lt?.iam_instance_profile)[0]
    const profName = isObject(prof) ? refName(prof.arn, 'aws_iam_instance_profile') : undefined
    const role = refName(profiles.get(profName ?? '')?.role, 'aws_iam_role')
    if (role) roleOwner.set(role, cls)
  }
  const secrets = [...resources(stack, 'aws_secretsmanager_secret').keys()]
  const out = new Map<string, Set<string>>(secrets.map((s) => [s, new Set<string>()]))
  for (const p of resources(stack, 'aws_iam_role_policy').values()) {
    const role = refName(p.role, 'aws_iam_role') ?? '?'
    const owner = roleOwner.get(role) ?? role.replace(/^role-/, '')
    const doc = JSON.parse(str(p.policy)) as Json
    for (const st of list(doc.Statement)) {
      if (!isObject(st) || st.Effect !== 'Allow') continue
      const actions = list(st.Action).map(str)
      const reads = actions.some(
        (a) => a === '*' || a === 'secretsmanager:*' || a === 'secretsmanager:GetSecretValue',
      )
      if (!reads) continue
      for (const r of list(st.Resource).map(str)) {
        // A shared value's replica in this region (infra/src/cross-region.ts): `shared:<name>`.
        const replica = /^\$\{var\.data_plane\.secret_arns\.([A-Za-z]+)\}$/.exec(r)?.[1]
        if (replica !== undefined) {
          out.set(`shared:${replica}`, (out.get(`shared:${replica}`) ?? new Set()).add(owner))
          continue
        }
        const named = refName(r, 'aws_secretsmanager_secret')
        for (const s of named ? [named] : r.includes('*') ? secrets : []) out.get(s)?.add(owner)
      }
    }
  }
  return out
}

// ---- across regions (infra/src/cross-region.ts)

/** Destinations routed through a VPC peering connection, in this stack's own route tables. */
export function peeredCidrs(stack: Stack): string[] {
  return [...resources(stack, 'aws_route').values()]
    .filter((r) => r.vpc_peering_connection_id !== undefined && r.provider === undefined)
    .map((r) => str(r.destination_cidr_block))
}

/** The cluster (by its stack's name, persona-<cluster>) whose VPC holds `cidr`. */
function clusterOfCidr(cidr: string, vpcs: ReadonlyMap<string, string>): string | undefined {
  const [lo, hi] = cidrRange(cidr)
  for (const [cluster, vpc] of vpcs) {
    const [vl, vh] = cidrRange(vpc)
    if (lo >= vl && hi <= vh) return cluster
  }
  return undefined
}

/**
 * Who reaches whom across regions, from every stack's rules: "<cluster>/<class> -> <cluster>/<class>:<port>".
 * A rule is on this stack's own group (no provider) or, through the peer's provider, on a peer cluster's
 * group named by the data_plane variable; its other end is a range of a cluster's VPC. A connection
 * needs the source class's egress to the destination's range and the destination class's ingress from
 * the source's range (security groups cannot name a group across regions).
 */
export function peeringReachability(stacks: readonly Stack[]): string[] {
  const clusterOf = (s: Stack) => s.name.replace(/^persona-/, '')
  const vpcs = new Map<string, string>()
  const classOfSg = new Map<string, string>() // "<cluster>/<sg resource>" -> class
  for (const s of stacks) {
    const vpc = [...resources(s, 'aws_vpc').values()][0]
    if (vpc === undefined) continue
    vpcs.set(clusterOf(s), str(vpc.cidr_block))
    const lts = resources(s, 'aws_launch_template')
    for (const [cls, h] of hostClasses(s)) {
      const sg = refName(list(lts.get(h.launchTemplate)?.vpc_security_group_ids)[0], 'aws_security_group')
      if (sg) classOfSg.set(`${clusterOf(s)}/${sg}`, cls)
    }
  }
  interface End {
    readonly cluster: string
    readonly cls: string
    readonly port: number
    readonly cidr: string
  }
  const ingress: End[] = []
  const egress: End[] = []
  for (const s of stacks) {
    for (const [type, into] of [
      ['aws_vpc_security_group_ingress_rule', ingress],
      ['aws_vpc_security_group_egress_rule', egress],
    ] as const) {
      for (const r of resources(s, type).values()) {
        const cidr = str(r.cidr_ipv4)
        if (cidr === '' || str(r.ip_protocol) === '-1') continue
        const own = refName(r.security_group_id, 'aws_security_group')
        const peer = /^\$\{var\.data_plane\.peers\["([a-z0-9-]+)"\]\.([a-z]+)_security_group_id\}$/.exec(
          str(r.security_group_id),
        )
        const at =
          r.provider === undefined && own
            ? { cluster: clusterOf(s), cls: classOfSg.get(`${clusterOf(s)}/${own}`) }
            : peer && r.provider === `aws.${peer[1]}`
              ? { cluster: peer[1] ?? '', cls: peer[2] }
              : undefined
        if (at?.cls === undefined) continue
        for (let p = num(r.from_port); p <= num(r.to_port); p++)
          into.push({ ...at, cls: at.cls, port: p, cidr })
      }
    }
  }
  const out = new Set<string>()
  for (const e of egress) {
    const dstCluster = clusterOfCidr(e.cidr, vpcs)
    if (dstCluster === undefined || dstCluster === e.cluster) continue
    for (const i of ingress) {
      if (i.cluster !== dstCluster || i.port !== e.port) continue
      if (clusterOfCidr(i.cidr, vpcs) !== e.cluster) continue
      out.add(`${e.cluster}/${e.cls} -> ${i.cluster}/${i.cls}:${e.port}`)
    }
  }
  return [...out].sort()
}
