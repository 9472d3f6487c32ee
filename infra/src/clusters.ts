// SPDX-License-Identifier: MPL-2.0
// The deployment data of the VM layout: which clusters exist (one entry each), their regions, zones and
// address ranges, the DNS names, and the size of each host class. What runs where and who may call whom
// is not here: it comes from the topology table (@persona/kit/topology).
import type { HostClass } from '@persona/kit/topology'

export interface ClusterSpec {
  /** Short name, used in resource names, the DNS set identifier and SSM/Secrets paths. */
  readonly name: string
  readonly region: string
  /** Three availability zones, written down so that synthesis needs no AWS lookup. */
  readonly zones: readonly [string, string, string]
  /** A /16; subnets are carved from it (see subnetCidrs). */
  readonly vpcCidr: string
  /** The deploy switch: false takes the cluster's records out of DNS (its load balancer stays up). */
  readonly inDns: boolean
}

export const CLUSTERS: readonly ClusterSpec[] = [
  {
    name: 'us-east',
    region: 'us-east-1',
    zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
    vpcCidr: '10.10.0.0/16',
    inDns: true,
  },
  {
    name: 'eu-west',
    region: 'eu-west-1',
    zones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
    vpcCidr: '10.20.0.0/16',
    inDns: true,
  },
]

export interface HostClassSize {
  readonly instanceType: string
  /** Hosts per cluster, spread over the three zones; at least 3. */
  readonly hosts: number
  /** Upper bound of the autoscaling group (db hosts are fixed instances: ignored there). */
  readonly maxHosts: number
  readonly rootVolumeGb: number
}

export interface Settings {
  /** The public DNS zone; the main and verifier names live in it. */
  readonly zoneName: string
  readonly mainName: string
  readonly verifierName: string
  readonly hostClasses: Readonly<Record<HostClass, HostClassSize>>
  /** EC2 resolves the AMI from this public SSM parameter at launch: no AMI id to look up or pin. */
  readonly amiParameter: string
  /** The one-shot init host (secrets, database accounts and schema). */
  readonly initHost: { readonly instanceType: string; readonly rootVolumeGb: number }
  /**
   * Where the writer's mail goes in AWS: the SES SMTP interface endpoint of the VPC. The topology's
   * smtp port (1025) is the dev mail catcher's; SES listens on 587 with STARTTLS.
   */
  readonly smtpRelay: { readonly endpointService: string; readonly port: number }
  /** Interface endpoints that let hosts without internet egress pull images, read config and log. */
  readonly awsApiEndpoints: readonly string[]
  readonly secretRecoveryDays: number
  readonly logRetentionDays: number
  /** Terraform state: local files by default; an S3 bucket (with lock table) for real use. */
  readonly backend:
    | { readonly kind: 'local' }
    | { readonly kind: 's3'; readonly bucket: string; readonly region: string; readonly lockTable: string }
}

export const SETTINGS: Settings = {
  zoneName: 'persona.example',
  mainName: 'login.persona.example',
  verifierName: 'verifier.login.persona.example',
  hostClasses: {
    webhead: { instanceType: 'c7i.large', hosts: 3, maxHosts: 9, rootVolumeGb: 30 },
    dbwriter: { instanceType: 't3.medium', hosts: 3, maxHosts: 6, rootVolumeGb: 20 },
    certifier: { instanceType: 'c7i.large', hosts: 3, maxHosts: 6, rootVolumeGb: 20 },
    db: { instanceType: 'r7i.large', hosts: 3, maxHosts: 3, rootVolumeGb: 200 },
  },
  amiParameter: 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
  initHost: { instanceType: 't3.small', rootVolumeGb: 20 },
  smtpRelay: { endpointService: 'email-smtp', port: 587 },
  awsApiEndpoints: ['ecr.api', 'ecr.dkr', 'ssm', 'ssmmessages', 'ec2messages', 'secretsmanager', 'logs'],
  secretRecoveryDays: 7,
  logRetentionDays: 30,
  backend: { kind: 'local' },
}

/** Subnets of a /16: public /24s at .0-.2, private (webheads, NAT route) and isolated (no route out) /20s. */
export function subnetCidrs(vpcCidr: string): { public: string[]; private: string[]; isolated: string[] } {
  const m = /^(\d+)\.(\d+)\.0\.0\/16$/.exec(vpcCidr)
  if (!m) throw new Error(`vpcCidr must be a /16 like 10.10.0.0/16, got ${vpcCidr}`)
  const p = `${m[1]}.${m[2]}`
  return {
    public: [0, 1, 2].map((i) => `${p}.${i}.0/24`),
    private: [16, 32, 48].map((i) => `${p}.${i}.0/20`),
    isolated: [64, 80, 96].map((i) => `${p}.${i}.0/20`),
  }
}

/** Checks the data before anything is built: unique names, regions and ranges, at least 3 hosts each. */
export function checkClusters(clusters: readonly ClusterSpec[], settings: Settings): void {
  if (clusters.length < 1) throw new Error('at least one cluster')
  for (const key of ['name', 'region', 'vpcCidr'] as const) {
    const seen = new Set(clusters.map((c) => c[key]))
    if (seen.size !== clusters.length) throw new Error(`cluster ${key}s must be unique`)
  }
  for (const c of clusters) {
    if (!/^[a-z][a-z0-9-]{1,7}$/.test(c.name))
      throw new Error(
        `cluster name ${c.name}: 2-8 of a-z 0-9 - (load balancer names are at most 32 characters)`,
      )
    if (new Set(c.zones).size !== 3 || c.zones.some((z) => !z.startsWith(c.region)))
      throw new Error(`cluster ${c.name}: three distinct zones of ${c.region}`)
    subnetCidrs(c.vpcCidr)
  }
  for (const [cls, size] of Object.entries(settings.hostClasses)) {
    if (size.hosts < 3 || size.maxHosts < size.hosts)
      throw new Error(`${cls}: at least 3 hosts, max >= hosts`)
  }
}
