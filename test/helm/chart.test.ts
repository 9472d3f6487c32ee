// SPDX-License-Identifier: MPL-2.0
// charts/persona: helm lint --strict and helm template with three value sets (defaults, operator-
// managed secrets, Gateway API without nginx); every object valid against the Kubernetes schemas with
// no unknown field; and the chart's promises on the rendered output: security contexts, probes,
// secrets only where topology.ts SECRETS allows, PDBs, spread, replicas, drain, autoscaling, routing.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  SECRET_NAMES,
  SECRETS,
  SERVICE_SPECS,
  SERVICES,
  secretsOf,
  VERIFIER_PUBLIC_PATHS,
} from '@persona/kit/topology'
import { validateManifest } from './k8s-validate.ts'
import {
  at,
  chartDir,
  effectiveValues,
  helm,
  isObj,
  list,
  type Manifest,
  type Obj,
  objs,
  str,
  template,
  VALUE_SETS,
  valueArgs,
} from './render.ts'

const COMPONENT = 'app.kubernetes.io/component'

/** The component label (its key has dots, so it is read by hand, not with `at`). */
function component(m: Manifest): string {
  const labels = at(m, 'spec.template.metadata.labels') ?? at(m, 'metadata.labels')
  return str(isObj(labels) ? labels[COMPONENT] : undefined, m.metadata.name)
}

function podSpec(m: Manifest): Obj {
  const spec = at(m, 'spec.template.spec')
  if (!isObj(spec)) throw new Error(`${m.kind}/${m.metadata.name} has no pod spec`)
  return spec
}

/** Which topology secret a (Secret name, key) pair is, for the values in use. */
function secretIndex(values: Obj): Map<string, string> {
  const own = str(at(values, 'secrets.existingSecret'), 'existingSecret') || 'persona-secrets'
  const index = new Map<string, string>()
  for (const s of SECRET_NAMES) {
    const key = at(values, `secrets.keys.${s}`)
    if (typeof key === 'string') index.set(`${own}/${key}`, s)
  }
  const admin = at(values, 'database.admin.existingSecret')
  if (typeof admin === 'string' && admin !== '') {
    index.set(`${admin}/${str(at(values, 'database.admin.secretKey'), 'admin key')}`, 'dbDbaPassword')
  }
  const priv = str(at(values, 'keys.privateKeySecret'), 'privateKeySecret') || 'persona-certifier-key'
  index.set(`${priv}/*`, 'certifierPrivateKey')
  return index
}

/** Topology secrets a pod receives: secretKeyRef env, envFrom, and mounted Secret volumes. */
function secretsHeld(m: Manifest, values: Obj): Set<string> {
  const index = secretIndex(values)
  const held = new Set<string>()
  const spec = podSpec(m)
  const pub = str(at(values, 'keys.publicKeySecret'), 'publicKeySecret') || 'persona-public-key'
  for (const c of [...objs(spec.containers), ...objs(spec.initContainers)]) {
    assert.equal(c.envFrom, undefined, `${m.metadata.name}: envFrom would hand over whole Secrets`)
    for (const e of objs(c.env)) {
      const ref = at(e, 'valueFrom.secretKeyRef')
      if (!isObj(ref)) continue
      const s = index.get(`${ref.name}/${ref.key}`)
      assert.ok(
        s,
        `${m.metadata.name}: env ${String(e.name)} reads unknown secret ${String(ref.name)}/${String(ref.key)}`,
      )
      assert.equal(
        e.name,
        SECRETS[s as keyof typeof SECRETS].env,
        `${m.metadata.name}: ${s} under the wrong name`,
      )
      held.add(s)
    }
  }
  for (const v of objs(spec.volumes)) {
    // A whole Secret (secret volume), or chosen keys of it (projected items): each file is one secret,
    // named like its variable (the deployment contract), the certifier key as root.secretkey.json.
    const sources = [
      ...(isObj(v.secret) ? [{ name: v.secret.secretName, items: v.secret.items }] : []),
      ...objs(at(v, 'projected.sources')).map((p) => ({
        name: at(p, 'secret.name'),
        items: at(p, 'secret.items'),
      })),
    ]
    for (const { name, items } of sources) {
      if (name === undefined) continue
      if (name === pub) {
        held.add('publicKey')
        continue
      }
      const whole = index.get(`${String(name)}/*`)
      if (whole !== undefined) {
        held.add(whole)
        continue
      }
      assert.ok(objs(items).length > 0, `${m.metadata.name}: mounts the whole Secret ${String(name)}`)
      for (const item of objs(items)) {
        const s = index.get(`${String(name)}/${String(item.key)}`)
        assert.ok(s, `${m.metadata.name}: mounts unknown secret ${String(name)}/${String(item.key)}`)
        assert.equal(
          item.path,
          SECRETS[s as keyof typeof SECRETS].env,
          `${m.metadata.name}: ${s} as its variable`,
        )
        held.add(s)
      }
    }
  }
  return held
}

