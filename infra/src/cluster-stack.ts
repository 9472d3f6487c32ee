// SPDX-License-Identifier: MPL-2.0
// One cluster in one region: VPC over three zones, the public load balancer in front of the webheads,
// internal load balancers in front of the classes other hosts call over HTTP, a launch template and
// hosts per class, security groups derived from the privilege table (privileges.ts), Secrets Manager
// secrets readable per the topology's holders, and this cluster's health check and DNS records.
import {
  type Flow,
  HOST_CLASSES,
  type HostClass,
  type NodeName,
  SECRET_NAMES,
  type SecretName,
} from '@persona/kit/topology'
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
  SsmParameter,
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
import {
  ALL_IMAGES,
  classFlows,
  classOf,
  imageOf,
  imagesOf,
  initReadableSecrets,
  partsOf,
  secretsOfClass,
} from './privileges.ts'
import { bootScript } from './user-data.ts'

export interface ClusterStackProps {
  readonly cluster: ClusterSpec
  readonly settings: Settings
  readonly flows: readonly Flow[]
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
      default: s.imageTag,
      description: 'tag of every persona image the hosts run (a deploy changes it, then refreshes instances)',
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

    const cert = new AcmCertificate(this, 'cert', {
      domainName: s.mainName,
      subjectAlternativeNames: [s.verifierName],
      validationMethod: 'DNS',
      lifecycle: { createBeforeDestroy: true },
    })
    // One validation record per name. The names are known, so the records are too (a for_each over
    // domain_validation_options would have unknown keys at plan time).
    const dvoField = (domain: string, field: string) =>
      `\${[for o in ${cert.fqn}.domain_validation_options : o.${field} if o.domain_name == "${domain}"][0]}`
    const validationRecords = [s.mainName, s.verifierName].map(
      (domain, i) =>
        new Route53Record(this, `cert-validation-${i}`, {
          zoneId: zoneId.stringValue,
          name: dvoField(domain, 'resource_record_name'),
          type: dvoField(domain, 'resource_record_type'),
          records: [dvoField(domain, 'resource_record_value')],
          ttl: 300,
          // Every cluster's certificate asks for the same record (same account, same names).
          allowOverwrite: true,
        }),
    )
    const certValid = new AcmCertificateValidation(this, 'cert-valid', {
      certificateArn: cert.arn,
      validationRecordFqdns: validationRecords.map((r) => r.fqdn),
    })

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

    // ---- images, secrets, logs
    const repos = new Map<string, EcrRepository>()
    for (const image of ALL_IMAGES) {
      repos.set(
        image,
        new EcrRepository(this, `ecr-${image}`, {
          name: image,
          imageTagMutability: 'IMMUTABLE',
          imageScanningConfiguration: { scanOnPush: true },
        }),
      )
    }
    const repoOf = (part: NodeName) => repos.get(imageOf(part))?.repositoryUrl ?? ''
    const secrets = new Map<SecretName, SecretsmanagerSecret>()
    for (const secret of SECRET_NAMES) {
      // Only the container: values are put by the init job or the operator, never by Terraform.
      secrets.set(
        secret,
        new SecretsmanagerSecret(this, `secret-${secret}`, {
          name: `persona/${c.name}/${secret}`,
          recoveryWindowInDays: s.secretRecoveryDays,
        }),
      )
    }
    const secretArn = (x: SecretName) => secrets.get(x)?.arn ?? ''

    // ---- configuration: SSM parameters per class (plain values; secrets are never parameters)
    const dbHosts: Instance[] = []
    const config = new Map<HostClass, Record<string, string>>()
    const setConfig = (cls: HostClass, key: string, value: string) =>
      config.set(cls, { ...(config.get(cls) ?? {}), [key]: value })
    for (const cls of HOST_CLASSES) {
      setConfig(cls, 'IMAGE_TAG', imageTag.stringValue)
      setConfig(cls, 'PERSONA_CLUSTER', c.name)
      setConfig(cls, 'PUBLIC_URL', `https://${s.mainName}`)
      setConfig(cls, 'VERIFIER_PUBLIC_URL', `https://${s.verifierName}`)
    }

