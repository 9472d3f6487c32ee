// SPDX-License-Identifier: MPL-2.0
// Live monitoring against the real stack (as `MONITOR=1 make dev` runs it) with the real Prometheus,
// Alertmanager, blackbox exporter and mysqld exporters: every process is seen up and every exporter
// metric the rules read is there; after a little traffic (a sign-up, sign-ins, a certificate, /verify
// okay and failed) every panel of every dashboard returns data; a drained cluster does not page. The
// faults (a killed writer pages and resolves, a killed master pages once, a deployed cluster pages
// nothing) are multi-live.test.ts's, on two clusters, so CI pays for the slow part once. Scrape,
// evaluation and grouping intervals are shortened for the test; the rules (their `for`) are the shipped
// ones. Prints what it measured.
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { freePorts } from '@persona/kit'
import { Agent } from 'undici'
import { type Stack, startStack } from '../../scripts/dev/stack.ts'
import { freshEmail, signIn, signUp, verifyOkay, WebClient } from '../../scripts/multi/web-client.ts'
import { DASHBOARDS, instantQuery } from '../src/dashboards.ts'
import { devMonitoringOf } from '../src/dev.ts'
import { type Monitoring, startMonitoring } from '../src/launcher.ts'
import { alertmanagerAlerts, query } from '../src/prometheus-api.ts'
import { MYSQLD_EXPORTER_METRICS } from '../src/prometheus-config.ts'
import type { Notification } from '../src/receiver.ts'
import { drainCluster, drainSilences, liftDrain } from '../src/silences.ts'

/** Polls `probe` until it returns a value (not undefined) or `ms` pass. */
async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms
  let last: unknown
  for (;;) {
    try {
      const v = await probe()
      if (v !== undefined) return v
    } catch (e) {
      last = e
    }
    if (Date.now() > deadline)
      throw new Error(`${what}: not within ${ms / 1000} s${last ? ` (${String(last)})` : ''}`)
    await new Promise((r) => setTimeout(r, 500))
  }
}

const log = (line: string) => process.stdout.write(`# monitoring live: ${line}\n`)