function env(container: Obj, name: string): string | undefined {
  const e = objs(container.env).find((x) => x.name === name)
  return typeof e?.value === 'string' ? e.value : undefined
}

describe('helm lint --strict', () => {
  for (const [name, files] of Object.entries(VALUE_SETS)) {
    test(name, async () => {
      const res = await helm(['lint', '--strict', chartDir, ...valueArgs(files)])
      assert.equal(res.code, 0, res.stdout + res.stderr)
      assert.match(res.stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/)
    })
  }
})

test('values.schema.json rejects wrong values with a message naming them', async () => {
  const cases: [string, RegExp][] = [
    ['edge.type=loadbalancer', /edge\/type/],
    ['services.reader.replicas=1', /services\/reader\/replicas/],
    ['database.master.port=70000', /database\/master\/port/],
    ['nginx.port=80', /nginx\/port/],
    ['surprise=1', /surprise/],
  ]
  for (const [set, message] of cases) {
    const res = await helm(['template', 'persona', chartDir, '--set', set])
    assert.notEqual(res.code, 0, `${set} was accepted`)
    assert.match(res.stderr, message)
  }
})

test('missing database admin password fails at install with a clear message', async () => {
  await assert.rejects(template([], ['database.admin.existingSecret=']), /database admin password/)
})

test('the schema checks catch a bad type and an unknown field', async () => {
  const [dep] = (await template()).filter((m) => m.kind === 'Deployment')
  assert.ok(dep)
  const badType = { ...dep, spec: { ...(isObj(dep.spec) ? dep.spec : {}), replicas: 'three' } }
  assert.ok(validateManifest(badType).some((e) => e.includes('/spec/replicas')))
  const unknown = { ...dep, spec: { ...(isObj(dep.spec) ? dep.spec : {}), replica: 3 } }
  assert.ok(validateManifest(unknown).some((e) => e.includes('spec.replica: unknown field')))
})

