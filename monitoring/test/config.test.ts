// SPDX-License-Identifier: MPL-2.0
// Everything monitoring ships, checked by the real tools: promtool check config / check rules / test
// rules, amtool check-config and route tests, the blackbox exporter's config check; scrape targets
// derived from the topology for one and two clusters; rules and dashboards naming only metrics the
// catalogue declares; the checked-in generated files equal to their sources.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { catalogNames, SERVICE_SPECS, SERVICES } from '@persona/kit'
import { parse, stringify } from 'yaml'
import { renderAlertmanagerConfig } from '../src/alertmanager-config.ts'
import { DASHBOARDS, instantQuery } from '../src/dashboards.ts'
import { GENERATED_FILES, README_FILE, RULES_FILE } from '../src/generated.ts'
import { haveMonitoring, MONITOR_BINARIES } from '../src/launcher.ts'
import {
  MYSQLD_EXPORTER_METRICS,
  masterTargetsJson,
  renderBlackboxConfig,
  renderPrometheusConfig,
} from '../src/prometheus-config.ts'
import { ALERT_RULES, RECORDING_RULES, renderRules } from '../src/rules.ts'
import { devLayout, type Layout, processTargets, servicesOn } from '../src/targets.ts'
import { promtoolTests, RULE_CASES } from './rule-cases.ts'

const COMPOSE_FILE = (name: string) => fileURLToPath(new URL(`../compose/${name}`, import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'persona-monitoring-'))
after(() => rmSync(dir, { recursive: true, force: true }))
/** The real tools are part of the test: missing, they fail it (scripts/deps.sh test installs them). */
function needTools(): void {
  assert.ok(
    haveMonitoring(),
    `monitoring tests need ${Object.values(MONITOR_BINARIES)
      .map((b) => b.pkg)
      .join(', ')} (scripts/deps.sh test installs them)`,
  )
}

function run(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: 'pipe' })
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string }
    throw new Error(`${cmd} ${args.join(' ')} failed:\n${err.stdout ?? ''}${err.stderr ?? ''}`)
  }
}

const DEV_PORTS = {
  ...Object.fromEntries(SERVICES.map((s) => [s, SERVICE_SPECS[s].port])),
  nginx: 8080,
  dbMaster: 3306,
  dbReplica: 3307,
} as Parameters<typeof devLayout>[0]

/** Two clusters shaped like `make multi`: 2 webheads, a dbwriter, a certifier and databases each. */
export const TWO_CLUSTERS: Layout = {
  clusters: ['a', 'b'].map((c, i) => ({
    name: c,
    publicAddress: `10.9.${i}.10`,
    loadBalancer: `10.9.${i}.10`,
    hosts: [
      { name: 'webhead-1', hostClass: 'webhead', address: `10.9.${i}.11` },
      { name: 'webhead-2', hostClass: 'webhead', address: `10.9.${i}.12` },
      { name: 'dbwriter-1', hostClass: 'dbwriter', address: `10.9.${i}.21` },
      { name: 'certifier-1', hostClass: 'certifier', address: `10.9.${i}.31` },
      { name: 'db-1', hostClass: 'db', address: `10.9.${i}.41`, dbRole: i === 0 ? 'master' : 'replica' },
      { name: 'db-2', hostClass: 'db', address: `10.9.${i}.42`, dbRole: 'replica' },
    ],
  })),
  master: { address: 'db-master.persona.internal', port: 3306 },
  dns: { server: '127.0.0.1:5353', name: 'login.persona.test' },
}

