// SPDX-License-Identifier: MPL-2.0
// The host boot sandbox: one cluster booted from nothing but what Terraform applied in the emulator.
// Every host is a container on a network with the cluster's VPC range, at the private address moto gave
// its instance, running its host class's user data taken from the launch template in the emulator, with
// its own dockerd (so `docker run --network host` and bind mounts mean that host's). Its AWS calls are
// answered by moto, its images pulled from the local registry, its load balancers, metadata service and
// mail relay stood in for (standins.ts). Nothing of Persona is started by the sandbox itself.
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { freePort } from '@persona/kit/ports'
import type { ClusterSpec } from '../clusters.ts'
import { MASTER_ZONE } from '../data-plane.ts'
import { AWS_CLI, EMULATOR_CREDENTIALS, ROOT } from '../emulator/moto.ts'
import {
  type InstanceView,
  type LoadBalancerView,
  makeLeaf,
  makeTls,
  type StandIns,
  startStandIns,
  type TargetGroupView,
} from './standins.ts'

const run = promisify(execFile)
const SANDBOX_DIR = join(ROOT, 'infra', 'sandbox')

type Json = Record<string, unknown>
const arr = (v: unknown): Json[] =>
  Array.isArray(v) ? v.filter((x): x is Json => typeof x === 'object' && x !== null) : []
const str = (v: unknown): string => (typeof v === 'string' ? v : '')

/** The AWS CLI of the virtualenv, against the emulator, JSON out. */
async function aws(endpoint: string, region: string, args: readonly string[]): Promise<Json> {
  const { stdout } = await run(AWS_CLI, ['--region', region, '--output', 'json', ...args], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      ...EMULATOR_CREDENTIALS,
      AWS_ENDPOINT_URL: endpoint,
    },
    maxBuffer: 64 * 1024 * 1024,
    timeout: 60_000,
  })
  return stdout.trim() === '' ? {} : (JSON.parse(stdout) as Json)
}

async function docker(args: readonly string[], timeoutMs = 120_000): Promise<string> {
  try {
    return (await run('docker', [...args], { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 })).stdout
  } catch (e) {
    const o = typeof e === 'object' && e !== null ? e : {}
    throw new Error(`docker ${args.slice(0, 2).join(' ')}: ${'stderr' in o ? String(o.stderr) : String(e)}`)
  }
}

export interface SandboxHost {
  readonly instance: InstanceView
  readonly hostClass: string
  readonly container: string
}

export interface Sandbox {
  readonly hosts: readonly SandboxHost[]
  readonly standIns: StandIns
  /** The CA that signed the load balancer's (the ACM stand-in's) certificate. */
  readonly ca: Buffer
  readonly publicLb: { readonly host: string; readonly port: number }
  readonly network: string
  /** Runs a command in a sandbox host (e.g. `docker ps` of its own dockerd). */
  exec(host: SandboxHost, cmd: readonly string[]): Promise<string>
  /** Each host's boot: exit status and seconds (undefined while its user data runs). */
  bootStatus(host: SandboxHost): Promise<{ code: number; seconds: number } | undefined>
  stop(): Promise<void>
}

export interface SandboxOptions {
  readonly cluster: ClusterSpec
  readonly mainName: string
  readonly verifierName: string
  readonly motoEndpoint: string
  readonly motoPort: number
  readonly registryPort: number
  /** How many hosts of each class to boot (moto made them all; the machine runs these). */
  readonly boot: Readonly<Record<string, number>>
  readonly log: (line: string) => void
}

/** The sandbox hosts' dockerd made cgroups under /persona-sandbox: empty once they are gone; removed. */
function removeCgroups(): void {
  const rm = (dir: string) => {
    let entries: string[] = []
    try {
      entries = readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
    } catch {
      return
    }
    for (const e of entries) rm(join(dir, e))
    try {
      rmdirSync(dir)
    } catch {
      // still in use, or not ours to remove
    }
  }
  let controllers: string[] = []
  try {
    controllers = readdirSync('/sys/fs/cgroup')
  } catch {
    return
  }
  for (const c of controllers) rm(join('/sys/fs/cgroup', c, 'persona-sandbox'))
  rm('/sys/fs/cgroup/persona-sandbox')
}

