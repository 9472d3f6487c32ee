// SPDX-License-Identifier: MPL-2.0
// The deploy's steps against AWS (Terraform) and Kubernetes (Helm), as commands: the same order as on
// the simulation (drain, wait out DNS, upgrade, smoke, back in DNS, one cluster after the other; a
// failed smoke test rolls back and stays out of DNS), each step the command the target runs. A
// recording runner stands in for terraform, aws and helm (a unit test of scripts/multi/targets.ts); the
// chart's side of the same values is rendered for real in test/helm/per-cluster.test.ts.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DeployError, deploy } from '../../scripts/multi/deploy.ts'
import { helmTarget, type Runner, terraformTarget } from '../../scripts/multi/targets.ts'

const CLUSTERS = [
  { name: 'us-east', region: 'us-east-1' },
  { name: 'eu-west', region: 'eu-west-1' },
]

/** Answers like the real tools, from a tiny model: versions per cluster, records per cluster. */
function recorder(opts: { failSmokeOn?: string } = {}) {
  const calls: string[] = []
  const running: Record<string, string> = { 'us-east': 'v1', 'eu-west': 'v1' }
  const inDns: Record<string, boolean> = { 'us-east': true, 'eu-west': true }
  const clusterOfDir = (a: string) => /persona-([a-z-]+)$/.exec(a)?.[1] ?? '?'
  const runner: Runner = {
    run: async (cmd, args) => {
      const line = `${cmd} ${args.join(' ')}`
      calls.push(line)
      if (cmd === 'terraform' && args[1] === 'output') return `${running[clusterOfDir(args[0] ?? '')]}\n`
      if (cmd === 'terraform' && args[1] === 'apply') {
        const c = clusterOfDir(args[0] ?? '')
        for (const a of args) {
          const tag = /^image_tag=(.+)$/.exec(a)?.[1]
          if (tag !== undefined) running[c] = tag
          const dns = /^in_dns=(true|false)$/.exec(a)?.[1]
          if (dns !== undefined) inDns[c] = dns === 'true'
        }
        return ''
      }
      if (cmd === 'helm' && args[0] === 'get') {
        const c = (args[2] ?? '').replace(/^persona-/, '')
        return JSON.stringify({ image: { tag: running[c] }, dns: { inDns: inDns[c] } })
      }
      if (cmd === 'helm' && args[0] === 'upgrade') {
        const c = (args[1] ?? '').replace(/^persona-/, '')
        for (const a of args) {
          const tag = /^image\.tag=(.+)$/.exec(a)?.[1]
          if (tag !== undefined) running[c] = tag
          const dns = /^dns\.inDns=(true|false)$/.exec(a)?.[1]
          if (dns !== undefined) inDns[c] = dns === 'true'
        }
        return ''
      }
      if (cmd === 'aws' && args[0] === 'route53') {
        const c = /SetIdentifier=='([a-z-]+)'/.exec(line)?.[1] ?? '?'
        return inDns[c] ? '2\n' : '0\n'
      }
      if (cmd === 'aws' && args[1] === 'start-instance-refresh') return `refresh-${calls.length}\n`
      if (cmd === 'aws' && args[1] === 'describe-instance-refreshes') return 'Successful\n'
      throw new Error(`unexpected ${line}`)
    },
  }
  const smoke = async (c: string) => {
    calls.push(`smoke ${c} ${running[c]}`)
    if (c === opts.failSmokeOn && running[c] !== 'v1') throw new Error('cert_key: 400')
    return 5
  }
  const common = { clusters: CLUSTERS, zoneId: 'ZPUBLIC', smoke, runner, drainGraceMs: 1, pollMs: 1 }
  return { calls, running, inDns, common }
}

/** The calls as short steps: what each one does to which cluster. */
function steps(calls: readonly string[]): string[] {
  return calls.map((l) => {
    const c = /persona-([a-z]+-[a-z]+)/.exec(l)?.[1] ?? /SetIdentifier=='([a-z-]+)'/.exec(l)?.[1] ?? ''
    if (l.startsWith('smoke ')) return l
    if (l.startsWith('terraform') && l.includes(' output ')) return `${c}: read image_tag`
    if (l.startsWith('terraform') && l.includes(' apply ')) {
      const tag = /image_tag=(\S+)/.exec(l)?.[1]
      const dns = /in_dns=(\S+)/.exec(l)?.[1]
      return `${c}: apply image_tag=${tag} in_dns=${dns}${l.includes('-replace=aws_instance.init') ? ' +init' : ''}`
    }
    if (l.startsWith('aws route53')) return `${c}: route53?`
    if (l.includes('start-instance-refresh'))
      return `${c}: refresh ${/-(webhead|dbwriter|certifier) /.exec(l)?.[1]}`
    if (l.includes('describe-instance-refreshes')) return `${c}: refresh done?`
    if (l.startsWith('helm get')) return `${c}: read values`
    if (l.startsWith('helm upgrade')) {
      const sets = [...l.matchAll(/--set(?:-string)? (\S+)/g)].map((m) => m[1]).join(' ')
      return `${c}: helm upgrade ${sets}${l.includes('--wait') ? ' --wait' : ''}`
    }
    return l
  })
}