describe('scrape targets from the topology', () => {
  test('every host runs the services of its class; every process of every cluster is a target', () => {
    const targets = processTargets(TWO_CLUSTERS)
    for (const c of TWO_CLUSTERS.clusters) {
      for (const h of c.hosts) {
        for (const s of SERVICES) {
          const found = targets.filter(
            (t) => t.labels.cluster === c.name && t.labels.host === h.name && t.labels.service === s,
          )
          assert.equal(
            found.length,
            SERVICE_SPECS[s].hostClass === h.hostClass ? 1 : 0,
            `${c.name}/${h.name}/${s}`,
          )
          if (found[0] !== undefined) assert.equal(found[0].address, `${h.address}:${SERVICE_SPECS[s].port}`)
        }
      }
    }
    assert.deepEqual(servicesOn('webhead'), ['router', 'static', 'reader', 'verifier', 'proxy'])
    assert.equal(targets.length, 2 * (2 * 5 + 1 + 1))
  })

  test('the dev layout: one cluster, the stack ports, every service once', () => {
    const targets = processTargets(devLayout(DEV_PORTS))
    assert.deepEqual(targets.map((t) => t.labels.service).sort(), [...SERVICES].sort())
    assert.ok(targets.every((t) => t.labels.cluster === 'dev'))
  })

  test('prometheus.yml: jobs for processes, nginx, databases, the master and DNS per cluster', () => {
    const cfg = parse(
      renderPrometheusConfig({
        layout: TWO_CLUSTERS,
        alertmanagers: ['127.0.0.1:9093'],
        blackbox: '127.0.0.1:9115',
        ruleFiles: ['/x.yml'],
      }),
    ) as {
      scrape_configs: {
        job_name: string
        static_configs: { targets: string[]; labels: Record<string, string> }[]
      }[]
    }
    const jobs = Object.fromEntries(cfg.scrape_configs.map((j) => [j.job_name, j.static_configs]))
    assert.equal(jobs.persona?.length, 24)
    assert.equal(jobs['persona-nginx']?.length, 4)
    assert.deepEqual(
      jobs['persona-mysqld']?.map((c) => c.targets[0]),
      ['10.9.0.41:9104', '10.9.0.42:9104', '10.9.1.41:9104', '10.9.1.42:9104'],
      'the mysqld exporter beside every database, on the topology port',
    )
    assert.equal(jobs['persona-db']?.length, 4)
    assert.deepEqual(jobs['persona-db-master']?.[0]?.targets, ['db-master.persona.internal:3306'])
    assert.deepEqual(jobs['persona-dns-a']?.[0]?.labels, { cluster: 'a', service: 'dns' })
    assert.ok(jobs['persona-dns-b'])
    assert.deepEqual(
      jobs['persona-lb']?.map((c) => c.targets[0]),
      ['http://10.9.0.10/__lbheartbeat__', 'http://10.9.1.10/__lbheartbeat__'],
    )
  })
})

describe('the real tools accept everything shipped', () => {
  before(needTools)

  test('the checked-in generated files equal their sources (make monitoring-render)', () => {
    for (const [path, render] of Object.entries(GENERATED_FILES)) {
      assert.equal(readFileSync(path, 'utf8'), render(), `${path} is stale: run make monitoring-render`)
    }
  })

  test('promtool check rules', () => {
    assert.match(run('promtool', ['check', 'rules', RULES_FILE]), /SUCCESS: \d+ rules found/)
  })

  test('promtool test rules: every case passes, and every alert fires in some case', () => {
    const files = (['15s', '5m'] as const).map((step) => {
      const file = join(dir, `rules-${step}.test.yml`)
      writeFileSync(file, stringify(promtoolTests(RULES_FILE, step), { lineWidth: 0 }))
      return file
    })
    assert.match(run('promtool', ['test', 'rules', ...files]), /SUCCESS/)
    const fired = new Set(
      RULE_CASES.flatMap((c) => c.checks.filter((k) => k.expect.length > 0).map((k) => k.alert)),
    )
    for (const a of ALERT_RULES) assert.ok(fired.has(a.alert), `no case makes ${a.alert} fire`)
  })

  test('promtool check config, for make dev and for two clusters with DNS', () => {
    for (const [name, layout] of [
      ['dev', devLayout(DEV_PORTS)],
      ['multi', TWO_CLUSTERS],
    ] as const) {
      const file = join(dir, `prometheus-${name}.yml`)
      const masterFile = join(dir, `master-${name}.json`)
      writeFileSync(masterFile, masterTargetsJson('10.9.0.41:3306'))
      const text = renderPrometheusConfig({
        layout,
        alertmanagers: ['127.0.0.1:9093'],
        blackbox: '127.0.0.1:9115',
        ruleFiles: [RULES_FILE],
        ...(name === 'multi' ? { masterTargetsFile: masterFile } : {}),
      })
      writeFileSync(file, text)
      if (name === 'multi') assert.match(text, /file_sd_configs:\n\s+- files:\n\s+- .*master-multi\.json/)
      assert.match(run('promtool', ['check', 'config', file]), /SUCCESS/)
      const bb = join(dir, `blackbox-${name}.yml`)
      writeFileSync(bb, renderBlackboxConfig(layout))
      run(MONITOR_BINARIES.blackbox.bin, ['--config.check', `--config.file=${bb}`])
    }
  })

  test("compose's monitoring images: their prometheus.yml, alertmanager.yml and blackbox.yml pass the tools", () => {
    // The rule file sits at its image path there: checked apart (above), so syntax only here.
    assert.match(
      run('promtool', ['check', 'config', '--syntax-only', COMPOSE_FILE('prometheus.yml')]),
      /SUCCESS/,
    )
    assert.match(run('amtool', ['check-config', COMPOSE_FILE('alertmanager.yml')]), /SUCCESS/)
    run(MONITOR_BINARIES.blackbox.bin, ['--config.check', `--config.file=${COMPOSE_FILE('blackbox.yml')}`])
  })

  test('amtool: the config is valid and routes pages, tickets and the watchdog to their receivers', () => {
    const file = join(dir, 'alertmanager.yml')
    writeFileSync(
      file,
      renderAlertmanagerConfig({
        receivers: {
          page: 'http://127.0.0.1:1/page',
          ticket: 'http://127.0.0.1:1/ticket',
          heartbeat: 'http://127.0.0.1:1/hb',
        },
      }),
    )
    assert.match(run('amtool', ['check-config', file]), /SUCCESS/)
    const route = (labels: string[], receiver: string) =>
      run('amtool', [
        'config',
        'routes',
        'test',
        `--config.file=${file}`,
        `--verify.receivers=${receiver}`,
        ...labels,
      ])
    route(['alertname=ProcessDown', 'severity=page', 'cluster=a'], 'page')
    route(['alertname=DatabaseErrors', 'severity=ticket', 'cluster=a'], 'ticket')
    route(['alertname=Watchdog', 'severity=none'], 'heartbeat')
    route(['alertname=Unknown'], 'ticket')
  })
})

