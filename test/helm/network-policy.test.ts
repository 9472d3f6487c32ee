// SPDX-License-Identifier: MPL-2.0
// The chart's NetworkPolicies against topology.ts FLOWS: the chart's copy of the flows equals the
// table, the graph the rendered policies allow equals the table mapped onto the chart for every
// value set, and a forbidden flow slipped into the values makes the comparison fail.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { FLOWS } from '@persona/kit/topology'
import { stringify } from 'yaml'
import { diffGraphs, edge, expectedGraph, renderedGraph } from './policy-graph.ts'
import { at, defaultValues, effectiveValues, objs, template, VALUE_SETS } from './render.ts'

const tmp = mkdtempSync(join(tmpdir(), 'persona-helm-np-'))
after(() => rmSync(tmp, { recursive: true, force: true }))

test('values.yaml networkPolicy.flows is exactly topology.ts FLOWS', () => {
  const chart = objs(at(defaultValues(), 'networkPolicy.flows')).map((f) => `${f.from}->${f.to}:${f.port}`)
  const table = FLOWS.map((f) => `${f.from}->${f.to}:${f.port}`)
  assert.deepEqual([...chart].sort(), [...table].sort())
})

describe('rendered NetworkPolicy graph equals FLOWS mapped onto the chart', () => {
  for (const [name, files] of Object.entries(VALUE_SETS)) {
    test(name, async () => {
      const values = effectiveValues(files)
      const graph = renderedGraph(await template(files), values)
      assert.deepEqual(diffGraphs(graph, expectedGraph(values)), [])
      // The promises of the issue, spelled out on the same graph.
      const toInternet = [...graph.egress].filter((e) => e.includes('->internet:'))
      assert.deepEqual(toInternet, [edge('proxy', 'internet', 443)])
      const toDb = new Set(
        [...graph.egress].filter((e) => /->db-(master|replica):/.test(e)).map((e) => e.split('->')[0]),
      )
      assert.ok(toDb.has('reader') && toDb.has('writer'))
      assert.deepEqual(
        [...toDb].filter((c) => !['reader', 'writer', 'migrate'].includes(c ?? '')),
        [],
      )
    })
  }
})

test('mutation: one forbidden flow added through the values makes the check fail', async () => {
  const flows = [
    ...objs(at(defaultValues(), 'networkPolicy.flows')),
    { from: 'nginx', to: 'writer', port: 10005 },
  ]
  const file = join(tmp, 'forbidden-flow.yaml')
  writeFileSync(file, stringify({ networkPolicy: { flows } }))
  const values = effectiveValues([file])
  const diff = diffGraphs(renderedGraph(await template([file]), values), expectedGraph(values))
  assert.deepEqual(diff, [
    `egress: allowed but not in FLOWS: ${edge('nginx', 'writer', 10005)}`,
    `ingress: allowed but not in FLOWS: ${edge('nginx', 'writer', 10005)}`,
  ])
})

test('mutation: a flow removed through the values makes the check fail', async () => {
  const flows = objs(at(defaultValues(), 'networkPolicy.flows')).filter((f) => f.to !== 'certifier')
  const file = join(tmp, 'missing-flow.yaml')
  writeFileSync(file, stringify({ networkPolicy: { flows } }))
  const values = effectiveValues([file])
  const diff = diffGraphs(renderedGraph(await template([file]), values), expectedGraph(values))
  assert.ok(
    diff.some((l) => l.includes(`in FLOWS but not allowed: ${edge('reader', 'certifier', 10006)}`)),
    diff.join('\n'),
  )
})

test('a peer the checker does not recognise is an error, not a silently ignored rule', async () => {
  const file = join(tmp, 'wide-smtp.yaml')
  writeFileSync(file, stringify({ smtp: { networkPeers: [{ ipBlock: { cidr: '0.0.0.0/0' } }] } }))
  const manifests = await template([file])
  // Checked with the default values' idea of who smtp is: the widened peer must not pass as smtp.
  assert.throws(() => renderedGraph(manifests, effectiveValues()), /none of the chart's components/)
})

test('an unknown node in the flows is rejected by values.schema.json, naming the value', async () => {
  const file = join(tmp, 'unknown-node.yaml')
  writeFileSync(file, stringify({ networkPolicy: { flows: [{ from: 'reader', to: 'mainframe', port: 1 }] } }))
  await assert.rejects(template([file]), /networkPolicy\/flows\/0\/to.*value must be one of/)
})
