// SPDX-License-Identifier: MPL-2.0
// The infra diagram is drawn from the data: every cluster, every host class and every cross-host flow
// appears, and Graphviz renders it (skipped with the reason where `dot` is absent).
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { describe, it } from 'node:test'
import { FLOWS, HOST_CLASSES } from '@persona/kit/topology'
import { CLUSTERS, SETTINGS } from '../src/clusters.ts'
import { diagramDot } from '../src/diagram.ts'
import { classFlows } from '../src/privileges.ts'

function hasDot(): boolean {
  try {
    execFileSync('dot', ['-V'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

describe('infra diagram', () => {
  const dot = diagramDot()
  it('shows every cluster, host class and flow', () => {
    for (const c of CLUSTERS) {
      assert.ok(dot.includes(`cluster_${c.name}`), c.name)
      for (const cls of HOST_CLASSES)
        assert.ok(dot.includes(`"${c.name}:${cls}" [label="${cls} x`), `${c.name} ${cls}`)
      for (const f of classFlows(FLOWS, SETTINGS.smtpRelay.port)) {
        if (f.from === 'internet' || f.to === 'internet' || f.to === 'smtp') continue
        assert.match(
          dot,
          new RegExp(`"${c.name}:${f.from}" -> "${c.name}:${f.to}" \\[label="${f.port}`),
          f.why,
        )
      }
    }
  })
  it("shows the data plane across regions: writers and replicas to every other cluster's db hosts", () => {
    for (const a of CLUSTERS)
      for (const b of CLUSTERS) {
        if (a === b) continue
        for (const cls of ['dbwriter', 'db'])
          assert.match(
            dot,
            new RegExp(`"${a.name}:${cls}" -> "${b.name}:db" \\[label="3306 \\(VPC peering\\)"`),
          )
      }
    assert.match(dot, /1 master, \d+ replicas/)
    assert.equal(dot.match(/1 master/g)?.length, 1, 'one master in all')
  })
  it('marks a cluster switched out of DNS', () => {
    const out = diagramDot(CLUSTERS.map((c, i) => (i === 0 ? { ...c, inDns: false } : c)))
    assert.ok(out.includes('OUT OF DNS'))
    assert.ok(!dot.includes('OUT OF DNS'))
  })
  it('renders with Graphviz', { skip: hasDot() ? false : 'graphviz dot not installed' }, () => {
    const svg = execFileSync('dot', ['-Tsvg'], { input: dot }).toString()
    assert.match(svg, /<svg/)
  })
})
