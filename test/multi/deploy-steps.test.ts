// SPDX-License-Identifier: MPL-2.0
// The deploy's order of steps, whatever the target: per cluster, drain, wait out DNS and the grace,
// upgrade, smoke test, back in DNS; one cluster after the other; a failed smoke test rolls that cluster
// back, keeps it out of DNS and stops before the next; silences are set while a cluster is drained and
// lifted after. A recording target (this module's unit test); the real clusters are in clusters.test.ts.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DeployError, type DeployTarget, deploy, type Silencer } from '../../scripts/multi/deploy.ts'

function recorder(opts: { failSmokeOn?: string; version?: string } = {}) {
  const steps: string[] = []
  const running: Record<string, string> = { a: 'v1', b: 'v1' }
  const target: DeployTarget = {
    name: 'recorder',
    clusters: ['a', 'b'],
    drainGraceMs: 1,
    current: async (c) => running[c] ?? '',
    setDrained: async (c, d) => {
      steps.push(`${c}:${d ? 'drain' : 'undrain'}`)
    },
    waitDns: async (c, inDns) => {
      steps.push(`${c}:dns-${inDns ? 'in' : 'out'}`)
    },
    upgrade: async (c, v) => {
      running[c] = v
      steps.push(`${c}:upgrade-${v}`)
    },
    smoke: async (c) => {
      steps.push(`${c}:smoke-${running[c]}`)
      if (c === opts.failSmokeOn && running[c] !== 'v1') throw new Error('cert_key: 400 broken')
      return 5
    },
  }
  const silencer: Silencer = {
    silence: async (c) => {
      steps.push(`${c}:silence`)
      return `id-${c}`
    },
    lift: async (id) => {
      steps.push(`lift:${id}`)
    },
  }
  return { steps, running, target, silencer }
}

describe('deploy steps', () => {
  it('one cluster at a time: drain, wait, upgrade, smoke, back in DNS; silenced while drained', async () => {
    const r = recorder()
    const reports = await deploy(r.target, 'v2', { silencer: r.silencer })
    assert.deepEqual(r.steps, [
      'a:silence',
      'a:drain',
      'a:dns-out',
      'a:upgrade-v2',
      'a:smoke-v2',
      'a:undrain',
      'a:dns-in',
      'lift:id-a',
      'b:silence',
      'b:drain',
      'b:dns-out',
      'b:upgrade-v2',
      'b:smoke-v2',
      'b:undrain',
      'b:dns-in',
      'lift:id-b',
    ])
    assert.deepEqual(
      reports.map((x) => [x.cluster, x.from, x.to, x.outcome]),
      [
        ['a', 'v1', 'v2', 'upgraded'],
        ['b', 'v1', 'v2', 'upgraded'],
      ],
    )
  })

  it('a failed smoke test rolls the cluster back, leaves it out of DNS and stops before the next cluster', async () => {
    const r = recorder({ failSmokeOn: 'a' })
    await assert.rejects(deploy(r.target, 'v2', { silencer: r.silencer }), (e: unknown) => {
      assert.ok(e instanceof DeployError)
      assert.match(e.message, /cluster a failed its smoke test \(cert_key: 400 broken\)/)
      assert.match(e.message, /runs v1 again, the rollback passes the smoke test, and stays out of DNS/)
      assert.deepEqual(
        e.reports.map((x) => [x.cluster, x.outcome]),
        [['a', 'rolled back']],
      )
      return true
    })
    assert.deepEqual(r.steps, [
      'a:silence',
      'a:drain',
      'a:dns-out',
      'a:upgrade-v2',
      'a:smoke-v2',
      'a:upgrade-v1',
      'a:smoke-v1',
      'lift:id-a',
    ])
    assert.deepEqual(r.running, { a: 'v1', b: 'v1' }, 'b never touched')
  })

  it('deploys without silences when monitoring offers none, and when setting one fails', async () => {
    const r = recorder()
    await deploy(r.target, 'v3')
    assert.ok(!r.steps.some((s) => s.includes('silence')))
    const r2 = recorder()
    const lines: string[] = []
    await deploy(r2.target, 'v3', {
      log: (l) => lines.push(l),
      silencer: {
        silence: async () => {
          throw new Error('alertmanager down')
        },
        lift: async () => {},
      },
    })
    assert.ok(lines.some((l) => /could not set a silence/.test(l)))
    assert.deepEqual(r2.running, { a: 'v3', b: 'v3' })
  })
})
