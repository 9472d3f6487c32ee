// SPDX-License-Identifier: MPL-2.0
// One data plane across regions, read back from the synthesized JSON: one master (home cluster) and
// replicas in every cluster; the shared secrets made once with a replica in every other region, read
// beside the home through their replicas; a master name every VPC resolves; VPC peering between every
// pair of clusters, routed only between isolated subnets and open only for MySQL from the topology's
// clients of the master (writers, replicas) to the db hosts, both ways; the deploy's per-cluster
// variables (image tag, DNS switch). The expected table is derived here from FLOWS, not from infra/src.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { EXTERNAL_HOST_CLASS, FLOWS, SECRET_NAMES, SECRETS, SERVICE_SPECS } from '@persona/kit/topology'
import { CLUSTERS, type ClusterSpec, subnetCidrs } from '../src/clusters.ts'
import {
  decodeUserData,
  list,
  peeringReachability,
  refName,
  resources,
  type Stack,
  type Synthesized,
  secretReaders,
  str,
  synthesize,
} from './synthesized.ts'

const MASTER_NAME = 'db-master.persona.internal'
/** A Terraform interpolation as the synthesized JSON holds it. */
const tf = (expr: string) => `\${${expr}}`

function classOfNode(node: string): string {
  if (node in SERVICE_SPECS) return SERVICE_SPECS[node as keyof typeof SERVICE_SPECS].hostClass
  return EXTERNAL_HOST_CLASS[node as keyof typeof EXTERNAL_HOST_CLASS]
}

/** Across regions: each class that calls the master, of every cluster, to the master's class of every other. */
function expectedAcross(clusters: readonly ClusterSpec[]): string[] {
  const out = new Set<string>()
  for (const f of FLOWS.filter((x) => x.to === 'db-master')) {
    for (const a of clusters) {
      for (const b of clusters) {
        if (a.name !== b.name)
          out.add(`${a.name}/${classOfNode(f.from)} -> ${b.name}/${classOfNode(f.to)}:${f.port}`)
      }
    }
  }
  return [...out].sort()
}

const clusterOf = (s: Stack) => s.name.replace(/^persona-/, '')
const dbRole = (inst: { tags?: unknown }) =>
  (inst.tags as Record<string, string> | undefined)?.['persona-db-role']

function clusterStacks(s: Synthesized): Stack[] {
  return s.stacks.filter((x) => resources(x, 'aws_vpc').size > 0)
}

