// SPDX-License-Identifier: MPL-2.0
// `terraform apply` for real, offline (infra/src/emulator/cycle.ts): the global stack and every
// cluster stack applied against moto's server, planned again with no change but the documented emulator
// drift, destroyed cluster by cluster (each taking exactly what its apply made, the others untouched),
// then applied and destroyed again on the same emulator. Prints the measured counts and times.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CLUSTERS } from '../src/clusters.ts'
import {
  type CycleReport,
  EMULATOR_DRIFT,
  emulatorCycle,
  formatReport,
  unexplainedChanges,
} from '../src/emulator/cycle.ts'
import { motoMissing } from '../src/emulator/moto.ts'

describe('terraform apply against the AWS emulator', { timeout: 45 * 60_000 }, () => {
  it('a plan shows only documented drift; a change the drift does not explain is caught', () => {
    assert.deepEqual(
      unexplainedChanges([
        {
          address: 'a',
          type: 'aws_vpc_security_group_ingress_rule',
          actions: ['update'],
          attributes: ['description'],
        },
      ]),
      [],
    )
    assert.equal(
      unexplainedChanges([
        {
          address: 'b',
          type: 'aws_vpc_security_group_ingress_rule',
          actions: ['update'],
          attributes: ['from_port'],
        },
      ]).length,
      1,
    )
    assert.equal(
      unexplainedChanges([{ address: 'c', type: 'aws_instance', actions: ['create'], attributes: [] }])
        .length,
      1,
    )
    for (const d of EMULATOR_DRIFT) assert.ok(d.why.length > 10, `${d.type}.${d.attribute} says why`)
  })

  it('applies, plans, destroys and applies again every stack, each destroy exactly its own', {
    timeout: 40 * 60_000,
  }, async () => {
    assert.equal(motoMissing(), undefined, 'moto is installed (bash scripts/deps.sh test)')
    const r: CycleReport = await emulatorCycle({ say: (l) => process.stdout.write(`# ${l}\n`) })
    process.stdout.write(`${formatReport(r).replace(/^/gm, '# ')}\n`)
    assert.deepEqual(r.problems, [])
    const applies = r.steps.filter((s) => s.what === 'apply')
    const destroys = r.steps.filter((s) => s.what === 'destroy')
    assert.equal(applies.length, 2 * (CLUSTERS.length + 1), 'two rounds of every stack')
    assert.equal(destroys.length, applies.length)
    for (const a of applies) assert.ok(a.added > 0, `${a.stack} made resources`)
    // Round two makes exactly what round one made (no name collided with a secret in its recovery window).
    const half = applies.length / 2
    for (let i = 0; i < half; i++)
      assert.equal(applies[i + half]?.added, applies[i]?.added, applies[i]?.stack)
    const plans = r.steps.filter((s) => s.what === 'plan')
    for (const p of plans) assert.equal(p.added + p.destroyed, 0, `${p.stack}: nothing to make or remove`)
  })
})
