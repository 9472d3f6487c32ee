// SPDX-License-Identifier: MPL-2.0
// Synthesizes the infra app and checks the JSON against the topology table: clusters and zones, hosts
// per class, reachability through the security groups equal to the privilege table (and a mutated
// topology caught), secret readers, DNS records tied to health checks, the per-cluster DNS switch, and
// no secret value anywhere in what was written. No cloud, no terraform binary needed.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'
import { ONE_SHOT_FLOWS } from '@persona/deploy/parts'
import {
  EXTERNAL_HOST_CLASS,
  FLOWS,
  HOST_CLASSES,
  isMonitoringPart,
  monitoringHostClass,
  SECRET_NAMES,
  SECRETS,
  SERVICE_SPECS,
  SERVICES,
} from '@persona/kit/topology'
import { CLUSTERS, SETTINGS } from '../src/clusters.ts'
import { SHARED } from '../src/data-plane.ts'
import { imageOf } from '../src/privileges.ts'
import {
  decodeUserData,
  hostClasses,
  list,
  providerRegion,
  reachability,
  refName,
  resources,
  type Stack,
  type Synthesized,
  secretReaders,
  str,
  synthesize,
} from './synthesized.ts'

// Sentinels in the environment under every secret's variable: synthesis must never pick them up.
const SENTINELS = SECRET_NAMES.map((s, i) => `sentinel-${s}-${i}-7f3a9c`)
SECRET_NAMES.forEach((s, i) => {
  process.env[SECRETS[s].env] = SENTINELS[i]
})

/** The topology node's host class, written here independently of infra/src. */
function hostOf(node: string): string {
  if ((SERVICES as readonly string[]).includes(node))
    return SERVICE_SPECS[node as keyof typeof SERVICE_SPECS].hostClass
  if (node in EXTERNAL_HOST_CLASS) return EXTERNAL_HOST_CLASS[node as keyof typeof EXTERNAL_HOST_CLASS]
  if (isMonitoringPart(node)) return monitoringHostClass(node) ?? node
  return node // internet, smtp
}

/**
 * The privilege table at host-class level, from FLOWS: a flow whose ends share a host class stays on
 * the host, except between the distinct roles of a db (master/replica on different hosts). Plus the
 * platform path every class needs: AWS APIs (ECR, SSM, Secrets Manager, logs) on 443.
 */
function expectedTable(): string[] {
  const out = new Set<string>()
  for (const f of FLOWS) {
    const from = hostOf(f.from)
    const to = hostOf(f.to)
    if (from === to && !(from === 'db' && f.from !== f.to)) continue
    out.add(`${from} -> ${to}:${to === 'smtp' ? SETTINGS.smtpRelay.port : f.port}`)
  }
  for (const cls of HOST_CLASSES) out.add(`${cls} -> aws-api:443`)
  // The one-shot init host: to the master, and the AWS APIs (Secrets Manager, ECR, IAM).
  for (const f of ONE_SHOT_FLOWS) out.add(`${f.from} -> ${hostOf(f.to)}:${f.port}`)
  out.add('init -> aws-api:443')
  // IAM has no VPC endpoint: init reaches it (once, for the SES SMTP key) through the NAT gateway.
  out.add('init -> internet:443')
  // A class with a way out reaches, like anyone outside, what the internet reaches (a webhead calling
  // the public name lands on a webhead through the public load balancer).
  for (const outward of [...out].filter((x) => x.includes(' -> internet:'))) {
    const [from, port] = [outward.split(' ')[0], outward.split(':')[1]]
    for (const inward of [...out].filter((x) => x.startsWith('internet -> ') && x.endsWith(`:${port}`))) {
      out.add(inward.replace('internet', from ?? '?'))
    }
  }
  return [...out].sort()
}

function clusterStacks(s: Synthesized): Stack[] {
  return s.stacks.filter((x) => resources(x, 'aws_vpc').size > 0)
}

/** The differences between a stack's reachability and the privilege table ([] when equal). */
function privilegeMismatch(stack: Stack): string[] {
  const got = reachability(stack)
  const want = expectedTable()
  return [
    ...got.filter((x) => !want.includes(x)).map((x) => `extra: ${x}`),
    ...want.filter((x) => !got.includes(x)).map((x) => `missing: ${x}`),
  ]
}