    // ---- roles, launch templates, hosts
    const templates = new Map<HostClass, LaunchTemplate>()
    const assume = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    })
    const paramArn = (path: string) => `arn:aws:ssm:${c.region}:*:parameter${path}`
    for (const cls of HOST_CLASSES) {
      const paramPath = `/persona/${c.name}/${cls}`
      const logGroup = new CloudwatchLogGroup(this, `logs-${cls}`, {
        name: `/persona/${c.name}/${cls}`,
        retentionInDays: s.logRetentionDays,
      })
      const role = new IamRole(this, `role-${cls}`, { name: name(cls), assumeRolePolicy: assume })
      const readable = secretsOfClass(cls)
      const statements: object[] = [
        { Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
        {
          Effect: 'Allow',
          Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
          Resource: imagesOf(cls).map((i) => repos.get(i)?.arn ?? ''),
        },
        { Effect: 'Allow', Action: 'ssm:GetParametersByPath', Resource: paramArn(paramPath) },
        {
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
      new IamRolePolicy(this, `policy-${cls}`, {
        name: name(cls),
        role: role.id,
        policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
      })
      const profile = new IamInstanceProfile(this, `profile-${cls}`, { name: name(cls), role: role.name })
      const size = s.hostClasses[cls]
      const script = bootScript({
        cluster: c.name,
        region: c.region,
        hostClass: cls,
        parts: partsOf(cls),
        repoOf,
        secretArn,
        paramPath,
        logGroup: logGroup.name,
      })
      templates.set(
        cls,
        new LaunchTemplate(this, `lt-${cls}`, {
          name: name(cls),
          imageId: s.amiParameter,
          instanceType: size.instanceType,
          vpcSecurityGroupIds: [classSg[cls].id],
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

    // The one-shot init job (migrations, accounts, keys): writes every secret, reads only its own.
    const initRole = new IamRole(this, 'role-init', { name: name('init'), assumeRolePolicy: assume })
    new IamRolePolicy(this, 'policy-init', {
      name: name('init'),
      role: initRole.id,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'secretsmanager:PutSecretValue', Resource: SECRET_NAMES.map(secretArn) },
          {
            Effect: 'Allow',
            Action: 'secretsmanager:GetSecretValue',
            Resource: initReadableSecrets().map(secretArn),
          },
          { Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
          {
            Effect: 'Allow',
            Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
            Resource: [...repos.values()].map((r) => r.arn),
          },
        ],
      }),
    })
    new IamInstanceProfile(this, 'profile-init', { name: name('init'), role: initRole.name })

    for (const cls of HOST_CLASSES) {
      const lt = templates.get(cls)
      if (!lt) continue
      const size = s.hostClasses[cls]
      const subnets = subnetsOf(cls)
      if (cls === 'db') {
        // Fixed hosts, one role each: index 0 the master, the others replicas, round the zones.
        for (let i = 0; i < size.hosts; i++) {
          const sn = subnets[i % subnets.length]
          if (!sn) continue
          const role = i === 0 ? 'master' : 'replica'
          dbHosts.push(
            new Instance(this, `db-${i}`, {
              launchTemplate: { id: lt.id, version: '$Latest' },
              subnetId: sn.id,
              tags: { Name: name(`db-${i}`), [HOST_CLASS_TAG]: 'db', 'persona-db-role': role },
              lifecycle: { ignoreChanges: ['launch_template'] },
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

    // Private names for the databases: db-master (one address) and db-replica (round robin over the
    // replicas), so a promotion changes one record rather than every host's configuration.
    const master = dbHosts[0]
    const replicas = dbHosts.slice(1)
    const internalZone = new Route53Zone(this, 'zone-internal', {
      name: `${c.name}.persona.internal`,
      vpc: [{ vpcId: vpc.id }],
      comment: 'Persona private names of this cluster',
    })
    const dbName = (role: 'master' | 'replica') => `db-${role}.${c.name}.persona.internal`
    for (const [role, hosts] of [
      ['master', master ? [master] : []],
      ['replica', replicas],
    ] as const) {
      new Route53Record(this, `dns-db-${role}`, {
        zoneId: internalZone.zoneId,
        name: dbName(role),
        type: 'A',
        ttl: 30,
        records: hosts.map((h) => h.privateIp),
      })
    }
    // Where each class finds what it calls, derived from the flows that leave its hosts. Database
    // settings follow the store's names: DB_<SERVICE>_HOST/PORT for the service's own account.
    for (const f of props.flows) {
      const from = classOf(f.from)
      const to = classOf(f.to)
      if (from === 'internet' || from === 'smtp' || from === to) continue
      if (to === 'smtp') {
        setConfig(from, 'SMTP_HOST', smtp ? smtp.endpoint.dnsEntry.get(0).dnsName : '')
        setConfig(from, 'SMTP_PORT', String(s.smtpRelay.port))
      } else if (f.to === 'db-master' || f.to === 'db-replica') {
        const account = f.from.toUpperCase().replace(/-/g, '_')
        setConfig(from, `DB_${account}_HOST`, dbName(f.to === 'db-master' ? 'master' : 'replica'))
        setConfig(from, `DB_${account}_PORT`, String(f.port))
      } else if (to !== 'internet') {
        const ilb = ilbs.get(to)
        if (ilb) setConfig(from, `${f.to.toUpperCase()}_URL`, `http://${ilb.lb.dnsName}:${f.port}`)
      }
    }
    // Within the db class, replicas find their master by its private name.
    setConfig('db', 'DB_MASTER_HOST', dbName('master'))
    for (const [cls, values] of config) {
      for (const [key, value] of Object.entries(values)) {
        new SsmParameter(this, `param-${cls}-${key}`, {
          name: `/persona/${c.name}/${cls}/${key}`,
          type: 'String',
          value,
        })
      }
    }

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
          alias: { name: publicLb.dnsName, zoneId: publicLb.zoneId, evaluateTargetHealth: true },
        })
      }
    }

    new TerraformOutput(this, 'public_lb_dns_name', { value: publicLb.dnsName })
    new TerraformOutput(this, 'health_check_id', { value: health.id })
    new TerraformOutput(this, 'ecr_repositories', {
      value: Object.fromEntries([...repos].map(([k, r]) => [k, r.repositoryUrl])),
    })
    new TerraformOutput(this, 'in_dns', { value: c.inDns })
  }
}
