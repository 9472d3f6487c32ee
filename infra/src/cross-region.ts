// SPDX-License-Identifier: MPL-2.0
// The cross-region part of a cluster stack (data-plane.ts says what and why). The home cluster's stack
// makes the shared secrets with a replica in every other region, the private zone of the master name
// (with the master's address) and outputs what the others need; each other cluster's stack takes that as
// its `data_plane` variable, reads the shared secrets' replicas in its own region, associates its VPC
// with the master zone, and peers with every cluster listed before it: the peering connection, the
// accepter and the return routes and rules on the peer's side (through a provider in the peer's region),
// routes only between isolated subnets, and security group rules only for MySQL (dbwriter and db hosts
// to db hosts, both ways, since a failover may move the master into either cluster).
import type { Flow, HostClass } from '@persona/kit/topology'
import {
  AwsProvider,
  Fn,
  type Instance,
  Route,
  Route53Record,
  Route53Zone,
  Route53ZoneAssociation,
  type RouteTable,
  ref,
  type SecurityGroup,
  TerraformOutput,
  type TerraformStack,
  TerraformVariable,
  Token,
  type Vpc,
  VpcPeeringConnection,
  VpcPeeringConnectionAccepter,
  VpcSecurityGroupEgressRule,
  VpcSecurityGroupIngressRule,
} from './aws.ts'
import { type ClusterSpec, subnetCidrs } from './clusters.ts'
import {
  crossRegionFlows,
  type DataPlane,
  isHome,
  isShared,
  MASTER_NAME,
  MASTER_ZONE,
  peersOf,
  replicaRegions,
} from './data-plane.ts'
import type { StoredName } from './user-data.ts'

/** The security groups a peer must name: those of the classes that cross regions. */
function crossingClasses(flows: readonly Flow[]): HostClass[] {
  const m = crossRegionFlows(flows)
  return [...new Set([...m.clients, m.server])].sort()
}

/** The `data_plane` variable's type (what a cluster beside the home needs from the other stacks). */
export function dataPlaneType(flows: readonly Flow[]): string {
  const sgs = crossingClasses(flows).map((cls) => `      ${cls}_security_group_id = string`)
  return [
    'object({',
    '    master_zone_id = string',
    '    secret_arns    = map(string)',
    '    peers = map(object({',
    '      vpc_id         = string',
    '      route_table_id = string',
    ...sgs,
    '    }))',
    '  })',
  ].join('\n')
}

export interface DataPlaneInputs {
  readonly cluster: ClusterSpec
  readonly dataPlane: DataPlane
  readonly offline: TerraformVariable
  /** The topology's flows (what crosses regions is derived from them). */
  readonly flows: readonly Flow[]
}

/** What the rest of the stack needs early: where the shared values are, in this region. */
export interface DeclaredDataPlane {
  /** The `data_plane` variable (beside the home cluster only). */
  readonly variable: TerraformVariable | undefined
  /** Replica regions for a value this stack makes (the home's shared values). */
  replicasOf(name: StoredName): { region: string }[]
  /** ARN of a shared value's replica in this region, beside the home cluster; undefined: made here. */
  sharedArn(name: StoredName): string | undefined
}

export function declareDataPlane(stack: TerraformStack, inp: DataPlaneInputs): DeclaredDataPlane {
  const { cluster: c, dataPlane: dp } = inp
  if (isHome(dp, c)) {
    const regions = replicaRegions(dp)
    return {
      variable: undefined,
      replicasOf: (name) => (isShared(name) ? regions.map((region) => ({ region })) : []),
      sharedArn: () => undefined,
    }
  }
  const variable = new TerraformVariable(stack, 'data_plane', {
    type: dataPlaneType(inp.flows),
    description: `from the other stacks: persona-${dp.home.name}'s master_zone_id and shared_secret_arns, and the data_plane_peer output of each cluster listed before this one (infra/README.md, "Adding a cluster")`,
  })
  return {
    variable,
    replicasOf: () => [],
    // The replicas' ARNs in this region (the home stack's shared_secret_arns output, for this region).
    sharedArn: (name) =>
      isShared(name) ? Token.asString(ref(`var.data_plane.secret_arns.${name}`, stack)) : undefined,
  }
}

export interface ConnectInputs extends DataPlaneInputs {
  readonly declared: DeclaredDataPlane
  readonly vpc: Vpc
  readonly isolatedRouteTable: RouteTable
  readonly classSg: Readonly<Record<HostClass, SecurityGroup>>
  /** The master instance (home cluster only). */
  readonly master: Instance | undefined
  /** ARNs of the shared values this stack made (home cluster only). */
  readonly sharedArns: Readonly<Record<string, string>>
}