/** The sandbox host image (the AMI's stand-in), built once per content. */
async function hostImage(): Promise<string> {
  const hash = createHash('sha256')
    .update(readFileSync(join(SANDBOX_DIR, 'Dockerfile')))
    .update(readFileSync(join(SANDBOX_DIR, 'host.sh')))
    .digest('hex')
    .slice(0, 12)
  const tag = `persona-sandbox-host:${hash}`
  try {
    await docker(['image', 'inspect', tag])
  } catch {
    await run('docker', ['build', '-q', '-t', tag, SANDBOX_DIR], {
      env: { ...process.env, DOCKER_BUILDKIT: '0' },
      timeout: 20 * 60_000,
      maxBuffer: 64 * 1024 * 1024,
    })
  }
  return tag
}

/** What the emulator holds for the cluster: instances, load balancers, private names, endpoints. */
async function readEmulator(o: SandboxOptions) {
  const call = (args: readonly string[]) => aws(o.motoEndpoint, o.cluster.region, args)
  const instances: (InstanceView & { hostClass: string; launchTemplate: string })[] = []
  const reservations = arr((await call(['ec2', 'describe-instances'])).Reservations)
  for (const inst of reservations.flatMap((r) => arr(r.Instances))) {
    if (str((inst.State as Json | undefined)?.Name) !== 'running') continue
    const tags = Object.fromEntries(arr(inst.Tags).map((t) => [str(t.Key), str(t.Value)]))
    const hostClass = tags['persona-host-class'] ?? ''
    if (hostClass === '' || !str(tags.Name).startsWith(`persona-${o.cluster.name}-`)) continue
    instances.push({
      id: str(inst.InstanceId),
      ip: str(inst.PrivateIpAddress),
      tags,
      role: '',
      hostClass,
      launchTemplate: `persona-${o.cluster.name}-${hostClass}`,
    })
  }
  const userData = new Map<string, { script: string; role: string }>()
  for (const cls of new Set(instances.map((i) => i.hostClass))) {
    const v = arr(
      (
        await call([
          'ec2',
          'describe-launch-template-versions',
          '--launch-template-name',
          `persona-${o.cluster.name}-${cls}`,
          '--versions',
          '$Latest',
        ])
      ).LaunchTemplateVersions,
    )[0]
    const data = (v?.LaunchTemplateData ?? {}) as Json
    const profileArn = str((data.IamInstanceProfile as Json | undefined)?.Arn)
    const profile = (
      await call([
        'iam',
        'get-instance-profile',
        '--instance-profile-name',
        profileArn.split('/').pop() ?? '',
      ])
    ).InstanceProfile as Json
    userData.set(cls, {
      script: Buffer.from(str(data.UserData), 'base64').toString('utf8'),
      role: str(arr(profile.Roles)[0]?.RoleName),
    })
  }
  const withRoles = instances.map((i) => ({ ...i, role: userData.get(i.hostClass)?.role ?? '' }))
  const loadBalancers: LoadBalancerView[] = []
  for (const lb of arr((await call(['elbv2', 'describe-load-balancers'])).LoadBalancers)) {
    if (!str(lb.LoadBalancerName).startsWith(`persona-${o.cluster.name}-`)) continue
    const listeners = new Map<number, TargetGroupView>()
    for (const l of arr(
      (await call(['elbv2', 'describe-listeners', '--load-balancer-arn', str(lb.LoadBalancerArn)])).Listeners,
    )) {
      const tgArn = str(arr(l.DefaultActions)[0]?.TargetGroupArn)
      const tg = arr(
        (await call(['elbv2', 'describe-target-groups', '--target-group-arns', tgArn])).TargetGroups,
      )[0]
      const targets = arr(
        (await call(['elbv2', 'describe-target-health', '--target-group-arn', tgArn]))
          .TargetHealthDescriptions,
      ).map((t) => str((t.Target as Json | undefined)?.Id))
      listeners.set(Number(l.Port), {
        port: Number(tg?.Port),
        targets,
        healthPath: str(tg?.HealthCheckPath) || '/',
      })
    }
    loadBalancers.push({ dnsName: str(lb.DNSName), internal: str(lb.Scheme) === 'internal', listeners })
  }
  const names = new Map<string, string>()
  for (const z of arr((await call(['route53', 'list-hosted-zones'])).HostedZones)) {
    // The cluster's own private zone, and the data plane's (db-master.persona.internal, every VPC's).
    if (![`${o.cluster.name}.persona.internal.`, `${MASTER_ZONE}.`].includes(str(z.Name))) continue
    const sets = arr(
      (await call(['route53', 'list-resource-record-sets', '--hosted-zone-id', str(z.Id)]))
        .ResourceRecordSets,
    )
    for (const rs of sets.filter((r) => str(r.Type) === 'A')) {
      const first = arr(rs.ResourceRecords)[0]
      if (first !== undefined) names.set(str(rs.Name).replace(/\.$/, ''), str(first.Value))
    }
  }
  const endpoints = arr((await call(['ec2', 'describe-vpc-endpoints'])).VpcEndpoints)
  const ses = endpoints.find((e) => str(e.ServiceName).endsWith('email-smtp'))
  const sesName = str(arr(ses?.DnsEntries)[0]?.DnsName)
  const repo = arr((await call(['ecr', 'describe-repositories'])).repositories)[0]
  const registryHost = str(repo?.repositoryUri).split('/')[0] ?? ''
  return { instances: withRoles, userData, loadBalancers, names, sesName, registryHost }
}

