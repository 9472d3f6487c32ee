// SPDX-License-Identifier: MPL-2.0
// `terraform apply` for real, offline: every stack applied against moto's server, planned again (no
// change but the emulator's documented drift), destroyed cluster by cluster (each destroy removing
// exactly what its apply made, and nothing of the other stacks), then applied and destroyed again on the
// same emulator (a real account keeps a deleted secret for its recovery window: the names must not
// collide). `make infra-emulator` prints the measured figures; infra/test/emulator.test.ts checks them.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { clusterStackName, GLOBAL_STACK, synth } from '../app.ts'
import { CLUSTERS, type ClusterSpec } from '../clusters.ts'
import { dataPlaneOf, dataPlaneValue } from '../data-plane.ts'
import { type Moto, startMoto } from './moto.ts'
import { type PlannedChange, type Step, Terraform } from './terraform.ts'

/**
 * What moto reports differently from AWS, so that a plan right after an apply shows it as a change: each
 * entry is one attribute of one resource type, and why. Nothing else may change.
 */
export const EMULATOR_DRIFT: readonly { type: string; attribute: string; why: string }[] = [
  {
    type: 'aws_vpc_security_group_ingress_rule',
    attribute: 'description',
    why: "moto does not keep a security group rule's description",
  },
  {
    type: 'aws_vpc_security_group_egress_rule',
    attribute: 'description',
    why: "moto does not keep a security group rule's description",
  },
  {
    type: 'aws_launch_template',
    attribute: 'tag_specifications',
    why: "moto lists the provider's default tags as an extra launch-template tag specification",
  },
  {
    type: 'aws_route53_zone',
    attribute: 'vpc',
    why: 'moto returns no VPC association when it reads a private hosted zone',
  },
]

/** What the cycle does differently from AWS because the emulator cannot model it, and why. */
export const EMULATOR_STAND_INS: readonly { variable: string; value: string; why: string }[] = [
  {
    variable: 'associate_master_zone',
    value: 'false',
    why: "moto creates every hosted zone public, so the clusters beside the home one cannot associate their VPCs with the master name's private zone",
  },
]

/** Planned changes the emulator's drift does not explain: [] is a clean plan. */
export function unexplainedChanges(changes: readonly PlannedChange[]): string[] {
  return changes
    .filter(
      (c) =>
        !(
          c.actions.length === 1 &&
          c.actions[0] === 'update' &&
          c.attributes.length > 0 &&
          c.attributes.every((a) => EMULATOR_DRIFT.some((d) => d.type === c.type && d.attribute === a))
        ),
    )
    .map((c) => `${c.address}: ${c.actions.join('+')} ${c.attributes.join(', ')}`)
}

export interface CycleReport {
  readonly steps: Step[]
  /** Changes a plan right after the first apply showed, per stack (all drift when the cycle passed). */
  readonly drift: Readonly<Record<string, PlannedChange[]>>
  /** Anything that went against the contract of the cycle; [] when it held. */
  readonly problems: string[]
  readonly ms: number
}

export interface Emulated {
  readonly moto: Moto
  readonly outdir: string
  readonly global: Terraform
  readonly clusters: ReadonlyMap<string, Terraform>
  readonly zoneId: string
  /** The clusters, home first (one data plane: infra/src/data-plane.ts). */
  readonly specs: readonly ClusterSpec[]
}

/** Synthesizes the stacks and inits each against `moto`. */
export async function prepare(
  moto: Moto,
  clusters: readonly ClusterSpec[],
  imageTag: string,
  outdir = mkdtempSync(join(tmpdir(), 'persona-emulator-')),
): Promise<Omit<Emulated, 'zoneId'>> {
  synth({ outdir, clusters })
  const global = new Terraform(join(outdir, 'stacks', GLOBAL_STACK), GLOBAL_STACK, moto.endpoint)
  await global.init()
  const tfs = new Map<string, Terraform>()
  // dns_zone_id is set once the global stack is applied (applyAll).
  for (const c of clusters)
    tfs.set(
      c.name,
      new Terraform(join(outdir, 'stacks', clusterStackName(c)), clusterStackName(c), moto.endpoint, {
        image_tag: imageTag,
      }),
    )
  await Promise.all([...tfs.values()].map((t) => t.init()))
  return { moto, outdir, global, clusters: tfs, specs: clusters }
}

/**
 * Applies the global stack, then the cluster stacks: the home cluster's first, then each other one with
 * the data_plane variable made from the outputs of those before it (infra/src/data-plane.ts).
 */
export async function applyAll(
  e: Omit<Emulated, 'zoneId'>,
  imageTag: string,
  say: (line: string) => void,
): Promise<{ steps: Step[]; emulated: Emulated }> {
  const steps = [await e.global.apply()]
  say(`applied ${GLOBAL_STACK}: ${steps[0]?.added} resources in ${secs(steps[0]?.ms)}`)
  const zoneId = String((await e.global.outputs()).zone_id)
  const clusters = new Map<string, Terraform>()
  const dp = dataPlaneOf(e.specs)
  const outputs = new Map<string, Record<string, unknown>>()
  const applied: Step[] = []
  for (const spec of e.specs) {
    const t = e.clusters.get(spec.name)
    if (t === undefined) continue
    const plane = dataPlaneValue(dp, spec, outputs)
    const tf = new Terraform(t.dir, t.stack, e.moto.endpoint, {
      dns_zone_id: zoneId,
      image_tag: imageTag,
      ...(plane === undefined
        ? {}
        : {
            data_plane: JSON.stringify(plane),
            ...Object.fromEntries(EMULATOR_STAND_INS.map((x) => [x.variable, x.value])),
          }),
    })
    clusters.set(spec.name, tf)
    const s = await tf.apply()
    applied.push(s)
    say(`applied ${s.stack}: ${s.added} resources in ${secs(s.ms)}`)
    outputs.set(spec.name, await tf.outputs())
  }
  return { steps: [...steps, ...applied], emulated: { ...e, clusters, zoneId } }
}