describe('the deploy steps on AWS and Kubernetes', () => {
  it('terraform: per cluster, in_dns=false, image_tag and an instance refresh (migrations in the home), smoke, in_dns=true', async () => {
    const r = recorder()
    const t = terraformTarget({ ...r.common, stacksDir: '/stacks', home: 'us-east' })
    const reports = await deploy(t, 'v2')
    const s = steps(r.calls)
    const cluster = (c: string, init: boolean) => [
      `${c}: read image_tag`,
      `${c}: apply image_tag=v1 in_dns=false`,
      `${c}: route53?`,
      `${c}: apply image_tag=v2 in_dns=false${init ? ' +init' : ''}`,
      `${c}: refresh webhead`,
      `${c}: refresh dbwriter`,
      `${c}: refresh certifier`,
      `${c}: refresh done?`,
      `${c}: refresh done?`,
      `${c}: refresh done?`,
      `smoke ${c} v2`,
      `${c}: apply image_tag=v2 in_dns=true`,
      `${c}: route53?`,
    ]
    assert.deepEqual(s, [...cluster('us-east', true), ...cluster('eu-west', false)])
    assert.deepEqual(
      reports.map((x) => [x.cluster, x.from, x.to, x.outcome]),
      [
        ['us-east', 'v1', 'v2', 'upgraded'],
        ['eu-west', 'v1', 'v2', 'upgraded'],
      ],
    )
    for (const l of r.calls.filter((x) => x.startsWith('terraform') && x.includes(' apply ')))
      assert.match(l, /^terraform -chdir=\/stacks\/persona-[a-z-]+ apply -auto-approve -input=false /)
    assert.ok(r.calls.some((l) => l.includes('--hosted-zone-id ZPUBLIC')))
  })

  it('terraform: a failed smoke test rolls the cluster back, keeps it out of DNS, and stops', async () => {
    const r = recorder({ failSmokeOn: 'us-east' })
    const t = terraformTarget({ ...r.common, stacksDir: '/stacks', home: 'us-east' })
    await assert.rejects(
      deploy(t, 'v2'),
      (e: unknown) => e instanceof DeployError && /us-east/.test(e.message),
    )
    const s = steps(r.calls)
    const failed = s.indexOf('smoke us-east v2')
    assert.deepEqual(s.slice(failed), [
      'smoke us-east v2',
      'us-east: apply image_tag=v1 in_dns=false +init',
      'us-east: refresh webhead',
      'us-east: refresh dbwriter',
      'us-east: refresh certifier',
      'us-east: refresh done?',
      'us-east: refresh done?',
      'us-east: refresh done?',
      'smoke us-east v1',
    ])
    assert.equal(s.at(-1), 'smoke us-east v1', 'the rollback is smoke-tested')
    assert.equal(r.inDns['us-east'], false, 'left out of DNS')
    assert.equal(r.running['us-east'], 'v1')
    assert.ok(!s.some((x) => x.startsWith('eu-west: apply')), 'the next cluster untouched')
  })

  it('helm: one release per cluster; dns.inDns=false, image.tag with --wait, smoke, dns.inDns=true', async () => {
    const r = recorder()
    const t = helmTarget({ ...r.common, chart: '/charts/persona', contextOf: (c) => `ctx-${c}` })
    await deploy(t, 'v2')
    const cluster = (c: string) => [
      `${c}: read values`,
      `${c}: helm upgrade dns.inDns=false --wait`,
      `${c}: route53?`,
      `${c}: helm upgrade image.tag=v2 dns.inDns=false --wait`,
      `smoke ${c} v2`,
      `${c}: helm upgrade dns.inDns=true --wait`,
      `${c}: route53?`,
    ]
    assert.deepEqual(steps(r.calls), [...cluster('us-east'), ...cluster('eu-west')])
    for (const l of r.calls.filter((x) => x.startsWith('helm upgrade'))) {
      const c = /upgrade persona-([a-z-]+) /.exec(l)?.[1]
      assert.match(l, new RegExp(`--kube-context ctx-${c} --namespace persona --reuse-values`))
    }
  })

  it('helm: a failed smoke test rolls back to the previous tag and stays drained', async () => {
    const r = recorder({ failSmokeOn: 'eu-west' })
    const t = helmTarget({ ...r.common, chart: '/charts/persona' })
    await assert.rejects(deploy(t, 'v2'), DeployError)
    assert.deepEqual(steps(r.calls).slice(-3), [
      'smoke eu-west v2',
      'eu-west: helm upgrade image.tag=v1 dns.inDns=false --wait',
      'smoke eu-west v1',
    ])
    assert.deepEqual(r.running, { 'us-east': 'v2', 'eu-west': 'v1' })
    assert.deepEqual(r.inDns, { 'us-east': true, 'eu-west': false })
  })
})