describe('live monitoring: one stack, real Prometheus and Alertmanager', { timeout: 600_000 }, () => {
  let dir = ''
  let stack: Stack | undefined
  let mon: Monitoring | undefined
  const pages = (since: number): Notification[] =>
    (mon?.receiver?.notifications ?? []).filter((n) => n.receiver === 'page' && n.at >= since)
  const firingAlert = async (alertname: string, labels: Record<string, string>) =>
    (await query(mon?.prometheus ?? '', `ALERTS{alertname="${alertname}",alertstate="firing"}`)).find((s) =>
      Object.entries(labels).every(([k, v]) => s.metric[k] === v),
    )

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'persona-monitoring-live-'))
    stack = await startStack({
      dir,
      env: { BCRYPT_ROUNDS: '4' },
      logLevel: 'warn',
      web: 'never',
      fixtures: false,
    })
    const [prometheus = 0, alertmanager = 0, blackbox = 0] = await freePorts(3)
    const monDir = join(dir, 'monitoring')
    mon = await startMonitoring({
      dir: monDir,
      ...(await devMonitoringOf(stack, monDir)),
      ports: { prometheus, alertmanager, blackbox },
      fast: true,
    })
  })
  after(async () => {
    await mon?.stop()
    await stack?.stop()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('sees every process of the stack up (seven services, nginx, both databases, the master) and both mysqld exporters', async () => {
    const started = Date.now()
    await until('all 10 targets up', 30_000, async () => {
      const up = await query(mon?.prometheus ?? '', 'persona:target:up')
      return up.length === 10 && up.every((s) => s.value === 1) ? up : undefined
    })
    const services = (await query(mon?.prometheus ?? '', 'persona:target:up'))
      .map((s) => s.metric.service)
      .sort()
    assert.deepEqual(services, [
      'certifier',
      'mariadb',
      'mariadb',
      'nginx',
      'proxy',
      'reader',
      'router',
      'static',
      'verifier',
      'writer',
    ])
    assert.equal((await query(mon?.prometheus ?? '', 'persona:master:up'))[0]?.value, 1)
    const build = await query(mon?.prometheus ?? '', 'count(persona_build_info{cluster="dev"})')
    assert.equal(build[0]?.value, 7, 'build info from each of the seven services')
    await until('the watchdog reaches the heartbeat receiver', 20_000, async () =>
      mon?.receiver?.notifications.find((n) => n.receiver === 'heartbeat'),
    )
    const exporters = await query(mon?.prometheus ?? '', 'up{job="persona-mysqld"} == 1')
    assert.deepEqual(exporters.map((s) => s.metric.host).sort(), ['db-1', 'db-2'], 'an exporter beside each')
    for (const name of MYSQLD_EXPORTER_METRICS) {
      const found = await until(`${name} from the exporters`, 15_000, async () => {
        const r = await query(mon?.prometheus ?? '', name)
        return r.length > 0 ? r : undefined
      })
      assert.ok(found.length > 0, name)
    }
    const running = await query(mon?.prometheus ?? '', 'persona:db_replication:running')
    assert.deepEqual(
      running.map((s) => [s.metric.host, s.value]),
      [['db-2', 1]],
      'the replica replicates; the master has nothing to replicate from',
    )
    log(`every target up ${Date.now() - started} ms after monitoring started`)
  })

  it('after a little traffic, every panel of every dashboard returns data', async () => {
    const t0 = Date.now()
    const d = new Agent()
    const base = stack?.urls.public ?? ''
    const mail = stack?.urls.mail ?? ''
    const email = freshEmail('panels')
    const pass = 'a password for the panels'
    try {
      await signUp(d, mail, email, pass, base)
      const { assertion } = await signIn(d, email, pass, base)
      await verifyOkay(d, assertion, email, base)
      const web = new WebClient(d, base)
      const bad = await web.post('authenticate_user', { email, pass: 'not the password', ephemeral: false })
      assert.equal(bad.status, 200)
      const failed = await web.verify('not.an.assertion', 'https://rp.example.test')
      assert.equal(failed.status, 200)
    } finally {
      await d.close()
    }
    const queries = DASHBOARDS.flatMap((db) =>
      db.panels.flatMap((p) => p.targets.map((t) => ({ panel: `${db.title} / ${p.title}`, expr: t.expr }))),
    )
    const withoutData = async (): Promise<string[]> => {
      const missing: string[] = []
      for (const q of queries) {
        const r = await query(mon?.prometheus ?? '', instantQuery(q.expr))
        if (!r.some((s) => Number.isFinite(s.value))) missing.push(`${q.panel}: ${q.expr}`)
      }
      return missing
    }
    // Prometheus scrapes every second here: the traffic is in within a few scrapes and evaluations.
    const empty = await until('every panel query returns data', 60_000, async () => {
      const missing = await withoutData()
      return missing.length === 0 ? missing : undefined
    }).catch(async (e: unknown) => {
      throw new Error(`${String(e)}\npanels without data:\n  ${(await withoutData()).join('\n  ')}`)
    })
    assert.deepEqual(empty, [])
    const signins = await query(
      mon?.prometheus ?? '',
      'sum by (result) (persona_auth_signins_total{cluster="dev",method="password"})',
    )
    assert.ok(
      signins.some((s) => s.metric.result === 'failed' && s.value >= 1),
      'the failed sign-in is counted',
    )
    log(
      `${queries.length} panel queries of ${DASHBOARDS.length} dashboards return data ${((Date.now() - t0) / 1000).toFixed(1)} s after the traffic started`,
    )
  })

  it('a drained cluster does not page: its alerts fire in Prometheus but Alertmanager holds them', async () => {
    const am = mon?.alertmanager ?? ''
    const t0 = Date.now()
    const id = await drainCluster(am, 'dev', { reason: 'live test' })
    assert.equal((await drainSilences(am, 'dev'))[0]?.id, id)
    await stack?.stopService('reader')
    await until('ProcessDown for the reader firing in Prometheus', 100_000, () =>
      firingAlert('ProcessDown', { service: 'reader', cluster: 'dev' }),
    )
    const held = await until('the reader alert held back (silenced) in Alertmanager', 20_000, async () =>
      (await alertmanagerAlerts(am)).find(
        (a) => a.labels.alertname === 'ProcessDown' && a.labels.service === 'reader',
      ),
    )
    assert.equal(held.state, 'suppressed')
    assert.deepEqual(held.silencedBy, [id])
    await stack?.startService('reader')
    await until('the reader alert resolved', 30_000, async () =>
      (await firingAlert('ProcessDown', { service: 'reader' })) === undefined ? true : undefined,
    )
    assert.equal(await liftDrain(am, 'dev'), 1)
    assert.equal((await drainSilences(am, 'dev')).length, 0)
    await new Promise((r) => setTimeout(r, 5000))
    assert.deepEqual(pages(t0), [], 'no page while drained, nor after the drain was lifted')
    log(`drain: reader down ${Math.round((Date.now() - t0) / 1000)} s in a drained cluster, 0 pages`)
  })
})