const secs = (ms: number | undefined) => `${((ms ?? 0) / 1000).toFixed(1)} s`

/** The whole cycle on a fresh emulator. */
export async function emulatorCycle(
  opts: {
    readonly clusters?: readonly ClusterSpec[]
    readonly imageTag?: string
    readonly say?: (line: string) => void
  } = {},
): Promise<CycleReport> {
  const say = opts.say ?? (() => {})
  const clusters = opts.clusters ?? CLUSTERS
  const imageTag = opts.imageTag ?? 'v0.0.0-emulator'
  const t0 = performance.now()
  const moto = await startMoto()
  const steps: Step[] = []
  const problems: string[] = []
  const drift: Record<string, PlannedChange[]> = {}
  const outdir = mkdtempSync(join(tmpdir(), 'persona-emulator-'))
  try {
    const prepared = await prepare(moto, clusters, imageTag, outdir)
    for (const round of [1, 2]) {
      const { steps: applied, emulated } = await applyAll(prepared, imageTag, say)
      steps.push(...applied)
      if (round === 1) {
        // A plan right after the apply: nothing to do but what the emulator reports differently.
        const stacks = [emulated.global, ...emulated.clusters.values()]
        const plans = await Promise.all(stacks.map((t) => t.plan()))
        plans.forEach((p, i) => {
          const name = stacks[i]?.stack ?? '?'
          steps.push(p.step)
          drift[name] = p.changes
          for (const u of unexplainedChanges(p.changes))
            problems.push(`${name}: a plan after apply wants ${u}`)
          say(
            `planned ${name}: ${p.changes.length} changes, all documented emulator drift: ${unexplainedChanges(p.changes).length === 0}`,
          )
        })
      }
      if (round === 1) {
        // Cluster by cluster, the last applied first (a cluster's peerings live in its own stack): each
        // destroy takes exactly its own, and leaves the other stacks whole.
        const remaining = [...emulated.clusters.values()].reverse()
        for (let t = remaining.shift(); t !== undefined; t = remaining.shift()) {
          const saved = join(outdir, `${t.stack}.tfstate`)
          writeFileSync(saved, await t.pullState())
          const d = await t.destroy()
          steps.push(d)
          say(`destroyed ${t.stack}: ${d.destroyed} resources in ${secs(d.ms)}`)
          const made = addedBy(applied, t.stack)
          if (d.destroyed !== made)
            problems.push(`${t.stack}: applied ${made} resources, destroyed ${d.destroyed}`)
          const others = [emulated.global, ...remaining]
          const [left, ...plans] = await Promise.all([t.stillExisting(saved), ...others.map((o) => o.plan())])
          for (const r of left ?? [])
            problems.push(`${t.stack}: ${r} is still in the emulator after its destroy`)
          plans.forEach((p, i) => {
            for (const u of unexplainedChanges(p.changes)) {
              problems.push(`${others[i]?.stack}: after ${t?.stack}'s destroy a plan wants ${u}`)
            }
          })
          say(
            `checked ${t.stack}'s destroy: nothing of it left, ${others.map((o) => o.stack).join(' and ')} whole`,
          )
        }
      } else {
        const ds: Step[] = []
        for (const t of [...emulated.clusters.values()].reverse()) ds.push(await t.destroy())
        for (const d of ds) {
          steps.push(d)
          say(`destroyed ${d.stack}: ${d.destroyed} resources in ${secs(d.ms)}`)
          const made = addedBy(applied, d.stack)
          if (d.destroyed !== made)
            problems.push(`${d.stack}: round 2 applied ${made} resources, destroyed ${d.destroyed}`)
        }
      }
      const g = await emulated.global.destroy()
      steps.push(g)
      say(`destroyed ${GLOBAL_STACK}: ${g.destroyed} resources in ${secs(g.ms)}`)
    }
  } catch (e) {
    problems.push(e instanceof Error ? e.message : String(e))
  } finally {
    await moto.stop()
    rmSync(outdir, { recursive: true, force: true })
  }
  return { steps, drift, problems, ms: Math.round(performance.now() - t0) }
}

function addedBy(steps: readonly Step[], stack: string): number {
  return steps.find((s) => s.stack === stack && s.what === 'apply')?.added ?? -1
}

/** One line per step, and the totals: what `make infra-emulator` prints and the README quotes. */
export function formatReport(r: CycleReport): string {
  const lines = r.steps.map(
    (s) =>
      `  ${s.what.padEnd(7)} ${s.stack.padEnd(18)} ${String(s.what === 'destroy' ? s.destroyed : s.what === 'plan' ? s.changed : s.added).padStart(4)} ${s.what === 'plan' ? 'changes (drift)' : 'resources'}  ${secs(s.ms)}`,
  )
  return [
    ...lines,
    `  total ${secs(r.ms)}; ${r.problems.length === 0 ? 'every check held' : `${r.problems.length} problems:`}`,
    ...r.problems.map((p) => `    ${p}`),
  ].join('\n')
}

if (import.meta.main) {
  const r = await emulatorCycle({ say: (l) => process.stdout.write(`emulator: ${l}\n`) })
  process.stdout.write(`${formatReport(r)}\n`)
  process.exit(r.problems.length === 0 ? 0 : 1)
}