/** Boots the cluster's hosts in the sandbox; returns once every container is started (not yet healthy). */
export async function bootCluster(o: SandboxOptions): Promise<Sandbox> {
  const undo: (() => Promise<unknown>)[] = []
  try {
    return await boot(o, undo)
  } catch (e) {
    // What was started before the failure goes, so that the caller's process can end.
    for (const u of undo.reverse()) await u().catch(() => undefined)
    throw e
  }
}

async function boot(o: SandboxOptions, undo: (() => Promise<unknown>)[]): Promise<Sandbox> {
  const work = mkdtempSync(join(tmpdir(), 'persona-sandbox-'))
  undo.push(async () => rmSync(work, { recursive: true, force: true }))
  const em = await readEmulator(o)
  const base = o.cluster.vpcCidr.replace(/\.0\.0\/16$/, '')
  const gateway = `${base}.0.1`
  const network = `persona-sandbox-${o.cluster.name}`
  await docker(['network', 'rm', network]).catch(() => '')
  await docker([
    'network',
    'create',
    '--internal',
    '--subnet',
    o.cluster.vpcCidr,
    '--gateway',
    gateway,
    network,
  ])
  const region = o.cluster.region
  const apiNames = [
    `secretsmanager.${region}.amazonaws.com`,
    `api.ecr.${region}.amazonaws.com`,
    `logs.${region}.amazonaws.com`,
    `sts.${region}.amazonaws.com`,
    'iam.amazonaws.com',
    em.registryHost,
  ]
  const tls = makeTls(join(work, 'tls'), apiNames, 'aws-api')
  const publicCert = makeLeaf(join(work, 'tls'), [o.mainName, o.verifierName], 'public-lb')
  writeFileSync(join(work, 'ca.crt'), tls.ca)
  const imdsPort = await freePort()
  const standIns = await startStandIns({
    gateway,
    tls,
    motoPort: o.motoPort,
    registryPort: o.registryPort,
    registryHost: em.registryHost,
    imdsPort,
    smtpPort: 587,
    instances: () => em.instances,
    loadBalancers: em.loadBalancers,
    publicCert,
    publicLbPort: await freePort(),
    log: o.log,
  })
  undo.push(() => standIns.stop())
  const image = await hostImage()
  // The VPC resolver's answers: the private zone's records, the load balancers and AWS API endpoints.
  const hosts: string[] = [
    ...apiNames.map((n) => `${n}:${gateway}`),
    ...em.loadBalancers.filter((l) => l.internal).map((l) => `${l.dnsName}:${gateway}`),
    ...(em.sesName === '' ? [] : [`${em.sesName}:${gateway}`]),
    ...[...em.names].map(([n, ip]) => `${n}:${ip}`),
  ]
  const chosen: (typeof em.instances)[number][] = []
  for (const [cls, n] of Object.entries(o.boot)) {
    const of = em.instances.filter((i) => i.hostClass === cls)
    // db: the master first, then replicas (the master is the one the private name points at).
    of.sort((a, b) =>
      a.tags['persona-db-role'] === 'master' ? -1 : b.tags['persona-db-role'] === 'master' ? 1 : 0,
    )
    chosen.push(...of.slice(0, n))
  }
  const started: SandboxHost[] = []
  for (const inst of chosen) {
    const ud = em.userData.get(inst.hostClass)
    if (ud === undefined) throw new Error(`no launch template for ${inst.hostClass}`)
    const dir = join(work, inst.id)
    mkdirSync(dir)
    writeFileSync(join(dir, 'user-data'), ud.script)
    writeFileSync(join(dir, 'ca.crt'), tls.ca)
    const name = `persona-sandbox-${o.cluster.name}-${inst.id}`
    await docker(['rm', '-f', name]).catch(() => '')
    await docker(['volume', 'rm', '-f', name]).catch(() => '')
    await docker([
      'run',
      '-d',
      '--name',
      name,
      '--hostname',
      `ip-${inst.ip.replace(/\./g, '-')}`,
      '--network',
      network,
      '--ip',
      inst.ip,
      // Its own dockerd needs what a host has: every capability the machine grants (not SYS_RESOURCE,
      // which this machine withholds from containers), the cgroup tree, no seccomp or AppArmor filter.
      '--cap-add',
      'ALL',
      '--cap-drop',
      'SYS_RESOURCE',
      '--security-opt',
      'seccomp=unconfined',
      '--security-opt',
      'apparmor=unconfined',
      '--security-opt',
      'systempaths=unconfined',
      '-v',
      '/sys/fs/cgroup:/sys/fs/cgroup:rw',
      '--tmpfs',
      '/run',
      '--tmpfs',
      '/tmp',
      '-v',
      `${name}:/var/lib/docker`,
      '-v',
      `${dir}:/sandbox:ro`,
      '-e',
      `SANDBOX_GATEWAY=${gateway}`,
      '-e',
      `SANDBOX_IMDS_PORT=${imdsPort}`,
      '-e',
      `SANDBOX_REGISTRY=${em.registryHost}`,
      '-e',
      'AWS_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt',
      '--label',
      'persona.sandbox=1',
      ...hosts.flatMap((h) => ['--add-host', h]),
      image,
    ])
    started.push({ instance: inst, hostClass: inst.hostClass, container: name })
    undo.push(async () => {
      await docker(['rm', '-f', name], 180_000)
      await docker(['volume', 'rm', '-f', name])
    })
    o.log(`booting ${inst.hostClass} host ${inst.id} at ${inst.ip}`)
  }
  const exec = (h: SandboxHost, cmd: readonly string[]) => docker(['exec', h.container, ...cmd], 120_000)
  return {
    hosts: started,
    standIns,
    ca: tls.ca,
    publicLb: { host: '127.0.0.1', port: standIns.publicLbPort },
    network,
    exec,
    bootStatus: async (h) => {
      const text = await exec(h, ['cat', '/var/lib/cloud/instance/boot-finished']).catch(() => '')
      const [code, seconds] = text.trim().split(' ').map(Number)
      return code === undefined || Number.isNaN(code) ? undefined : { code, seconds: seconds ?? 0 }
    },
    stop: async () => {
      for (const h of started) {
        await docker(['rm', '-f', h.container], 180_000).catch(() => '')
        await docker(['volume', 'rm', '-f', h.container]).catch(() => '')
      }
      await standIns.stop()
      await docker(['network', 'rm', network]).catch(() => '')
      rmSync(work, { recursive: true, force: true })
      removeCgroups()
    },
  }
}