test('rules and dashboards name only metrics the catalogue declares (or Prometheus and Node defaults)', () => {
  const declared = new Set(catalogNames())
  const text = [
    ...RECORDING_RULES.map((r) => r.expr),
    ...ALERT_RULES.map((a) => a.expr),
    ...DASHBOARDS.flatMap((d) => d.panels.flatMap((p) => p.targets.map((t) => t.expr))),
  ].join('\n')
  const exported: readonly string[] = MYSQLD_EXPORTER_METRICS
  for (const name of new Set(text.match(/\bmysql_[a-z0-9_]+/g) ?? []))
    assert.ok(exported.includes(name), `${name} is not in MYSQLD_EXPORTER_METRICS (prometheus-config.ts)`)
  const used = new Set(text.match(/\bpersona_[a-z0-9_]+/g) ?? [])
  for (const name of used) {
    const base = name.replace(/_(bucket|count|sum)$/, '')
    assert.ok(
      declared.has(name) || declared.has(base),
      `${name} is not in services/kit/src/metric-catalog.ts`,
    )
  }
  assert.ok(used.size > 10)
  assert.equal(renderRules(), readFileSync(RULES_FILE, 'utf8'))
})

test('dashboards: every panel query parses in promtool; the README lists every alert with its runbook', () => {
  const readme = readFileSync(README_FILE, 'utf8')
  for (const a of ALERT_RULES) {
    assert.ok(readme.includes(`| \`${a.alert}\` | ${a.severity} |`), `README lists ${a.alert}`)
    assert.ok(readme.includes(a.runbook), `README has the runbook line of ${a.alert}`)
  }
  needTools()
  // promtool parses each query as Prometheus would (Grafana's variables filled in), as recording rules.
  const rules = DASHBOARDS.flatMap((d) =>
    d.panels.flatMap((p, i) =>
      p.targets.map((t, j) => ({
        record: `dashboard:${d.uid.replace(/-/g, '_')}:${i}_${j}`,
        expr: instantQuery(t.expr),
      })),
    ),
  )
  const file = join(dir, 'dashboard-queries.yml')
  writeFileSync(file, stringify({ groups: [{ name: 'dashboards', rules }] }, { lineWidth: 0 }))
  assert.match(run('promtool', ['check', 'rules', file]), new RegExp(`SUCCESS: ${rules.length} rules found`))
})
