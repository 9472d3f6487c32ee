// SPDX-License-Identifier: MPL-2.0
// The deploy's steps (deploy.ts) against real clusters: Terraform on AWS and Helm on Kubernetes. The
// order, the waits, the smoke test and the rollback are deploy.ts's, exactly as on the simulation; a
// target only says how each step is done there:
// - Terraform (one stack per cluster, infra/): the DNS switch is the stack's `in_dns` variable (its
//   latency records go), the version its `image_tag` variable (the launch templates' boot scripts), an
//   upgrade is an apply, then an instance refresh of every autoscaling group of the cluster (and, in
//   the home cluster, the init host replaced: the new version's migrations). Each stack's directory
//   holds `persona.auto.tfvars.json` with its fixed variables (dns_zone_id, data_plane), written once
//   by the operator (infra/README.md); the deploy passes only the two it drives.
// - Helm (one release per cluster, charts/persona): the DNS switch is the `dns.inDns` value (external-dns
//   drops the Ingress's records), the version `image.tag`; an upgrade is `helm upgrade --wait`, whose
//   pre-upgrade hook runs the migrations.
// Commands go through a Runner, so a test can record them (test/multi/targets.test.ts).
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { DeployTarget } from './deploy.ts'

export interface Runner {
  /** Runs `cmd` with `args`; resolves with its stdout, rejects naming it and its stderr. */
  run(cmd: string, args: readonly string[]): Promise<string>
}

const exec = promisify(execFile)

