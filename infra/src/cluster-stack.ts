// SPDX-License-Identifier: MPL-2.0
// One cluster in one region: VPC over three zones, the public load balancer in front of the webheads,
// internal load balancers in front of the classes other hosts call over HTTP, a launch template and
// hosts per class whose boot script is the deployment contract's render for this cluster (user-data.ts),
// the one-shot init host, security groups derived from the privilege table (privileges.ts), Secrets
// Manager secrets readable per the topology's holders, and this cluster's health check and DNS records.

import type { Site } from '@persona/deploy/env'
import { IMAGES, type ImageName } from '@persona/deploy/images'
import { ONE_SHOT_FLOWS, PART_SPECS, partsOfClass } from '@persona/deploy/parts'
import {
  type Flow,
  HOST_CLASSES,
  type HostClass,
  SECRET_NAMES,
  SERVICE_SPECS,
  type ServiceName,
} from '@persona/kit/topology'
import { clusterAlarms } from './alarms.ts'
import {
  AcmCertificate,
  AcmCertificateValidation,
  AutoscalingGroup,
  AwsProvider,
  CloudwatchLogGroup,
  type Construct,
  EcrRepository,
  Eip,
  Fn,
  IamInstanceProfile,
  IamRole,
  IamRolePolicy,
  IamUser,
  IamUserPolicy,
  Instance,
  InternetGateway,
  LaunchTemplate,
  Lb,
  LbListener,
  LbTargetGroup,
  NatGateway,
  Route,
  Route53HealthCheck,
  Route53Record,
  Route53Zone,
  RouteTable,
  RouteTableAssociation,
  SecretsmanagerSecret,
  SecurityGroup,
  Subnet,
  TerraformOutput,
  TerraformStack,
  TerraformVariable,
  Vpc,
  VpcEndpoint,
  VpcSecurityGroupEgressRule,
  VpcSecurityGroupIngressRule,
} from './aws.ts'
import { applyBackend } from './backend.ts'
import { type ClusterSpec, type Settings, subnetCidrs } from './clusters.ts'
import { connectDataPlane, declareDataPlane } from './cross-region.ts'
import { type DataPlane, dataPlaneOf, isHome, isShared, MASTER_NAME, REGIONAL } from './data-plane.ts'
import { classFlows, classOf, imagesOf, secretsOfClass } from './privileges.ts'
import { bootScript, type StoredName } from './user-data.ts'

export interface ClusterStackProps {
  readonly cluster: ClusterSpec
  readonly settings: Settings
  readonly flows: readonly Flow[]
  /** Every cluster of the app and which is home (default: this cluster alone). */
  readonly dataPlane?: DataPlane
}

const ANYWHERE = '0.0.0.0/0'
/** Tag key (and IMDS tag name) that says which host class an instance belongs to. */
export const HOST_CLASS_TAG = 'persona-host-class'

interface Endpoint {
  readonly sg: SecurityGroup
}

/**
 * Escapes text for the quoted string of a Terraform function call (cdktf passes it through as is);
 * the `${...}` references of cdktf tokens stay live. Literal interpolations are refused.
 */