describe('synthesized infra', () => {
  let app: Synthesized
  before(() => {
    app = synthesize()
  })
  after(() => app?.cleanup())

  it('has a global stack and at least two cluster stacks in distinct regions', () => {
    const clusters = clusterStacks(app)
    assert.ok(clusters.length >= 2, `cluster stacks: ${clusters.length}`)
    assert.equal(clusters.length, CLUSTERS.length)
    const regions = clusters.map(providerRegion)
    assert.equal(new Set(regions).size, regions.length, `regions ${regions}`)
    const global = app.stacks.find((x) => resources(x, 'aws_route53_zone').size === 1)
    assert.ok(global, 'a stack with the DNS zone')
    assert.equal(str([...resources(global, 'aws_route53_zone').values()][0]?.name), SETTINGS.zoneName)
  })

  it('runs every host class with at least 3 hosts over at least 3 zones in every cluster', () => {
    for (const stack of clusterStacks(app)) {
      const classes = hostClasses(stack)
      assert.deepEqual([...classes.keys()].sort(), [...HOST_CLASSES, 'init'].sort(), stack.name)
      assert.equal(classes.get('init')?.hosts, 1, 'one one-shot init host')
      for (const [cls, h] of classes) {
        if (cls === 'init') continue
        assert.ok(h.hosts >= 3, `${stack.name} ${cls}: ${h.hosts} hosts`)
        assert.ok(h.zones.size >= 3, `${stack.name} ${cls}: zones ${[...h.zones]}`)
        for (const z of h.zones) assert.ok(z.startsWith(providerRegion(stack)), `${cls} zone ${z}`)
      }
    }
  })

  it("runs each class's images, from repositories the stack creates, as the contract names them", () => {
    for (const stack of clusterStacks(app)) {
      const repos = resources(stack, 'aws_ecr_repository')
      for (const r of repos.values()) {
        assert.match(str(r.name), /^persona-[a-z-]+$/, 'persona-<image>')
        assert.equal(r.image_tag_mutability, 'IMMUTABLE')
      }
      const variable = (stack.json.variable as Record<string, Record<string, unknown>> | undefined)?.image_tag
      assert.ok(variable && variable.default === undefined, 'image_tag has no default (never latest)')
      for (const [cls, h] of hostClasses(stack)) {
        const script = decodeUserData(
          resources(stack, 'aws_launch_template').get(h.launchTemplate)?.user_data,
        )
        assert.match(script, /^IMAGE_TAG=\$\{var\.image_tag\}$/m, `${cls}: the image_tag variable`)
        // EC2 takes at most 16 KB of user data (before base64).
        assert.ok(
          Buffer.byteLength(script) < 16_384,
          `${cls}: user data of ${Buffer.byteLength(script)} bytes`,
        )
        // The registry is the repositories' host; each image is $REGISTRY/persona-<image>:$IMAGE_TAG.
        assert.match(
          script,
          /^REGISTRY=\$\{element\(split\("\/", aws_ecr_repository\.[\w-]+\.repository_url\), 0\)\}$/m,
        )
        const used = new Set(
          [...script.matchAll(/"\$REGISTRY\/(persona-[a-z-]+):\$IMAGE_TAG"/g)].map((m) => m[1]),
        )
        const parts =
          cls === 'init'
            ? ['init']
            : [
                ...SERVICES.filter((s) => SERVICE_SPECS[s].hostClass === cls),
                ...Object.entries(EXTERNAL_HOST_CLASS)
                  .filter(([, c]) => c === cls)
                  .map(([n]) => n),
              ]
        assert.deepEqual(
          [...used].sort(),
          [...new Set(parts.map((p) => `persona-${imageOf(p as never)}`))].sort(),
          cls,
        )
        for (const u of used)
          assert.ok(
            [...repos.values()].some((r) => r.name === u),
            `${cls}: ${u} has a repository`,
          )
        if (cls !== 'init')
          for (const p of parts)
            assert.match(script, new RegExp(`docker run -d --name ${p} `), `${cls} runs ${p}`)
      }
    }
  })

  it('security groups give exactly the privilege table', () => {
    for (const stack of clusterStacks(app)) {
      assert.deepEqual(privilegeMismatch(stack), [], stack.name)
      const r = reachability(stack)
      // The issue's words, checked literally as well.
      assert.deepEqual(
        r.filter((x) => x.startsWith('internet ->')),
        ['internet -> webhead:443'],
      )
      for (const cls of ['dbwriter', 'certifier', 'db']) {
        assert.ok(
          !r.some((x) => x.startsWith('internet ->') && x.includes(` ${cls}:`)),
          `${cls} from internet`,
        )
        assert.ok(!r.includes(`${cls} -> internet:443`), `${cls} has no way out`)
      }
      const toDb = r.filter((x) => x.includes('-> db:')).map((x) => x.split(' ')[0])
      assert.deepEqual([...new Set(toDb)].sort(), ['db', 'dbwriter', 'init', 'webhead'])
      assert.ok(r.includes('webhead -> internet:443'))
    }
  })

  it('a forbidden flow opened in the topology makes the privilege check fail', () => {
    const opened = [
      { from: 'internet', to: 'certifier', port: SERVICE_SPECS.certifier.port, why: 'mutation' },
      { from: 'certifier', to: 'internet', port: 443, why: 'mutation' },
    ] as const
    for (const extra of opened) {
      const mutated = synthesize({ flows: [...FLOWS, extra], clusters: CLUSTERS.slice(0, 1) })
      try {
        const stack = clusterStacks(mutated)[0]
        assert.ok(stack)
        const mismatch = privilegeMismatch(stack)
        assert.ok(mismatch.includes(`extra: ${extra.from} -> ${extra.to}:${extra.port}`), mismatch.join('; '))
        assert.ok(
          mismatch.every((m) => m.startsWith('extra: ')),
          mismatch.join('; '),
        )
      } finally {
        mutated.cleanup()
      }
    }
  })

  it('each secret is readable only by the roles of its holders; the key only by the certifier', () => {
    for (const [i, stack] of clusterStacks(app).entries()) {
      assert.equal(resources(stack, 'aws_iam_policy').size, 0, 'no managed policies to audit')
      assert.equal(resources(stack, 'aws_iam_role_policy_attachment').size, 0, 'no attached policies')
      assert.equal(resources(stack, 'aws_secretsmanager_secret_policy').size, 0)
      const readers = secretReaders(stack)
      const byName = new Map(
        [...resources(stack, 'aws_secretsmanager_secret')].map(([k, v]) => [
          str(v.name_prefix).split('/').pop()?.replace(/-$/, ''),
          k,
        ]),
      )
      // Beside the home cluster, shared values are the replicas of the home's (cross-region.test.ts).
      if (i > 0) for (const s of SHARED) if (!byName.has(s)) byName.set(s, `shared:${s}`)
      for (const s of SECRET_NAMES) {
        const res = byName.get(s)
        assert.ok(res, `secret ${s} exists`)
        const holders: readonly string[] = SECRETS[s].holders
        // Beside the home, init makes (and reads) only the region's own values.
        const readsHere = holders.filter((h) => h !== 'init' || i === 0 || !SHARED.includes(s))
        const want = new Set(readsHere.map((h) => (h === 'init' ? 'init' : hostOf(h))))
        assert.deepEqual([...(readers.get(res) ?? [])].sort(), [...want].sort(), `${stack.name} ${s}`)
      }
      assert.deepEqual(
        [...(readers.get(byName.get('certifierPrivateKey') ?? '') ?? [])].sort(),
        i === 0 ? ['certifier', 'init'] : ['certifier'],
      )
      assert.deepEqual([...(readers.get(byName.get('smtpPassword') ?? '') ?? [])].sort(), [
        'dbwriter',
        'init',
      ])
      assert.deepEqual(
        [...(readers.get(byName.get('dbReplicationPassword') ?? '') ?? [])].sort(),
        i === 0 ? ['db', 'init'] : ['db'],
      )
    }
  })

  it('names secrets so a second apply after a destroy never collides with one in its recovery window', () => {
    for (const stack of clusterStacks(app)) {
      for (const [k, v] of resources(stack, 'aws_secretsmanager_secret')) {
        assert.equal(v.name, undefined, `${k}: no fixed name`)
        assert.match(str(v.name_prefix), /^persona\/[a-z0-9-]+\/[A-Za-z]+-$/, k)
        assert.ok(Number(v.recovery_window_in_days) >= 7, `${k}: a recovery window`)
      }
    }
  })

  it('writes no ACM validation record in a cluster (the global stack owns them)', () => {
    for (const stack of clusterStacks(app)) {
      for (const [k, rec] of resources(stack, 'aws_route53_record')) {
        assert.ok(!str(rec.name).includes('domain_validation_options'), `${k} is a validation record`)
      }
      const v = [...resources(stack, 'aws_acm_certificate_validation').values()][0]
      assert.ok(v && v.validation_record_fqdns === undefined)
    }
    const global = app.stacks.find(
      (x) => resources(x, 'aws_route53_zone').size === 1 && resources(x, 'aws_vpc').size === 0,
    )
    assert.ok(global)
    assert.equal(
      [...resources(global, 'aws_route53_record').values()].filter((r) =>
        str(r.name).includes('domain_validation_options'),
      ).length,
      2,
    )
  })

  it('ties every DNS record to a health check on the cluster load balancer, latency-routed', () => {
    const names = new Map<string, string[]>()
    for (const stack of clusterStacks(app)) {
      const checks = resources(stack, 'aws_route53_health_check')
      assert.equal(checks.size, 1)
      for (const hc of checks.values()) {
        assert.equal(hc.resource_path, '/__heartbeat__')
        assert.ok(refName(hc.fqdn, 'aws_lb'), 'health check on the load balancer')
      }
      // The only zones a cluster stack creates are private to its VPC (database names).
      const privateZones = resources(stack, 'aws_route53_zone')
      for (const z of privateZones.values()) assert.ok(list(z.vpc).length > 0, 'cluster zones are private')
      for (const [key, rec] of resources(stack, 'aws_route53_record')) {
        if (str(rec.name).includes('aws_acm_certificate.')) continue // ACM's own validation CNAMEs
        if (privateZones.has(refName(rec.zone_id, 'aws_route53_zone') ?? '')) continue
        assert.ok(refName(rec.health_check_id, 'aws_route53_health_check'), `${key} has a health check`)
        const latency = list(rec.latency_routing_policy)[0]
        assert.equal((latency as { region?: string } | undefined)?.region, providerRegion(stack), key)
        const alias = list(rec.alias)[0] as { evaluate_target_health?: boolean; name?: string } | undefined
        assert.equal(alias?.evaluate_target_health, true)
        assert.ok(refName(alias?.name, 'aws_lb'))
        names.set(str(rec.name), [...(names.get(str(rec.name)) ?? []), str(rec.set_identifier)])
      }
    }
    for (const n of [SETTINGS.mainName, SETTINGS.verifierName]) {
      assert.deepEqual(
        names.get(n)?.sort(),
        CLUSTERS.filter((c) => c.inDns)
          .map((c) => c.name)
          .sort(),
        n,
      )
    }
  })

  it('the per-cluster switch takes a cluster out of DNS and leaves the others', () => {
    const [first, second, ...rest] = CLUSTERS
    assert.ok(first && second)
    const out = synthesize({ clusters: [first, { ...second, inDns: false }, ...rest] })
    try {
      const [a, b] = clusterStacks(out)
      assert.ok(a && b)
      const serviceRecords = (s: Stack) =>
        [...resources(s, 'aws_route53_record').values()].filter((r) =>
          refName(r.health_check_id, 'aws_route53_health_check'),
        )
      assert.equal(serviceRecords(a).length, 2)
      assert.equal(serviceRecords(b).length, 0)
      assert.equal(resources(b, 'aws_route53_health_check').size, 1, 'the health check stays')
      assert.equal(resources(b, 'aws_lb').size, resources(a, 'aws_lb').size, 'the cluster itself stays')
    } finally {
      out.cleanup()
    }
  })

  it('writes no secret value anywhere', () => {
    assert.ok(app.files.length >= app.stacks.length)
    for (const stack of app.stacks) {
      assert.equal(resources(stack, 'aws_secretsmanager_secret_version').size, 0)
      for (const p of resources(stack, 'aws_ssm_parameter').values()) assert.equal(p.type, 'String')
    }
    for (const file of app.files) {
      const text = readFileSync(file, 'utf8')
      for (const s of SENTINELS) assert.ok(!text.includes(s), `${file} contains ${s}`)
      assert.doesNotMatch(text, /PRIVATE KEY-----|secret_string|"password"\s*:/i, file)
    }
    for (const stack of clusterStacks(app)) {
      for (const lt of resources(stack, 'aws_launch_template').values()) {
        const script = decodeUserData(lt.user_data)
        assert.ok(script.startsWith('#!/bin/bash'), 'user data decodes')
        for (const s of SECRET_NAMES) {
          // A secret's variable is only ever set from the secrets store or to a file path.
          for (const m of script.matchAll(new RegExp(`${SECRETS[s].env}=([^\\n]*)`, 'g'))) {
            assert.match(
              m[1] ?? '',
              /^\$\(secret '\$\{(aws_secretsmanager_secret\.[\w-]+\.arn|var\.data_plane\.secret_arns\.\w+)\}'\)"|^\/run\/secrets\//,
            )
          }
        }
      }
    }
  })
})