export const execRunner: Runner = {
  run: async (cmd, args) => {
    try {
      return (await exec(cmd, [...args], { maxBuffer: 16 * 1024 * 1024 })).stdout
    } catch (e) {
      const err = e as { stderr?: string; message?: string }
      throw new Error(`${cmd} ${args.slice(0, 3).join(' ')}: ${(err.stderr ?? err.message ?? '').trim()}`)
    }
  },
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** What both targets need that only the operator knows. */
export interface TargetCommon {
  readonly clusters: readonly { readonly name: string; readonly region: string }[]
  readonly runner?: Runner
  /** Sign-up, cert_key and /verify through the cluster's own entry (its load balancer); resolves with ms. */
  smoke(cluster: string): Promise<number>
  /** The public zone (Route 53): the cluster's latency records are the ones with its set identifier. */
  readonly zoneId: string
  /** The record's TTL plus requests in flight (and the load balancer's deregistration delay). */
  readonly drainGraceMs?: number
  /** How often and how long to poll a wait (Route 53, instance refreshes). */
  readonly pollMs?: number
  readonly waitMs?: number
}

/** Waits until Route 53 holds (or no longer holds) the cluster's latency records. */
function route53Wait(common: TargetCommon, runner: Runner) {
  return async (cluster: string, inDns: boolean): Promise<void> => {
    const until = Date.now() + (common.waitMs ?? 600_000)
    for (;;) {
      const out = await runner.run('aws', [
        'route53',
        'list-resource-record-sets',
        '--hosted-zone-id',
        common.zoneId,
        '--query',
        `length(ResourceRecordSets[?SetIdentifier=='${cluster}'])`,
        '--output',
        'text',
      ])
      if (Number(out.trim()) > 0 === inDns) return
      if (Date.now() > until)
        throw new Error(`Route 53 still ${inDns ? 'leaves out' : 'names'} cluster ${cluster}`)
      await sleep(common.pollMs ?? 10_000)
    }
  }
}

/** The autoscaling groups of a cluster the infra stacks make (persona-<cluster>-<class>). */
export const ASG_CLASSES = ['webhead', 'dbwriter', 'certifier'] as const

export interface TerraformTargetOptions extends TargetCommon {
  /** Where `make infra` synthesized the stacks (infra/cdktf.out/stacks). */
  readonly stacksDir: string
  /** The cluster whose init host runs the migrations (the data plane's home: CLUSTERS[0]). */
  readonly home: string
  readonly terraform?: string
}

export function terraformTarget(o: TerraformTargetOptions): DeployTarget {
  const runner = o.runner ?? execRunner
  const tf = o.terraform ?? 'terraform'
  const dirOf = (c: string) => join(o.stacksDir, `persona-${c}`)
  const regionOf = (c: string) => {
    const r = o.clusters.find((x) => x.name === c)?.region
    if (r === undefined) throw new Error(`no cluster ${c}`)
    return r
  }
  // What each cluster runs and whether it is in DNS, as its stack's variables say.
  const state = new Map<string, { tag: string; inDns: boolean }>()
  const current = async (c: string) => {
    const known = state.get(c)
    if (known !== undefined) return known
    const tag = (await runner.run(tf, [`-chdir=${dirOf(c)}`, 'output', '-raw', 'image_tag'])).trim()
    const s = { tag, inDns: true }
    state.set(c, s)
    return s
  }
  const apply = async (c: string, tag: string, inDns: boolean, extra: readonly string[] = []) => {
    await runner.run(tf, [
      `-chdir=${dirOf(c)}`,
      'apply',
      '-auto-approve',
      '-input=false',
      '-var',
      `image_tag=${tag}`,
      '-var',
      `in_dns=${inDns}`,
      ...extra,
    ])
    state.set(c, { tag, inDns })
  }
  const refresh = async (c: string) => {
    const region = regionOf(c)
    const asgs = ASG_CLASSES.map((cls) => `persona-${c}-${cls}`)
    const ids = await Promise.all(
      asgs.map(async (asg) =>
        (
          await runner.run('aws', [
            'autoscaling',
            'start-instance-refresh',
            '--region',
            region,
            '--auto-scaling-group-name',
            asg,
            '--preferences',
            'MinHealthyPercentage=66,InstanceWarmup=120',
            '--query',
            'InstanceRefreshId',
            '--output',
            'text',
          ])
        ).trim(),
      ),
    )
    const until = Date.now() + (o.waitMs ?? 3_600_000)
    for (const [i, asg] of asgs.entries()) {
      for (;;) {
        const status = (
          await runner.run('aws', [
            'autoscaling',
            'describe-instance-refreshes',
            '--region',
            region,
            '--auto-scaling-group-name',
            asg,
            '--instance-refresh-ids',
            ids[i] ?? '',
            '--query',
            'InstanceRefreshes[0].Status',
            '--output',
            'text',
          ])
        ).trim()
        if (status === 'Successful') break
        if (['Failed', 'Cancelled', 'RollbackSuccessful', 'RollbackFailed'].includes(status))
          throw new Error(`${asg}: instance refresh ${status}`)
        if (Date.now() > until) throw new Error(`${asg}: instance refresh still ${status}`)
        await sleep(o.pollMs ?? 15_000)
      }
    }
  }
  return {
    name: 'terraform',
    clusters: o.clusters.map((c) => c.name),
    drainGraceMs: o.drainGraceMs ?? 90_000,
    current: async (c) => (await current(c)).tag,
    setDrained: async (c, drained) => apply(c, (await current(c)).tag, !drained),
    waitDns: route53Wait(o, runner),
    upgrade: async (c, version) => {
      const { inDns } = await current(c)
      // The home cluster's init host runs the new version's migrations (replaced, it boots again).
      await apply(c, version, inDns, c === o.home ? ['-replace=aws_instance.init'] : [])
      await refresh(c)
    },
    smoke: (c) => o.smoke(c),
  }
}

export interface HelmTargetOptions extends TargetCommon {
  /** The chart (charts/persona). */
  readonly chart: string
  /** Each cluster's kube context (default: the cluster's name). */
  readonly contextOf?: (cluster: string) => string
  readonly namespace?: string
  readonly helm?: string
}

/** The release of a cluster: one per cluster, named after it. */
export const helmRelease = (cluster: string): string => `persona-${cluster}`

export function helmTarget(o: HelmTargetOptions): DeployTarget {
  const runner = o.runner ?? execRunner
  const helm = o.helm ?? 'helm'
  const ns = o.namespace ?? 'persona'
  const where = (c: string) => ['--kube-context', o.contextOf?.(c) ?? c, '--namespace', ns]
  const upgrade = (c: string, sets: readonly string[]) =>
    runner.run(helm, [
      'upgrade',
      helmRelease(c),
      o.chart,
      ...where(c),
      '--reuse-values',
      ...helmSets(sets),
      '--wait',
      '--timeout',
      '15m',
    ])
  const drained = new Set<string>()
  return {
    name: 'helm',
    clusters: o.clusters.map((c) => c.name),
    drainGraceMs: o.drainGraceMs ?? 90_000,
    current: async (c) => {
      const values = JSON.parse(
        await runner.run(helm, ['get', 'values', helmRelease(c), ...where(c), '--all', '--output', 'json']),
      ) as { image?: { tag?: string } }
      const tag = values.image?.tag
      if (tag === undefined || tag === '') throw new Error(`${helmRelease(c)} names no image.tag`)
      return tag
    },
    setDrained: async (c, d) => {
      await upgrade(c, [`dns.inDns=${!d}`])
      if (d) drained.add(c)
      else drained.delete(c)
    },
    waitDns: route53Wait(o, runner),
    upgrade: async (c, version) => {
      await upgrade(c, [`image.tag=${version}`, `dns.inDns=${!drained.has(c)}`])
    },
    smoke: (c) => o.smoke(c),
  }
}

/** helm's arguments for value assignments. A version is always a string: `--set image.tag=2650365` (a
 * commit id of digits only, as `git describe` gives without tags) would make it a number, which the
 * chart's schema refuses, and `0123456` would lose its zero. */
export function helmSets(sets: readonly string[]): string[] {
  return sets.flatMap((s) => [s.startsWith('image.tag=') ? '--set-string' : '--set', s])
}