/** The master zone (or this VPC's association with it), the peerings, and the outputs. */
export function connectDataPlane(stack: TerraformStack, inp: ConnectInputs): void {
  const { cluster: c, dataPlane: dp, declared } = inp
  const own = subnetCidrs(c.vpcCidr).isolated
  new TerraformOutput(stack, 'data_plane_peer', {
    description: 'what a cluster listed after this one needs to peer with it (its data_plane.peers entry)',
    value: {
      vpc_id: inp.vpc.id,
      route_table_id: inp.isolatedRouteTable.id,
      ...Object.fromEntries(
        crossingClasses(inp.flows).map((cls) => [`${cls}_security_group_id`, inp.classSg[cls].id]),
      ),
    },
  })
  if (isHome(dp, c)) {
    const zone = new Route53Zone(stack, 'zone-master', {
      name: MASTER_ZONE,
      vpc: [{ vpcId: inp.vpc.id, vpcRegion: c.region }],
      comment: 'Persona: the master name, resolved from every cluster',
      // The other clusters' stacks associate their VPCs (aws_route53_zone_association).
      lifecycle: { ignoreChanges: ['vpc'] },
    })
    if (inp.master === undefined) throw new Error(`${c.name}: the home cluster has no master host`)
    new Route53Record(stack, 'dns-master', {
      zoneId: zone.zoneId,
      name: MASTER_NAME,
      type: 'A',
      ttl: 10,
      records: [inp.master.privateIp],
      // After a failover the record names the promoted replica (the failover CLI repoints it); a later
      // apply must not point it back at a fenced master.
      lifecycle: { ignoreChanges: ['records'] },
    })
    new TerraformOutput(stack, 'master_zone_id', { value: zone.zoneId })
    // Per region, the ARN of each shared value's replica there: a replica keeps the primary's name and
    // suffix, so its ARN differs only in the region.
    const regions = replicaRegions(dp)
    new TerraformOutput(stack, 'shared_secret_arns', {
      description:
        'region -> shared value -> the ARN of its replica there (data_plane.secret_arns of a cluster in that region)',
      value: Object.fromEntries(
        regions.map((r) => [
          r,
          Object.fromEntries(
            Object.entries(inp.sharedArns).map(([k, arn]) => [k, Fn.replace(arn, `:${c.region}:`, `:${r}:`)]),
          ),
        ]),
      ),
    })
    return
  }
  const dpv = declared.variable
  if (dpv === undefined) throw new Error(`${c.name}: no data_plane variable`)
  // Off only where the platform cannot (the AWS emulator makes every hosted zone public: emulator/cycle.ts).
  const associate = new TerraformVariable(stack, 'associate_master_zone', {
    type: 'bool',
    default: true,
    description: "associate this VPC with the master name's private zone (keep true on AWS)",
  })
  new Route53ZoneAssociation(stack, 'zone-master-association', {
    count: Fn.conditional(associate.booleanValue, 1, 0),
    zoneId: Fn.lookup(dpv.value, 'master_zone_id'),
    vpcId: inp.vpc.id,
    vpcRegion: c.region,
  })
  const peers = Fn.lookup(dpv.value, 'peers')
  for (const p of peersOf(dp, c)) {
    const peer = (key: string): string => Fn.lookup(Fn.lookup(peers, p.name), key)
    const provider = new AwsProvider(stack, `aws-${p.name}`, {
      alias: p.name,
      region: p.region,
      skipCredentialsValidation: inp.offline.booleanValue,
      skipRequestingAccountId: inp.offline.booleanValue,
      skipMetadataApiCheck: inp.offline.stringValue,
      defaultTags: [{ tags: { project: 'persona', cluster: c.name } }],
    })
    // One name on both sides (an emulator keeps one set of tags for the two).
    const tags = { Name: `persona-${c.name}-${p.name}-mysql` }
    const pcx = new VpcPeeringConnection(stack, `peering-${p.name}`, {
      vpcId: inp.vpc.id,
      peerVpcId: peer('vpc_id'),
      peerRegion: p.region,
      // Across regions the peer accepts (below); auto_accept is for one region only.
      autoAccept: false,
      tags,
    })
    const accepted = new VpcPeeringConnectionAccepter(stack, `peering-${p.name}-accept`, {
      provider,
      vpcPeeringConnectionId: pcx.id,
      autoAccept: true,
      tags,
    })
    const theirs = subnetCidrs(p.vpcCidr).isolated
    // Routes between the isolated subnets only (writers and db hosts live there; webheads do not).
    theirs.forEach((cidr, i) => {
      new Route(stack, `peering-${p.name}-route-${i}`, {
        routeTableId: inp.isolatedRouteTable.id,
        destinationCidrBlock: cidr,
        vpcPeeringConnectionId: accepted.id,
      })
    })
    own.forEach((cidr, i) => {
      new Route(stack, `peering-${p.name}-return-${i}`, {
        provider,
        routeTableId: peer('route_table_id'),
        destinationCidrBlock: cidr,
        vpcPeeringConnectionId: accepted.id,
      })
    })
    // MySQL only: clients (writers, replicas) of each side to the db hosts of the other. Security groups
    // cannot name a group across regions: the other side's isolated subnets stand for it, and egress is
    // opened only on the client classes' groups, so no other class there can use the ingress rule.
    const mysql = crossRegionFlows(inp.flows)
    const rule = { ipProtocol: 'tcp', fromPort: mysql.port, toPort: mysql.port }
    const sides = [
      {
        key: 'here',
        sgOf: (cls: HostClass) => inp.classSg[cls].id,
        from: theirs,
        to: theirs,
        provider: undefined,
        where: c.name,
        other: p.name,
      },
      {
        key: 'there',
        sgOf: (cls: HostClass) => peer(`${cls}_security_group_id`),
        from: own,
        to: own,
        provider,
        where: p.name,
        other: c.name,
      },
    ] as const
    for (const side of sides) {
      const withProvider = side.provider === undefined ? {} : { provider: side.provider }
      side.from.forEach((cidr, i) => {
        new VpcSecurityGroupIngressRule(stack, `peering-${p.name}-${side.key}-mysql-in-${i}`, {
          ...withProvider,
          ...rule,
          securityGroupId: side.sgOf(mysql.server),
          cidrIpv4: cidr,
          description: `${side.other} writers and replicas -> ${side.where} db (MySQL across regions)`,
        })
      })
      for (const cls of mysql.clients) {
        side.to.forEach((cidr, i) => {
          new VpcSecurityGroupEgressRule(stack, `peering-${p.name}-${side.key}-${cls}-out-${i}`, {
            ...withProvider,
            ...rule,
            securityGroupId: side.sgOf(cls),
            cidrIpv4: cidr,
            description: `${side.where} ${cls} -> ${side.other} db (MySQL across regions)`,
          })
        })
      }
    }
  }
}