describe('one data plane across regions', () => {
  let app: Synthesized
  let stacks: Stack[]
  let home: Stack
  let beside: Stack[]
  before(() => {
    app = synthesize()
    stacks = clusterStacks(app)
    const [h, ...rest] = stacks
    assert.ok(h && rest.length > 0, 'a home cluster and at least one beside it')
    home = h
    beside = rest
  })
  after(() => app?.cleanup())

  it('has one master, in the home cluster, and replicas in every cluster', () => {
    const roles = stacks.map((s) => [...resources(s, 'aws_instance').values()].map(dbRole).filter(Boolean))
    assert.deepEqual(
      roles.map((r) => r.filter((x) => x === 'master').length),
      [1, ...beside.map(() => 0)],
    )
    for (const [i, r] of roles.entries()) {
      assert.ok(r.filter((x) => x === 'replica').length >= 2, `${stacks[i]?.name} has replicas`)
    }
  })

  it('makes each shared secret once, in the home region, replicated to every other region', () => {
    const regions = new Set(CLUSTERS.filter((c) => c.name !== clusterOf(home)).map((c) => c.region))
    const made = (s: Stack) =>
      new Map(
        [...resources(s, 'aws_secretsmanager_secret').values()].map((v) => [
          str(v.name_prefix).split('/').pop()?.replace(/-$/, '') ?? '',
          v,
        ]),
      )
    const regional = SECRET_NAMES.filter((s) => 'provided' in SECRETS[s])
    for (const [name, v] of made(home)) {
      const replicas = list(v.replica).map((r) => str((r as { region?: string }).region))
      if ((regional as readonly string[]).includes(name)) assert.deepEqual(replicas, [], name)
      else assert.deepEqual(new Set(replicas), regions, `${name} replicated to every other region`)
    }
    for (const name of ['certifierPrivateKey', 'sessionSecret', 'publicKey', 'dbWriterPassword'])
      assert.ok(made(home).has(name), `home makes ${name}`)
    for (const s of beside) {
      // Beside the home only the region's own values (its SES account) are made.
      assert.deepEqual([...made(s).keys()].sort(), [...regional].sort(), s.name)
      const readers = secretReaders(s)
      assert.deepEqual([...(readers.get('shared:certifierPrivateKey') ?? [])].sort(), ['certifier'])
      assert.deepEqual([...(readers.get('shared:sessionSecret') ?? [])].sort(), ['webhead'])
      assert.ok(!readers.has('shared:smtpPassword'), 'the SES account is regional')
      const init = [...resources(s, 'aws_launch_template').entries()].find(([k]) => k === 'lt-init')?.[1]
      const script = decodeUserData(init?.user_data)
      assert.match(script, /beside the home cluster/)
      assert.doesNotMatch(
        script,
        /init\.ts (db|secrets)/,
        'the database and the shared values are the home init job',
      )
      for (const lt of resources(s, 'aws_launch_template').values()) {
        for (const m of decodeUserData(lt.user_data).matchAll(
          /put-secret-value [^\n]*--secret-id '([^']+)'/g,
        ))
          assert.match(m[1] ?? '', /^\$\{aws_secretsmanager_secret\./, 'writes only the secrets it made')
      }
    }
    assert.ok(home.json.output && 'shared_secret_arns' in (home.json.output as object))
  })

  it('gives one master name, resolved in every VPC, that every writer and replica uses', () => {
    const zones = [...resources(home, 'aws_route53_zone').values()].filter(
      (z) => z.name === 'persona.internal',
    )
    assert.equal(zones.length, 1)
    assert.ok(list(zones[0]?.vpc).length === 1)
    assert.deepEqual((zones[0]?.lifecycle as { ignore_changes?: string[] } | undefined)?.ignore_changes, [
      'vpc',
    ])
    const rec = [...resources(home, 'aws_route53_record').values()].find((r) => r.name === MASTER_NAME)
    assert.ok(rec, 'the master record')
    assert.ok(refName(list(rec.records)[0], 'aws_instance'), 'names the master instance')
    assert.deepEqual((rec.lifecycle as { ignore_changes?: string[] }).ignore_changes, ['records'])
    for (const s of beside) {
      const assoc = [...resources(s, 'aws_route53_zone_association').values()]
      assert.equal(assoc.length, 1, s.name)
      assert.equal(assoc[0]?.count, tf('var.associate_master_zone ? 1 : 0'))
      const v = (s.json.variable as Record<string, { default?: unknown }>).associate_master_zone
      assert.equal(v?.default, true, 'associated unless told otherwise (only the emulator does)')
      assert.equal(str(assoc[0]?.zone_id), tf('var.data_plane.master_zone_id'))
      assert.ok(refName(assoc[0]?.vpc_id, 'aws_vpc'))
      assert.equal(
        [...resources(s, 'aws_route53_record').values()].filter((r) => str(r.name).startsWith('db-master'))
          .length,
        0,
        'no master name of its own',
      )
    }
    for (const s of stacks) {
      for (const lt of resources(s, 'aws_launch_template').values()) {
        const script = decodeUserData(lt.user_data)
        for (const m of script.matchAll(/^(DB_WRITER_HOST|PERSONA_DB_MASTER_HOST|DB_MASTER_HOST)=(.*)$/gm))
          assert.equal(m[2], MASTER_NAME, `${s.name} ${m[1]}`)
      }
    }
  })

  it('peers every pair of clusters, routing only between isolated subnets', () => {
    const pairs = new Set<string>()
    for (const s of beside) {
      for (const [k, p] of resources(s, 'aws_vpc_peering_connection')) {
        const peer = CLUSTERS.find((c) => c.region === str(p.peer_region))
        assert.ok(peer, k)
        assert.equal(p.auto_accept, false, 'accepted by the peer region')
        pairs.add([clusterOf(s), peer.name].sort().join('+'))
        const acc = [...resources(s, 'aws_vpc_peering_connection_accepter').values()].filter(
          (a) => refName(a.vpc_peering_connection_id, 'aws_vpc_peering_connection') === k,
        )
        assert.equal(acc.length, 1)
        assert.equal(acc[0]?.provider, `aws.${peer.name}`)
      }
      const isolated = (c: string) => subnetCidrs(CLUSTERS.find((x) => x.name === c)?.vpcCidr ?? '').isolated
      for (const r of resources(s, 'aws_route').values()) {
        if (r.vpc_peering_connection_id === undefined) continue
        if (r.provider === undefined) {
          assert.equal(refName(r.route_table_id, 'aws_route_table'), 'rt-isolated')
          assert.ok(
            CLUSTERS.some(
              (c) => c.name !== clusterOf(s) && isolated(c.name).includes(str(r.destination_cidr_block)),
            ),
          )
        } else {
          assert.match(
            str(r.route_table_id),
            /^\$\{var\.data_plane\.peers\["[a-z0-9-]+"\]\.route_table_id\}$/,
          )
          assert.ok(isolated(clusterOf(s)).includes(str(r.destination_cidr_block)))
        }
      }
    }
    for (const s of stacks) {
      const out = (s.json.output as Record<string, { value?: Record<string, string> }>).data_plane_peer
      assert.equal(
        out?.value?.route_table_id,
        tf('aws_route_table.rt-isolated.id'),
        `${s.name} offers its isolated routes`,
      )
    }
    const want = new Set<string>()
    for (const a of CLUSTERS) for (const b of CLUSTERS) if (a.name < b.name) want.add(`${a.name}+${b.name}`)
    assert.deepEqual([...pairs].sort(), [...want].sort())
  })

  it('opens the peering only for MySQL: writers and replicas to the db hosts, every way, and nothing else', () => {
    assert.deepEqual(peeringReachability(stacks), expectedAcross(CLUSTERS))
    for (const s of stacks) {
      for (const type of ['aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule']) {
        for (const [k, r] of resources(s, type)) {
          if (!k.startsWith('peering-')) continue
          assert.equal(r.from_port, 3306, k)
          assert.equal(r.to_port, 3306, k)
          assert.equal(r.ip_protocol, 'tcp', k)
        }
      }
    }
  })

  it('the same holds for three clusters', () => {
    const third: ClusterSpec = {
      name: 'ap-south',
      region: 'ap-southeast-2',
      zones: ['ap-southeast-2a', 'ap-southeast-2b', 'ap-southeast-2c'],
      vpcCidr: '10.30.0.0/16',
      inDns: true,
    }
    const clusters = [...CLUSTERS, third]
    const three = synthesize({ clusters })
    try {
      const s3 = clusterStacks(three)
      assert.deepEqual(peeringReachability(s3), expectedAcross(clusters))
      const last = s3.find((s) => s.name === 'persona-ap-south')
      assert.ok(last)
      assert.equal(resources(last, 'aws_vpc_peering_connection').size, CLUSTERS.length)
      const home3 = s3[0]
      assert.ok(home3)
      const key = [...resources(home3, 'aws_secretsmanager_secret').values()].find((v) =>
        str(v.name_prefix).includes('/sessionSecret-'),
      )
      assert.deepEqual(
        list(key?.replica)
          .map((r) => str((r as { region?: string }).region))
          .sort(),
        clusters
          .slice(1)
          .map((c) => c.region)
          .sort(),
      )
    } finally {
      three.cleanup()
    }
  })

  it("takes the deploy's per-cluster variables: the image tag and the DNS switch", () => {
    for (const s of stacks) {
      const vars = s.json.variable as Record<string, { type?: string; default?: unknown }>
      assert.equal(vars.image_tag?.default, undefined, 'image_tag has no default')
      assert.equal(vars.in_dns?.type, 'bool')
      assert.equal(vars.in_dns?.default, true)
      const records = [...resources(s, 'aws_route53_record').values()].filter(
        (r) => r.health_check_id !== undefined,
      )
      assert.ok(records.length === 2)
      for (const r of records) assert.equal(r.count, tf('var.in_dns ? 1 : 0'))
    }
  })
})
