// SPDX-License-Identifier: MPL-2.0
// The chart's monitoring: off by default (no Prometheus-operator objects, no one may scrape); turned on,
// a ServiceMonitor that scrapes exactly the seven services' /metrics with the labels the shipped rules
// group by (job, cluster, host, host_class as topology.ts says), a PrometheusRule equal to the shipped
// rules, and a NetworkPolicy peer that lets the monitoring namespace reach each service's port and
// nothing else changed.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { SERVICE_SPECS, SERVICES } from '@persona/kit/topology'
import { parse, stringify } from 'yaml'
import { renderRules } from '../../monitoring/src/rules.ts'
import { at, helm, isObj, type Manifest, objs, template, valueArgs } from './render.ts'

const tmp = mkdtempSync(join(tmpdir(), 'persona-helm-monitoring-'))
after(() => rmSync(tmp, { recursive: true, force: true }))

const PEER = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }
const valuesFile = join(tmp, 'monitoring.yaml')
writeFileSync(
  valuesFile,
  stringify({
    monitoring: {
      scrapePeers: [PEER],
      cluster: 'eu-1',
      serviceMonitor: { enabled: true, labels: { release: 'kube-prometheus' } },
      prometheusRule: { enabled: true },
    },
  }),
)

const ofKind = (ms: readonly Manifest[], kind: string) => ms.filter((m) => m.kind === kind)
const policy = (ms: readonly Manifest[], name: string) =>
  ofKind(ms, 'NetworkPolicy').find((m) => m.metadata.name === `persona-${name}`)
const rulesOf = (m: Manifest | undefined, dir: 'ingress' | 'egress') => objs(at(m, `spec.${dir}`))
const isPeer = (r: unknown) => JSON.stringify(at(r, 'from')) === JSON.stringify([PEER])

describe('Helm: monitoring', () => {
  test('off by default: no ServiceMonitor, no PrometheusRule, no one else may reach a service', async () => {
    const ms = await template()
    assert.deepEqual(ofKind(ms, 'ServiceMonitor'), [])
    assert.deepEqual(ofKind(ms, 'PrometheusRule'), [])
    for (const s of SERVICES) assert.ok(!rulesOf(policy(ms, s), 'ingress').some(isPeer), s)
  })

  test('ServiceMonitor: the seven services at /metrics, labelled as the rules and dashboards expect', async () => {
    const ms = await template([valuesFile])
    const [sm, ...more] = ofKind(ms, 'ServiceMonitor')
    assert.equal(more.length, 0)
    assert.equal(at(sm, 'metadata.labels.release'), 'kube-prometheus')
    assert.deepEqual(at(sm, 'spec.namespaceSelector.matchNames'), ['persona'])
    const expr = objs(at(sm, 'spec.selector.matchExpressions'))[0]
    assert.deepEqual(at(expr, 'values'), [...SERVICES])
    // Every selected Service has the named port the endpoint scrapes.
    for (const s of SERVICES) {
      const svc = ofKind(ms, 'Service').find((m) => m.metadata.name === `persona-${s}`)
      const ports = objs(at(svc, 'spec.ports'))
      assert.ok(
        ports.some((p) => p.name === 'http' && p.port === SERVICE_SPECS[s].port),
        `${s}: port http`,
      )
    }
    const [endpoint] = objs(at(sm, 'spec.endpoints'))
    assert.equal(at(endpoint, 'path'), '/metrics')
    assert.equal(at(endpoint, 'port'), 'http')
    assert.equal(at(endpoint, 'honorLabels'), true)
    const relabel = objs(at(endpoint, 'relabelings'))
    const fixed = (label: string) =>
      relabel.find((r) => r.targetLabel === label && r.sourceLabels === undefined)?.replacement
    assert.equal(fixed('job'), 'persona', 'the rules select job="persona"')
    assert.equal(fixed('cluster'), 'eu-1')
    assert.ok(relabel.some((r) => r.targetLabel === 'host'))
    for (const s of SERVICES) {
      const r = relabel.find((x) => x.targetLabel === 'host_class' && x.regex === s)
      assert.equal(r?.replacement, SERVICE_SPECS[s].hostClass, `${s} runs on ${SERVICE_SPECS[s].hostClass}`)
    }
  })

  test('PrometheusRule: exactly the shipped rules', async () => {
    const [rule] = ofKind(await template([valuesFile]), 'PrometheusRule')
    assert.ok(isObj(rule))
    assert.deepEqual(rule.spec, parse(renderRules()))
  })

  test('NetworkPolicy: the monitoring namespace reaches each service on its port, nothing else changes', async () => {
    const on = await template([valuesFile])
    const off = await template()
    for (const s of SERVICES) {
      const ingress = rulesOf(policy(on, s), 'ingress')
      const scrape = ingress.filter(isPeer)
      assert.equal(scrape.length, 1, `${s}: one rule for the monitoring namespace`)
      assert.deepEqual(at(scrape[0], 'ports'), [{ protocol: 'TCP', port: SERVICE_SPECS[s].port }])
      assert.deepEqual(
        ingress.filter((r) => !isPeer(r)),
        rulesOf(policy(off, s), 'ingress'),
        `${s}: its other ingress rules as without monitoring`,
      )
    }
    for (const m of ofKind(on, 'NetworkPolicy')) {
      const name = m.metadata.name.replace(/^persona-/, '')
      if (!(SERVICES as readonly string[]).includes(name))
        assert.ok(!rulesOf(m, 'ingress').some(isPeer), `${m.metadata.name}: no monitoring peer`)
      assert.deepEqual(
        rulesOf(m, 'egress'),
        rulesOf(
          ofKind(off, 'NetworkPolicy').find((o) => o.metadata.name === m.metadata.name),
          'egress',
        ),
        `${m.metadata.name}: egress unchanged`,
      )
    }
  })

  test('helm lint accepts the monitoring values; the schema refuses a misspelt one', async () => {
    const lint = await helm([
      'lint',
      join(import.meta.dirname, '../../charts/persona'),
      ...valueArgs([valuesFile]),
    ])
    assert.equal(lint.code, 0, lint.stdout + lint.stderr)
    const bad = await helm([
      'template',
      'persona',
      join(import.meta.dirname, '../../charts/persona'),
      '--set',
      'monitoring.serviceMonitor.enable=true',
    ])
    assert.notEqual(bad.code, 0)
    assert.match(bad.stderr, /enable/)
  })
})