export function hclQuoted(text: string): string {
  if (/[$%]\{(?!TfToken\[)/.test(text)) throw new Error('boot script contains a literal ${ or %{')
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t')
}

export class ClusterStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: ClusterStackProps) {
    super(scope, id)
    const { cluster: c, settings: s } = props
    const dataPlane = props.dataPlane ?? dataPlaneOf([c])
    const name = (suffix: string) => `persona-${c.name}-${suffix}`
    applyBackend(this, id, s)
    const self = this

    const offline = new TerraformVariable(this, 'offline', {
      type: 'bool',
      default: false,
      description: 'true only for plan/validate without AWS (fake credentials): skips the provider checks',
    })
    const zoneId = new TerraformVariable(this, 'dns_zone_id', {
      type: 'string',
      description: 'Route53 zone id, the output zone_id of the persona-global stack',
    })
    const imageTag = new TerraformVariable(this, 'image_tag', {
      type: 'string',
      description:
        'version of every persona image the hosts run, as `make push` printed it (a deploy changes it, then refreshes instances)',
      validation: [
        {
          condition: `\${var.image_tag != "latest" && can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.image_tag))}`,
          errorMessage: 'image_tag: a version tag (git describe, as `make push` prints it), never "latest".',
        },
      ],
    })
    // The deploy's DNS switch (scripts/multi/targets.ts drives it): false drops the latency records.
    const inDns = new TerraformVariable(this, 'in_dns', {
      type: 'bool',
      default: true,
      description:
        "the per-cluster DNS switch: false takes the cluster's latency records out of DNS for a deploy (its load balancer, hosts and health check stay)",
    })
    new AwsProvider(this, 'aws', {
      region: c.region,
      skipCredentialsValidation: offline.booleanValue,
      skipRequestingAccountId: offline.booleanValue,
      skipMetadataApiCheck: offline.stringValue,
      defaultTags: [{ tags: { project: 'persona', cluster: c.name } }],
    })

    // ---- network: public subnets (load balancer, NAT), private (webheads), isolated (no route out)
    const cidrs = subnetCidrs(c.vpcCidr)
    const vpc = new Vpc(this, 'vpc', {
      cidrBlock: c.vpcCidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: name('vpc') },
    })
    const igw = new InternetGateway(this, 'igw', { vpcId: vpc.id })
    const publicRt = new RouteTable(this, 'rt-public', { vpcId: vpc.id, tags: { Name: name('public') } })
    new Route(this, 'rt-public-default', {
      routeTableId: publicRt.id,
      destinationCidrBlock: ANYWHERE,
      gatewayId: igw.id,
    })
    const isolatedRt = new RouteTable(this, 'rt-isolated', {
      vpcId: vpc.id,
      tags: { Name: name('isolated') },
    })
    const subnet = (kind: 'public' | 'private' | 'isolated', i: number) =>
      new Subnet(this, `subnet-${kind}-${i}`, {
        vpcId: vpc.id,
        cidrBlock: cidrs[kind][i] ?? '',
        availabilityZone: c.zones[i] ?? '',
        mapPublicIpOnLaunch: false,
        tags: { Name: name(`${kind}-${c.zones[i]}`), tier: kind },
      })
    const publicSubnets = [0, 1, 2].map((i) => subnet('public', i))
    const privateSubnets = [0, 1, 2].map((i) => subnet('private', i))
    const isolatedSubnets = [0, 1, 2].map((i) => subnet('isolated', i))
    const privateRts: RouteTable[] = []
    for (const i of [0, 1, 2]) {
      const pub = publicSubnets[i]
      const priv = privateSubnets[i]
      const iso = isolatedSubnets[i]
      if (!pub || !priv || !iso) continue
      new RouteTableAssociation(this, `rta-public-${i}`, { subnetId: pub.id, routeTableId: publicRt.id })
      new RouteTableAssociation(this, `rta-isolated-${i}`, { subnetId: iso.id, routeTableId: isolatedRt.id })
      // One NAT gateway per zone: losing a zone leaves the other webheads their way out.
      const eip = new Eip(this, `nat-eip-${i}`, { domain: 'vpc', tags: { Name: name(`nat-${i}`) } })
      const nat = new NatGateway(this, `nat-${i}`, {
        allocationId: eip.id,
        subnetId: pub.id,
        dependsOn: [igw],
      })
      const rt = new RouteTable(this, `rt-private-${i}`, {
        vpcId: vpc.id,
        tags: { Name: name(`private-${i}`) },
      })
      new Route(this, `rt-private-${i}-default`, {
        routeTableId: rt.id,
        destinationCidrBlock: ANYWHERE,
        natGatewayId: nat.id,
      })
      new RouteTableAssociation(this, `rta-private-${i}`, { subnetId: priv.id, routeTableId: rt.id })
      privateRts.push(rt)
    }
    const subnetsOf = (cls: HostClass) => (cls === 'webhead' ? privateSubnets : isolatedSubnets)

    // ---- security groups: one per host class, per load balancer, and per VPC endpoint group.
    // aws_security_group drops AWS's default allow-all egress: every path below is explicit.
    const sg = (key: string, description: string) =>
      new SecurityGroup(this, `sg-${key}`, {
        name: name(key),
        description,
        vpcId: vpc.id,
        tags: { Name: name(key) },
      })
    const classSg = Object.fromEntries(
      HOST_CLASSES.map((cls) => [cls, sg(cls, `persona ${cls} hosts`)]),
    ) as Record<HostClass, SecurityGroup>
    let ruleNo = 0
    const allow = (
      from: SecurityGroup | 'internet',
      to: SecurityGroup | 'internet' | Endpoint,
      port: number,
      why: string,
    ) => {
      const n = ruleNo++
      const base = { ipProtocol: 'tcp', fromPort: port, toPort: port, description: why.slice(0, 250) }
      const toSg = to === 'internet' ? undefined : to instanceof SecurityGroup ? to : to.sg
      if (from !== 'internet') {
        new VpcSecurityGroupEgressRule(this, `egress-${n}`, {
          ...base,
          securityGroupId: from.id,
          ...(toSg ? { referencedSecurityGroupId: toSg.id } : { cidrIpv4: ANYWHERE }),
        })
      }
      if (toSg) {
        new VpcSecurityGroupIngressRule(this, `ingress-${n}`, {
          ...base,
          securityGroupId: toSg.id,
          ...(from === 'internet' ? { cidrIpv4: ANYWHERE } : { referencedSecurityGroupId: from.id }),
        })
      }
    }

    // ---- load balancers: public in front of the class that runs nginx; internal in front of every
    // class that other hosts call on a service port.
    const flows = classFlows(props.flows, s.smtpRelay.port)
    const entryClass = classOf('nginx')
    const targetGroups = new Map<HostClass, LbTargetGroup[]>()
    const addTg = (cls: HostClass, tg: LbTargetGroup) =>
      targetGroups.set(cls, [...(targetGroups.get(cls) ?? []), tg])
    // Each target group with the load balancer in front of it (alarms.ts watches them).
    const lbTargets: { lb: Lb; tg: LbTargetGroup; name: string }[] = []

    // The cluster's own certificate, in its region. ACM asks the same DNS record of every certificate of
    // these names in one account; the global stack owns those records, so no cluster writes (or, on
    // destroy, deletes) a record another cluster needs. Validation waits for ACM to see them.
    const cert = new AcmCertificate(this, 'cert', {
      domainName: s.mainName,
      subjectAlternativeNames: [s.verifierName],
      validationMethod: 'DNS',
      lifecycle: { createBeforeDestroy: true },
    })
    const certValid = new AcmCertificateValidation(this, 'cert-valid', { certificateArn: cert.arn })

    const publicLbSg = sg('lb-public', 'persona public load balancer')
    const publicLb = new Lb(this, 'lb-public', {
      name: name('public'),
      internal: false,
      loadBalancerType: 'application',
      securityGroups: [publicLbSg.id],
      subnets: publicSubnets.map((x) => x.id),
      dropInvalidHeaderFields: true,
    })
    const ilbs = new Map<HostClass, { lb: Lb; sg: SecurityGroup; ports: Set<number> }>()
    function internalLb(cls: HostClass, port: number, why: string): SecurityGroup {
      let entry = ilbs.get(cls)
      if (!entry) {
        const lbSg = sg(`lb-${cls}`, `persona internal load balancer of ${cls}`)
        const lb = new Lb(self, `lb-${cls}`, {
          name: name(cls),
          internal: true,
          loadBalancerType: 'application',
          securityGroups: [lbSg.id],
          subnets: isolatedSubnets.map((x) => x.id),
          dropInvalidHeaderFields: true,
        })
        entry = { lb, sg: lbSg, ports: new Set() }
        ilbs.set(cls, entry)
      }
      if (!entry.ports.has(port)) {
        entry.ports.add(port)
        const tg = new LbTargetGroup(self, `tg-${cls}-${port}`, {
          name: name(`${cls}-${port}`),
          port,
          protocol: 'HTTP',
          vpcId: vpc.id,
          deregistrationDelay: '30',
          healthCheck: { path: '/__lbheartbeat__', protocol: 'HTTP', matcher: '200' },
        })
        addTg(cls, tg)
        lbTargets.push({ lb: entry.lb, tg, name: `${cls}-${port}` })
        new LbListener(self, `listener-${cls}-${port}`, {
          loadBalancerArn: entry.lb.arn,
          port,
          protocol: 'HTTP',
          defaultAction: [{ type: 'forward', targetGroupArn: tg.arn }],
        })
        allow(entry.sg, classSg[cls], port, `load balancer -> ${why}`)
      }
      return entry.sg
    }

    // ---- VPC endpoints: AWS APIs for hosts with no way out, and the SES SMTP relay for the writer.
    const apiSg = sg('aws-api', 'persona VPC endpoints of AWS APIs')
    for (const svc of s.awsApiEndpoints) {
      new VpcEndpoint(this, `vpce-${svc.replace('.', '-')}`, {
        vpcId: vpc.id,
        serviceName: `com.amazonaws.${c.region}.${svc}`,
        vpcEndpointType: 'Interface',
        subnetIds: isolatedSubnets.map((x) => x.id),
        securityGroupIds: [apiSg.id],
        privateDnsEnabled: true,
      })
    }
    // ECR image layers live in S3: a gateway endpoint on the routes of the isolated and private subnets.
    const s3 = new VpcEndpoint(this, 'vpce-s3', {
      vpcId: vpc.id,
      serviceName: `com.amazonaws.${c.region}.s3`,
      vpcEndpointType: 'Gateway',
      routeTableIds: [isolatedRt.id, ...privateRts.map((r) => r.id)],
    })
    for (const cls of HOST_CLASSES) {
      allow(classSg[cls], { sg: apiSg }, 443, `${cls} -> AWS APIs (ECR, SSM, Secrets Manager, logs)`)
      new VpcSecurityGroupEgressRule(this, `egress-s3-${cls}`, {
        securityGroupId: classSg[cls].id,
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        prefixListId: s3.prefixListId,
        description: `${cls} -> S3 (ECR image layers)`,
      })
    }
    let smtp: { sg: SecurityGroup; endpoint: VpcEndpoint } | undefined
    function smtpEndpoint(): Endpoint {
      if (!smtp) {
        const smtpSg = sg('smtp', 'persona SES SMTP endpoint')
        const endpoint = new VpcEndpoint(self, 'vpce-smtp', {
          vpcId: vpc.id,
          serviceName: `com.amazonaws.${c.region}.${s.smtpRelay.endpointService}`,
          vpcEndpointType: 'Interface',
          subnetIds: isolatedSubnets.map((x) => x.id),
          securityGroupIds: [smtpSg.id],
          privateDnsEnabled: true,
        })
        smtp = { sg: smtpSg, endpoint }
      }
      return { sg: smtp.sg }
    }

    // Every cross-host flow of the privilege table, as rules (and load balancers where needed).
    for (const f of flows) {
      if (f.from === 'internet') {
        if (f.to === 'internet' || f.to === 'smtp') throw new Error(`cannot place ${f.why}`)
        if (f.to === entryClass) {
          const tg = new LbTargetGroup(this, `tg-public-${f.port}`, {
            name: name(`web-${f.port}`),
            port: f.port,
            protocol: 'HTTPS',
            vpcId: vpc.id,
            deregistrationDelay: '30',
            healthCheck: { path: '/__lbheartbeat__', protocol: 'HTTPS', matcher: '200' },
          })
          addTg(f.to, tg)
          lbTargets.push({ lb: publicLb, tg, name: `public-${f.port}` })
          new LbListener(this, `listener-public-${f.port}`, {
            loadBalancerArn: publicLb.arn,
            port: 443,
            protocol: 'HTTPS',
            sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
            certificateArn: certValid.certificateArn,
            defaultAction: [{ type: 'forward', targetGroupArn: tg.arn }],
          })
          allow('internet', publicLbSg, 443, f.why)
          allow(publicLbSg, classSg[f.to], f.port, `load balancer -> ${f.why}`)
        } else {
          // Only a changed topology gets here: the class is opened to the internet directly.
          allow('internet', classSg[f.to], f.port, f.why)
        }
        continue
      }
      const fromSg = classSg[f.from]
      if (f.to === 'internet') allow(fromSg, 'internet', f.port, f.why)
      else if (f.to === 'smtp') allow(fromSg, smtpEndpoint(), f.port, f.why)
      else if (f.toService) allow(fromSg, internalLb(f.to, f.port, f.why), f.port, f.why)
      else allow(fromSg, classSg[f.to], f.port, f.why)
    }

    // ---- images: one ECR repository per image of the contract (immutable tags: a version is one build)
    const repos = new Map<ImageName, EcrRepository>()
    for (const image of IMAGES) {
      repos.set(
        image,
        new EcrRepository(this, `ecr-${image}`, {
          name: `persona-${image}`,
          imageTagMutability: 'IMMUTABLE',
          imageScanningConfiguration: { scanOnPush: true },
          // A cluster's destroy takes its repositories, images included (push them again to rebuild).
          forceDelete: true,
        }),
      )
    }
    const repoUrl = (image: ImageName) => repos.get(image)?.repositoryUrl ?? ''
    const registry = Fn.element(Fn.split('/', repoUrl('router')), 0)

    // ---- secrets: containers only, values put by the init host (or the operator), never by Terraform.
    // Names carry a suffix Terraform picks: a destroyed secret waits out its recovery window under its
    // old name, and the next apply makes a new one beside it instead of colliding.
    // One data plane: shared values are made once, in the home cluster's region, with a replica in
    // every other cluster's region; beside the home, only this region's own values are made here.
    const declared = declareDataPlane(this, { cluster: c, dataPlane, offline, flows: props.flows })
    const stored: StoredName[] = [...SECRET_NAMES, 'publicKey']
    const secrets = new Map<StoredName, SecretsmanagerSecret>()
    for (const secret of stored) {
      if (declared.sharedArn(secret) !== undefined) continue
      const replicas = declared.replicasOf(secret)
      secrets.set(
        secret,
        new SecretsmanagerSecret(this, `secret-${secret}`, {
          namePrefix: `persona/${c.name}/${secret}-`,
          description:
            secret === 'publicKey'
              ? "the certifier's public key (not secret; stored with the key so init writes both)"
              : `persona ${secret}`,
          recoveryWindowInDays: s.secretRecoveryDays,
          ...(replicas.length > 0 ? { replica: replicas } : {}),
        }),
      )
    }
    const secretArn = (x: StoredName) => declared.sharedArn(x) ?? secrets.get(x)?.arn ?? ''
    /** What a class's role reads: its holders' secrets, and the public key on the webheads. */
    const readableBy = (cls: HostClass | 'init'): StoredName[] => [
      ...secretsOfClass(cls),
      ...(cls === 'init' || partsOfClass(cls).includes('reader') ? (['publicKey'] as const) : []),
    ]

    // ---- the writer's mail: an IAM user allowed to send through SES; init turns a key of it into SMTP
    // credentials (the key never passes through Terraform).
    const smtpUser = new IamUser(this, 'ses-smtp-user', { name: name('ses-smtp') })
    new IamUserPolicy(this, 'ses-smtp-policy', {
      name: name('ses-smtp'),
      user: smtpUser.name,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'ses:SendRawEmail', Resource: '*' }],
      }),
    })

    // ---- the one-shot init host's network: to the master (accounts, schema) and the AWS APIs only.
    const initSg = sg('init', 'persona one-shot init host')
    for (const f of ONE_SHOT_FLOWS) {
      const to = classOf(f.to)
      if (to === 'internet' || to === 'smtp') throw new Error(`cannot place ${f.why}`)
      allow(initSg, classSg[to], f.port, `${f.from} -> ${f.to}: ${f.why}`)
    }
    allow(initSg, { sg: apiSg }, 443, 'init -> AWS APIs (ECR, Secrets Manager, logs)')
    // IAM has no VPC endpoint: init makes the SES SMTP user's key through the NAT gateway.
    allow(initSg, 'internet', 443, 'init -> IAM (no VPC endpoint): the SES SMTP key')
    new VpcSecurityGroupEgressRule(this, 'egress-s3-init', {
      securityGroupId: initSg.id,
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      prefixListId: s3.prefixListId,
      description: 'init -> S3 (ECR image layers)',
    })

    // ---- private names for the databases: db-master (one address), db-replica (round robin over the
    // replicas), so a promotion changes one record rather than every host's configuration.
    const dbName = (role: 'master' | 'replica') => `db-${role}.${c.name}.persona.internal`

    // ---- how this cluster addresses everything: the contract's site for its hosts.
    const classOfService = (svc: ServiceName): HostClass => SERVICE_SPECS[svc].hostClass
    const site: Site = {
      render: `host:${c.name}`,
      containers: true,
      mode: 'production',
      url: (to, from) => {
        const port = SERVICE_SPECS[to].port
        const fromClass = PART_SPECS[from].hostClass
        if (fromClass === classOfService(to)) return `http://127.0.0.1:${port}`
        const ilb = ilbs.get(classOfService(to))
        if (!ilb)
          throw new Error(`${from} calls ${to} across hosts, but ${classOfService(to)} has no load balancer`)
        return `http://${ilb.lb.dnsName}:${port}`
      },
      db: {
        // One master for every cluster, by its one name (data-plane.ts).
        master: { host: MASTER_NAME, port: 3306 },
        replica: { host: dbName('replica'), port: 3306 },
      },
      smtp: {
        host: smtp ? smtp.endpoint.dnsEntry.get(0).dnsName : '',
        port: s.smtpRelay.port,
        secure: false,
      },
      publicUrl: `https://${s.mainName}`,
      issuerDomain: s.mainName,
      edge: {
        mode: 'production',
        listen: '0.0.0.0:443',
        serverNames: [s.mainName],
        verifierHost: s.verifierName,
        // The load balancer (in the VPC) is the hop whose X-Forwarded-For nginx believes, and the one
        // whose health checks may read the heartbeats.
        trustedProxies: [c.vpcCidr],
        monitorAllow: ['127.0.0.1', '::1', c.vpcCidr],
      },
    }

    // ---- roles, launch templates, hosts
    const templates = new Map<HostClass | 'init', LaunchTemplate>()
    const assume = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    })
    for (const cls of [...HOST_CLASSES, 'init' as const]) {
      const logGroup = new CloudwatchLogGroup(this, `logs-${cls}`, {
        name: `/persona/${c.name}/${cls}`,
        retentionInDays: s.logRetentionDays,
      })
      const role = new IamRole(this, `role-${cls}`, { name: name(cls), assumeRolePolicy: assume })
      // Beside the home cluster the init host reads only what it makes (its region's SES account).
      const readable = readableBy(cls).filter((x) => cls !== 'init' || isHome(dataPlane, c) || secrets.has(x))
      const statements: object[] = [
        { Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
        {
          Effect: 'Allow',
          Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
          Resource: imagesOf(cls).map((i) => repos.get(i)?.arn ?? ''),
        },
        {
          // The awslogs driver writes each container's output.
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: `${logGroup.arn}:*`,
        },
        {
          // Session Manager for operators, without the managed policy's ssm:GetParameter on "*".
          Effect: 'Allow',
          Action: ['ssm:UpdateInstanceInformation', 'ssmmessages:*', 'ec2messages:*'],
          Resource: '*',
        },
      ]
      if (readable.length > 0) {
        statements.push({
          Effect: 'Allow',
          Action: 'secretsmanager:GetSecretValue',
          Resource: readable.map(secretArn),
        })
      }
      if (cls === 'init') {
        // init makes every value it holds (and the public key), and the SES SMTP user's key.
        statements.push(
          {
            // Only values made in this stack: a replica of a shared value is written in its home region.
            Effect: 'Allow',
            Action: 'secretsmanager:PutSecretValue',
            Resource: readable.filter((x) => secrets.has(x)).map(secretArn),
          },
          { Effect: 'Allow', Action: 'iam:CreateAccessKey', Resource: smtpUser.arn },
        )
      }
      new IamRolePolicy(this, `policy-${cls}`, {
        name: name(cls),
        role: role.id,
        policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
      })
      const profile = new IamInstanceProfile(this, `profile-${cls}`, { name: name(cls), role: role.name })
      const size = cls === 'init' ? s.initHost : s.hostClasses[cls]
      const script = bootScript({
        cluster: c.name,
        region: c.region,
        hostClass: cls,
        parts: partsOfClass(cls),
        imageTag: imageTag.stringValue,
        registry,
        repoOf: repoUrl,
        secretArn,
        site,
        logGroup: logGroup.name,
        ...(cls === 'init' ? { smtpIamUser: smtpUser.name } : {}),
        ...(cls === 'init' && !isHome(dataPlane, c)
          ? { beside: { home: dataPlane.home.name, regional: REGIONAL } }
          : {}),
      })
      templates.set(
        cls,
        new LaunchTemplate(this, `lt-${cls}`, {
          name: name(cls),
          imageId: s.amiParameter,
          instanceType: size.instanceType,
          vpcSecurityGroupIds: [cls === 'init' ? initSg.id : classSg[cls].id],
          iamInstanceProfile: { arn: profile.arn },
          userData: Fn.base64encode(hclQuoted(script)),
          updateDefaultVersion: true,
          metadataOptions: {
            httpTokens: 'required',
            httpEndpoint: 'enabled',
            instanceMetadataTags: 'enabled',
          },
          blockDeviceMappings: [
            {
              deviceName: '/dev/xvda',
              ebs: {
                volumeSize: size.rootVolumeGb,
                volumeType: 'gp3',
                encrypted: 'true',
                deleteOnTermination: 'true',
              },
            },
          ],
          tagSpecifications: [{ resourceType: 'instance', tags: { Name: name(cls), [HOST_CLASS_TAG]: cls } }],
        }),
      )
    }

    const dbHosts: Instance[] = []
    for (const cls of HOST_CLASSES) {
      const lt = templates.get(cls)
      if (!lt) continue
      const size = s.hostClasses[cls]
      const subnets = subnetsOf(cls)
      if (cls === 'db') {
        // Fixed hosts, one role each: in the home cluster index 0 the master, every other one (and every
        // db host of the other clusters) a replica of it, round the zones.
        for (let i = 0; i < size.hosts; i++) {
          const sn = subnets[i % subnets.length]
          if (!sn) continue
          const role = i === 0 && isHome(dataPlane, c) ? 'master' : 'replica'
          dbHosts.push(
            new Instance(this, `db-${i}`, {
              launchTemplate: { id: lt.id, version: '$Latest' },
              subnetId: sn.id,
              tags: { Name: name(`db-${i}`), [HOST_CLASS_TAG]: 'db', 'persona-db-role': role },
              // The launch template owns the boot script (user data); a new version does not replace a
              // database host.
              lifecycle: { ignoreChanges: ['launch_template', 'user_data'] },
            }),
          )
        }
        continue
      }
      const lbBacked = (targetGroups.get(cls) ?? []).length > 0
      new AutoscalingGroup(this, `asg-${cls}`, {
        name: name(cls),
        minSize: size.hosts,
        maxSize: size.maxHosts,
        desiredCapacity: size.hosts,
        vpcZoneIdentifier: subnets.map((x) => x.id),
        launchTemplate: { id: lt.id, version: '$Latest' },
        targetGroupArns: (targetGroups.get(cls) ?? []).map((t) => t.arn),
        healthCheckType: lbBacked ? 'ELB' : 'EC2',
        healthCheckGracePeriod: 300,
        instanceRefresh: { strategy: 'Rolling', preferences: { minHealthyPercentage: 66 } },
        tag: [
          { key: 'Name', value: name(cls), propagateAtLaunch: true },
          { key: HOST_CLASS_TAG, value: cls, propagateAtLaunch: true },
        ],
      })
    }
    // The init host: runs once, then stops itself (a new version's migrations: `terraform apply
    // -replace=aws_instance.init`). In a private subnet: IAM, which it calls once, has no VPC endpoint.
    const initLt = templates.get('init')
    const initHost = new Instance(this, 'init', {
      launchTemplate: { id: initLt?.id ?? '', version: '$Latest' },
      subnetId: privateSubnets[0]?.id ?? '',
      instanceInitiatedShutdownBehavior: 'stop',
      tags: { Name: name('init'), [HOST_CLASS_TAG]: 'init' },
      lifecycle: { ignoreChanges: ['launch_template', 'user_data'] },
    })

    const master = isHome(dataPlane, c) ? dbHosts[0] : undefined
    const replicas = master === undefined ? dbHosts : dbHosts.slice(1)
    const internalZone = new Route53Zone(this, 'zone-internal', {
      name: `${c.name}.persona.internal`,
      vpc: [{ vpcId: vpc.id }],
      comment: 'Persona private names of this cluster',
    })
    // This cluster's replicas; the master's name is the data plane's, in a zone every VPC resolves.
    new Route53Record(this, 'dns-db-replica', {
      zoneId: internalZone.zoneId,
      name: dbName('replica'),
      type: 'A',
      ttl: 30,
      records: replicas.map((h) => h.privateIp),
    })
    connectDataPlane(this, {
      cluster: c,
      dataPlane,
      offline,
      declared,
      vpc,
      isolatedRouteTable: isolatedRt,
      classSg,
      master,
      flows: props.flows,
      sharedArns: Object.fromEntries([...secrets].filter(([k]) => isShared(k)).map(([k, v]) => [k, v.arn])),
    })

    // ---- DNS: the health check always exists; the records only while the cluster is switched in.
    const health = new Route53HealthCheck(this, 'health', {
      fqdn: publicLb.dnsName,
      port: 443,
      type: 'HTTPS',
      resourcePath: '/__heartbeat__',
      failureThreshold: 3,
      requestInterval: 30,
      tags: { Name: name('heartbeat') },
    })
    if (c.inDns) {
      for (const [key, fqdn] of [
        ['main', s.mainName],
        ['verifier', s.verifierName],
      ] as const) {
        new Route53Record(this, `dns-${key}`, {
          zoneId: zoneId.stringValue,
          name: fqdn,
          type: 'A',
          setIdentifier: c.name,
          latencyRoutingPolicy: { region: c.region },
          healthCheckId: health.id,
          count: Fn.conditional(inDns.booleanValue, 1, 0),
          alias: { name: publicLb.dnsName, zoneId: publicLb.zoneId, evaluateTargetHealth: true },
        })
      }
    }

    // ---- CloudWatch alarms on the load balancers and the health check, escalated through SNS.
    clusterAlarms(this, {
      cluster: c.name,
      provider: {
        skipCredentialsValidation: offline.booleanValue,
        skipRequestingAccountId: offline.booleanValue,
        skipMetadataApiCheck: offline.stringValue,
      },
      publicLb,
      targetGroups: lbTargets,
      healthCheck: health,
    })

    new TerraformOutput(this, 'public_lb_dns_name', { value: publicLb.dnsName })
    new TerraformOutput(this, 'health_check_id', { value: health.id })
    new TerraformOutput(this, 'ecr_repositories', {
      value: Object.fromEntries([...repos].map(([k, r]) => [k, r.repositoryUrl])),
    })
    new TerraformOutput(this, 'registry', { value: registry })
    new TerraformOutput(this, 'launch_templates', {
      value: Object.fromEntries([...templates].map(([k, t]) => [k, t.id])),
    })
    new TerraformOutput(this, 'init_instance_id', { value: initHost.id })
    // Named like the variables they report (one namespace for constructs, two in Terraform): what the
    // deploy CLI reads back (scripts/multi/targets.ts).
    new TerraformOutput(this, 'image-tag-output', { value: imageTag.stringValue }).overrideLogicalId(
      'image_tag',
    )
    new TerraformOutput(this, 'in-dns-output', {
      value: c.inDns ? inDns.booleanValue : false,
    }).overrideLogicalId('in_dns')
  }
}
