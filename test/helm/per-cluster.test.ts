// SPDX-License-Identifier: MPL-2.0
// charts/persona as one release per cluster, driven by the deploy's steps (scripts/multi/targets.ts
// helmTarget): `helm template` of each cluster's release with its values file and the very --set
// arguments the deploy passes when it drains, upgrades and puts back a cluster. The release's records
// follow the DNS switch (external-dns annotations; nothing else of the release changes), every image
// runs the deployed tag, and both releases share one data plane (the master's name, the replicated
// secrets) while reading their own cluster's replica.
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { deploy } from '../../scripts/multi/deploy.ts'
import { helmRelease, helmSets, helmTarget, type Runner } from '../../scripts/multi/targets.ts'
import { chartDir, helm, isObj, type Manifest, objs, parseManifests, valueSetsDir } from './render.ts'

const CLUSTERS = [
  { name: 'us-east', region: 'us-east-1' },
  { name: 'eu-west', region: 'eu-west-1' },
]

/** Renders a cluster's release as the deploy leaves it after `sets` (helm's --set, in order). */
async function render(cluster: string, sets: readonly string[]): Promise<Manifest[]> {
  const res = await helm([
    'template',
    helmRelease(cluster),
    chartDir,
    '--namespace',
    'persona',
    '-f',
    join(valueSetsDir, `cluster-${cluster}.yaml`),
    ...helmSets(sets),
  ])
  if (res.code !== 0) throw new Error(`helm template: ${res.stderr}`)
  return parseManifests(res.stdout)
}

const annotations = (m: Manifest | undefined): Record<string, unknown> =>
  isObj(m?.metadata.annotations) ? (m.metadata.annotations as Record<string, unknown>) : {}

function images(ms: readonly Manifest[]): string[] {
  return ms.flatMap((m) => {
    const spec = (m.spec as { template?: { spec?: unknown } } | undefined)?.template?.spec
    if (!isObj(spec)) return []
    return [...objs(spec.containers), ...objs(spec.initContainers)].map((c) => String(c.image))
  })
}

function envOf(ms: readonly Manifest[], component: string, name: string): string | undefined {
  for (const m of ms) {
    if (m.kind !== 'Deployment' || !m.metadata.name.endsWith(`-${component}`)) continue
    const spec = (m.spec as { template: { spec: { containers: unknown } } }).template.spec
    for (const c of objs(spec.containers))
      for (const e of objs(c.env)) if (e.name === name) return String(e.value)
  }
  return undefined
}

/** The --set arguments the deploy passes to each release, recorded from the helm target itself. */
async function deploySets(version: string): Promise<Map<string, string[][]>> {
  const sets = new Map<string, string[][]>()
  // Route 53 answers as the last DNS switch said: out after a drain, in after the put-back.
  let inDns = true
  const runner: Runner = {
    run: async (cmd, args) => {
      if (cmd === 'aws') return inDns ? '2' : '0'
      if (args[0] === 'get') return JSON.stringify({ image: { tag: 'v1' } })
      const c = String(args[1]).replace(/^persona-/, '')
      const s = args.filter((_, i) => args[i - 1] === '--set' || args[i - 1] === '--set-string')
      const flag = s.find((a) => a.startsWith('dns.inDns='))
      if (flag !== undefined) inDns = flag.endsWith('true')
      sets.set(c, [...(sets.get(c) ?? []), s])
      return ''
    },
  }
  const target = helmTarget({
    clusters: CLUSTERS,
    chart: chartDir,
    zoneId: 'Z',
    smoke: async () => 1,
    runner,
    drainGraceMs: 1,
    pollMs: 1,
  })
  await deploy(target, version)
  return sets
}

describe('the chart as one release per cluster, driven by the deploy steps', () => {
  it('each step of a deploy renders: drained without records, upgraded on the new tag, then back in DNS', async () => {
    const sets = await deploySets('v2')
    for (const c of CLUSTERS) {
      const steps = sets.get(c.name)
      assert.ok(steps && steps.length === 3, `${c.name}: drain, upgrade, put back`)
      let applied: string[] = []
      const renders: Manifest[][] = []
      for (const s of steps) {
        applied = [...applied, ...s]
        renders.push(await render(c.name, ['image.tag=v1', ...applied]))
      }
      const [drained, upgraded, back] = renders
      assert.ok(drained && upgraded && back)
      const ingress = (ms: Manifest[]) => ms.find((m) => m.kind === 'Ingress')
      // Drained: the release keeps serving, external-dns drops its records.
      assert.equal(annotations(ingress(drained))['persona.dev/in-dns'], 'false')
      assert.equal(annotations(ingress(drained))['external-dns.alpha.kubernetes.io/hostname'], undefined)
      assert.ok(
        images(drained).every((i) => i.endsWith(':v1')),
        'drained, still on v1',
      )
      assert.equal(annotations(ingress(upgraded))['persona.dev/in-dns'], 'false', 'upgraded while out of DNS')
      assert.ok(images(upgraded).length >= 8)
      assert.ok(
        images(upgraded).every((i) => i.endsWith(':v2')),
        `every image on v2: ${images(upgraded).join(' ')}`,
      )
      const a = annotations(ingress(back))
      assert.equal(a['persona.dev/in-dns'], 'true')
      assert.equal(
        a['external-dns.alpha.kubernetes.io/hostname'],
        'login.persona.example,verifier.login.persona.example',
      )
      assert.equal(a['external-dns.alpha.kubernetes.io/set-identifier'], c.name)
      assert.equal(a['external-dns.alpha.kubernetes.io/aws-region'], c.region)
      // Nothing but the records' annotations tells a drained release from one in DNS.
      const strip = (ms: Manifest[]) =>
        JSON.stringify(
          ms.map((m) => (m.kind === 'Ingress' ? { ...m, metadata: { ...m.metadata, annotations: {} } } : m)),
        )
      assert.equal(strip(back), strip(upgraded))
    }
  })

  it('both releases share the data plane: the master by its one name, the replicated secrets; reads stay local', async () => {
    const [a, b] = await Promise.all(CLUSTERS.map((c) => render(c.name, ['image.tag=v2'])))
    assert.ok(a && b)
    assert.equal(envOf(a, 'writer', 'DB_WRITER_HOST'), 'db-master.persona.internal')
    assert.equal(envOf(b, 'writer', 'DB_WRITER_HOST'), 'db-master.persona.internal')
    assert.equal(envOf(a, 'reader', 'DB_READER_HOST'), 'db-replica.us-east.persona.internal')
    assert.equal(envOf(b, 'reader', 'DB_READER_HOST'), 'db-replica.eu-west.persona.internal')
    for (const ms of [a, b]) {
      assert.equal(ms.filter((m) => m.kind === 'Secret').length, 0, 'no per-cluster secrets: the shared ones')
      assert.ok(!ms.some((m) => m.kind === 'Job' && m.metadata.name.includes('key')), 'no per-cluster key')
    }
    // Distinct names per release (two releases may share a Kubernetes cluster in a test).
    const names = (ms: Manifest[]) => new Set(ms.map((m) => `${m.kind}/${m.metadata.name}`))
    const na = names(a)
    assert.ok(![...names(b)].some((n) => na.has(n)))
  })
})