for (const [name, files] of Object.entries(VALUE_SETS)) {
  describe(`helm template: ${name}`, async () => {
    const manifests = await template(files)
    const values = effectiveValues(files)
    const deployments = manifests.filter((m) => m.kind === 'Deployment')
    const jobs = manifests.filter((m) => m.kind === 'Job')
    const nginx = at(values, 'nginx.enabled') === true

    test('every object is valid against the Kubernetes schemas, with no unknown field', () => {
      assert.ok(manifests.length > 20)
      assert.deepEqual(manifests.flatMap(validateManifest), [])
    })

    test('a Deployment and a Service per process (nginx optional), on the topology ports', () => {
      const want = [...SERVICES, ...(nginx ? ['nginx'] : [])].sort()
      assert.deepEqual(deployments.map(component).sort(), want)
      const services = manifests.filter((m) => m.kind === 'Service')
      assert.deepEqual(services.map(component).sort(), want)
      for (const svc of SERVICES) {
        const s = services.find((m) => component(m) === svc)
        assert.equal(objs(at(s, 'spec.ports'))[0]?.port, SERVICE_SPECS[svc].port, svc)
        const d = deployments.find((m) => component(m) === svc)
        const c = objs(at(d, 'spec.template.spec.containers'))[0]
        assert.ok(c)
        assert.equal(objs(c.ports)[0]?.containerPort, SERVICE_SPECS[svc].port)
        assert.equal(env(c, SERVICE_SPECS[svc].portEnv), String(SERVICE_SPECS[svc].port))
        assert.equal(env(c, 'HOST'), '0.0.0.0')
      }
    })

    test('every pod runs non-root, read-only root, no escalation, all capabilities dropped, seccomp', () => {
      assert.ok(deployments.length >= 7 && jobs.length >= (name === 'external-secrets' ? 1 : 2))
      for (const m of [...deployments, ...jobs]) {
        const spec = podSpec(m)
        const id = `${m.kind}/${m.metadata.name}`
        assert.equal(at(spec, 'securityContext.runAsNonRoot'), true, id)
        assert.equal(at(spec, 'securityContext.seccompProfile.type'), 'RuntimeDefault', id)
        assert.notEqual(at(spec, 'securityContext.runAsUser'), 0, id)
        assert.equal(spec.hostNetwork ?? false, false, id)
        for (const c of [...objs(spec.containers), ...objs(spec.initContainers)]) {
          const sc = c.securityContext
          assert.ok(isObj(sc), id)
          assert.equal(sc.runAsNonRoot, true, id)
          assert.equal(sc.readOnlyRootFilesystem, true, id)
          assert.equal(sc.allowPrivilegeEscalation, false, id)
          assert.equal(sc.privileged ?? false, false, id)
          assert.deepEqual(at(sc, 'capabilities.drop'), ['ALL'], id)
          assert.equal(at(sc, 'capabilities.add'), undefined, id)
          assert.equal(at(sc, 'seccompProfile.type'), 'RuntimeDefault', id)
          assert.ok(
            isObj(c.resources) && isObj(c.resources.requests) && isObj(c.resources.limits),
            `${id}: resources`,
          )
        }
      }
    })

    test('every Deployment has startup, liveness and readiness probes on its heartbeats', () => {
      for (const d of deployments) {
        for (const c of objs(at(d, 'spec.template.spec.containers'))) {
          for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
            const path = at(c, `${probe}.httpGet.path`)
            assert.equal(typeof path, 'string', `${d.metadata.name} ${probe}`)
            if (component(d) !== 'nginx') assert.match(String(path), /^\/__(lb)?heartbeat__/)
          }
          if (component(d) !== 'nginx') {
            // Readiness stays shallow: a dependency's failure must not empty every Service at once.
            assert.doesNotMatch(String(at(c, 'readinessProbe.httpGet.path')), /deep/)
          }
        }
      }
    })

    test('secrets only where topology.ts SECRETS allows; the key and writer password nowhere else', () => {
      const holders = new Map<string, Set<string>>()
      for (const d of deployments) {
        const c = component(d)
        const held = secretsHeld(d, values)
        holders.set(c, held)
        const allowed = new Set<string>(
          (SERVICES as readonly string[]).includes(c) ? secretsOf(c as (typeof SERVICES)[number]) : [],
        )
        if (c === 'reader' || c === 'verifier') allowed.add('publicKey')
        assert.deepEqual([...held].sort(), [...allowed].sort(), `${c} holds exactly its own secrets`)
      }
      for (const j of jobs) {
        const held = secretsHeld(j, values)
        const extra = [...held].filter((s) => !(secretsOf('init') as string[]).includes(s))
        assert.deepEqual(extra, [], `${j.metadata.name} holds only init's secrets`)
      }
      const keyHolders = [...holders].filter(([, h]) => h.has('certifierPrivateKey')).map(([c]) => c)
      assert.deepEqual(keyHolders, ['certifier'])
      const writerPw = [...holders].filter(([, h]) => h.has('dbWriterPassword')).map(([c]) => c)
      assert.deepEqual(writerPw, ['writer'])
      for (const d of deployments) {
        for (const c of objs(at(d, 'spec.template.spec.containers'))) {
          const names = objs(c.env).map((e) => e.name)
          if (component(d) !== 'certifier')
            assert.ok(!names.includes('CERTIFIER_PRIVATE_KEY_FILE'), d.metadata.name)
        }
      }
    })

    test('the chart makes a Secret and the key-setup Job only when the operator does not', () => {
      const external = at(values, 'secrets.existingSecret') !== ''
      assert.equal(
        manifests.some((m) => m.kind === 'Secret'),
        !external,
      )
      assert.equal(
        jobs.some((j) => component(j) === 'key-setup'),
        at(values, 'keys.generate') === true,
      )
      for (const j of jobs) assert.match(String(hook(j)), /pre-install/)
    })

    test('availability: replicas >= 3, a PDB and zone+node spread for every Deployment, HPA for reader and verifier', () => {
      const pdbs = manifests.filter((m) => m.kind === 'PodDisruptionBudget')
      const hpas = manifests.filter((m) => m.kind === 'HorizontalPodAutoscaler')
      assert.deepEqual(hpas.map((h) => at(h, 'spec.scaleTargetRef.name')).sort(), [
        'persona-reader',
        'persona-verifier',
      ])
      for (const d of deployments) {
        const selector = at(d, 'spec.selector.matchLabels')
        const hpa = hpas.find((h) => at(h, 'spec.scaleTargetRef.name') === d.metadata.name)
        const replicas = at(d, 'spec.replicas') ?? at(hpa, 'spec.minReplicas')
        assert.ok(
          typeof replicas === 'number' && replicas >= 3,
          `${d.metadata.name}: replicas ${String(replicas)}`,
        )
        const pdb = pdbs.find(
          (p) => JSON.stringify(at(p, 'spec.selector.matchLabels')) === JSON.stringify(selector),
        )
        assert.ok(pdb, `${d.metadata.name} has a PDB`)
        const spread = objs(at(d, 'spec.template.spec.topologySpreadConstraints'))
        const keys = spread.map((s) => s.topologyKey).sort()
        assert.deepEqual(keys, ['kubernetes.io/hostname', 'topology.kubernetes.io/zone'], d.metadata.name)
        for (const s of spread) assert.deepEqual(at(s, 'labelSelector.matchLabels'), selector)
      }
    })

    test('termination grace covers the preStop pause and the services drain', () => {
      for (const d of deployments) {
        const spec = podSpec(d)
        const grace = spec.terminationGracePeriodSeconds
        assert.equal(typeof grace, 'number')
        for (const c of objs(spec.containers)) {
          const drainMs = Number(env(c, 'SHUTDOWN_GRACE_MS') ?? at(values, 'pod.shutdownGraceMs'))
          const pause = Number(at(values, 'pod.preStopSleepSeconds'))
          assert.ok(Number(grace) >= pause + drainMs / 1000, `${d.metadata.name}: grace ${String(grace)}`)
          assert.ok(isObj(at(c, 'lifecycle.preStop')), `${d.metadata.name}: preStop`)
        }
      }
    })

    test('services know only the upstreams they may call', () => {
      const flows = objs(at(values, 'networkPolicy.flows'))
      for (const d of deployments.filter((m) => component(m) !== 'nginx')) {
        const c = objs(at(d, 'spec.template.spec.containers'))[0]
        assert.ok(c)
        const urls = objs(c.env)
          .map((e) => String(e.name))
          .filter((n) => n.endsWith('_URL') && n !== 'PUBLIC_URL')
        const allowed = flows
          .filter((f) => f.from === component(d) && (SERVICES as readonly unknown[]).includes(f.to))
          .map((f) => `${String(f.to).toUpperCase()}_URL`)
        assert.deepEqual(urls.sort(), allowed.sort(), d.metadata.name)
      }
    })

    test('the edge routes the public host and the verifier host', () => {
      const edge = at(values, 'edge.type')
      const ingresses = manifests.filter((m) => m.kind === 'Ingress')
      const routes = manifests.filter((m) => m.kind === 'HTTPRoute')
      assert.equal(ingresses.length, edge === 'ingress' ? 1 : 0)
      assert.equal(routes.length, edge === 'gateway' ? 2 : 0)
      assert.deepEqual(list(at(values, 'edge.verifierPaths')), [...VERIFIER_PUBLIC_PATHS])
      const backends = JSON.stringify([...ingresses, ...routes])
      if (nginx) assert.ok(backends.includes('persona-nginx') && !backends.includes('persona-router'))
      else {
        assert.ok(backends.includes('persona-router') && backends.includes('persona-verifier'))
        for (const p of VERIFIER_PUBLIC_PATHS) assert.ok(backends.includes(`"${p}"`), p)
      }
    })
  })
}

function hook(m: Manifest): unknown {
  const a = at(m, 'metadata.annotations')
  return isObj(a) ? a['helm.sh/hook'] : undefined
}
