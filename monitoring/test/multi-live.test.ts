// SPDX-License-Identifier: MPL-2.0
// Live alerting on the two-cluster simulation (make multi) with the real Prometheus, Alertmanager and
// blackbox exporter: every process of both clusters is up and both clusters are in DNS; the deploy
// tool upgrades cluster b (drained, silenced, lifted after) while cluster a's writer is killed: the
// writer pages within 2 minutes naming cluster a and the process, cluster b pages nothing; then the
// writer is started again: its page resolves; then the master is killed: exactly one page. Intervals shortened for the test; the rules are as shipped.
// Needs root, iproute2, PowerDNS, nginx and MariaDB, like test/multi.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { freePort, freePorts } from '@persona/kit'
import { deploy } from '../../scripts/multi/deploy.ts'
import { freeOctet, teardown } from '../../scripts/multi/net.ts'
import { hostNamed, paths } from '../../scripts/multi/plan.ts'
import { stopProc } from '../../scripts/multi/procs.ts'
import { makeRelease } from '../../scripts/multi/releases.ts'
import {
  contextOf,
  down,
  missingForSimulation,
  planOf,
  type SimState,
  startHost,
  up,
} from '../../scripts/multi/sim.ts'
import { simTarget } from '../../scripts/multi/sim-target.ts'
import { startDetachedMonitoring } from '../src/launcher.ts'
import { monitoringDir, multiExporters, multiLayout } from '../src/multi.ts'
import { alertmanagerAlerts, query } from '../src/prometheus-api.ts'
import type { Notification } from '../src/receiver.ts'
import { drainSilences, liftSilence, silenceCluster } from '../src/silences.ts'

// The simulation is part of the test: without root, network namespaces, PowerDNS, nginx or MariaDB it
// fails, saying what is missing (scripts/deps.sh test installs the packages).
const CANNOT = missingForSimulation()
const prefix = `pm${randomBytes(2).toString('hex')}`
const log = (line: string) => process.stdout.write(`# monitoring multi: ${line}\n`)

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

describe('live alerting on two clusters (make multi)', { timeout: 600_000 }, () => {
  let dir = ''
  let state: SimState
  let urls: { prometheus: string; alertmanager: string; receiver: string }
  const notifications = async (): Promise<Notification[]> => {
    const res = await fetch(`${urls.receiver}/notifications`)
    return (await res.json()) as Notification[]
  }
  /** Starts a host's processes again (from the release its cluster runs), as after a crash. */
  const restartHost = async (name: string) => {
    const plan = planOf(state)
    const host = hostNamed(plan, name)
    const ctx = await contextOf(plan, state.runAs)
    const full = { ...ctx, tlsCa: await readFile(ctx.tls.caFile, 'utf8') }
    await startHost(full, state, host, state.releases[host.cluster ?? ''] ?? '')
  }
  const pages = async (since: number) =>
    (await notifications()).filter((n) => n.receiver === 'page' && n.at >= since && n.status === 'firing')

  before(async () => {
    assert.equal(CANNOT, undefined, `the two-cluster simulation cannot run here: ${CANNOT}`)
    dir = await mkdtemp(join(tmpdir(), 'persona-monitoring-multi-'))
    const started = await up(
      { dir, prefix, octet: await freeOctet(), dnsPort: await freePort(), bcryptRounds: 4 },
      () => {},
    )
    state = started.state
    const [prometheus = 0, alertmanager = 0, blackbox = 0] = await freePorts(3)
    const plan = planOf(state)
    urls = await startDetachedMonitoring({
      dir: monitoringDir(dir),
      layout: multiLayout(plan, state.master, join(paths(dir).tls, 'ca.pem')),
      exporters: await multiExporters(plan, state.master),
      ports: { prometheus, alertmanager, blackbox },
      fast: true,
    })
    // The release cluster b is upgraded to (the same code again), made while monitoring starts.
    await makeRelease(paths(dir).releases, 'v2')
  })
  after(async () => {
    if (dir !== '') await down(dir, () => {}).catch(() => {})
    await teardown(prefix)
    if (dir !== '') await rm(dir, { recursive: true, force: true })
  })

  it('sees every process of both clusters up, both clusters in DNS and the master up', async () => {
    const targets = await until('every target up', 60_000, async () => {
      const up = await query(urls.prometheus, 'persona:target:up')
      return up.length === 31 && up.every((s) => s.value === 1) ? up : undefined
    })
    assert.deepEqual([...new Set(targets.map((t) => t.metric.cluster))].sort(), ['a', 'b'])
    const dns = await until('both clusters in DNS', 30_000, async () => {
      const r = await query(urls.prometheus, 'persona:cluster:in_dns == 1')
      return r.length === 2 ? r : undefined
    })
    assert.equal(dns.length, 2)
    assert.equal((await query(urls.prometheus, 'persona:master:up'))[0]?.value, 1)
    log(`${targets.length} targets up in clusters a and b; both in DNS; master up`)
  })

  it("deploying cluster b pages nothing while cluster a's killed writer pages within 2 minutes and resolves once back; a killed master pages once", async () => {
    const am = urls.alertmanager
    const t0 = Date.now()
    const writerPid = state.pids['a-writer/writer']
    assert.ok(writerPid !== undefined)
    await stopProc(writerPid)
    let sawSilence = false
    let sawDrained = false
    const watchSilence = (async () => {
      while (!(sawSilence && sawDrained) && Date.now() - t0 < 60_000) {
        sawSilence ||= (await drainSilences(am, 'b')).length > 0
        sawDrained ||= (await query(urls.prometheus, 'persona:cluster:drained{cluster="b"} == 1')).length > 0
        await new Promise((r) => setTimeout(r, 250))
      }
    })()
    const reports = await deploy({ ...simTarget(state), clusters: ['b'] }, 'v2', {
      silencer: {
        silence: (c, reason) => silenceCluster(c, reason, am),
        lift: (id) => liftSilence(id, am),
      },
    })
    await watchSilence
    assert.equal(reports[0]?.outcome, 'upgraded')
    assert.ok(sawSilence, 'the deploy tool silenced cluster b while it was drained')
    assert.ok(sawDrained, 'Prometheus saw cluster b drained (its load balancer failing its health check)')
    assert.equal((await drainSilences(am, 'b')).length, 0, 'and lifted the silence after')
    const page = await until('a page for the writer of cluster a', 120_000, async () =>
      (await pages(t0)).find((n) =>
        n.alerts.some((a) => a.labels.alertname === 'ProcessDown' && a.labels.service === 'writer'),
      ),
    )
    const alert = page.alerts.find((a) => a.labels.service === 'writer')
    assert.equal(alert?.labels.cluster, 'a')
    assert.equal(alert?.labels.host, 'a-writer')
    assert.match(alert?.annotations.summary ?? '', /writer on a-writer in cluster a is down/)
    const writerPagedAfter = page.at - t0
    assert.ok(writerPagedAfter < 120_000)
    assert.deepEqual(
      (await pages(t0)).flatMap((n) => n.alerts.filter((a) => a.labels.cluster === 'b')),
      [],
      'no page for cluster b during or after its deploy',
    )

    // The writer back: its page resolves.
    const tBack = Date.now()
    await restartHost('a-writer')
    const resolved = await until('the writer page resolved', 90_000, async () =>
      (await notifications()).find(
        (n) =>
          n.receiver === 'page' &&
          n.at >= tBack &&
          n.alerts.some(
            (a) =>
              a.status === 'resolved' &&
              a.labels.alertname === 'ProcessDown' &&
              a.labels.service === 'writer',
          ),
      ),
    )
    const writerResolvedAfter = resolved.at - tBack

    const t1 = Date.now()
    const masterPid = state.pids[`${state.master}/mariadbd`]
    assert.ok(masterPid !== undefined)
    process.kill(masterPid, 'SIGKILL')
    const master = await until('a MasterDown page', 90_000, async () =>
      (await pages(t1)).find((n) => n.alerts.some((a) => a.labels.alertname === 'MasterDown')),
    )
    await until('the dead master process alert firing in Prometheus', 60_000, async () => {
      const r = await query(
        urls.prometheus,
        `ALERTS{alertname="ProcessDown",alertstate="firing",host="${state.master}"}`,
      )
      return r.length > 0 ? r : undefined
    })
    await new Promise((r) => setTimeout(r, 8000))
    const after = (await pages(t1)).flatMap((n) =>
      n.alerts.filter((a) => a.status === 'firing').map((a) => a.labels.alertname),
    )
    assert.deepEqual(after, ['MasterDown'], `pages after the master died: ${JSON.stringify(after)}`)
    const held = (await alertmanagerAlerts(am)).find(
      (a) => a.labels.alertname === 'ProcessDown' && a.labels.host === state.master,
    )
    assert.equal(held?.state, 'suppressed')
    const deployS = ((reports[0]?.ms.total ?? 0) / 1000).toFixed(1)
    log(
      `cluster b deployed in ${deployS} s under a drain silence, 0 pages for b; cluster a's writer paged after ${(writerPagedAfter / 1000).toFixed(1)} s, resolved ${(writerResolvedAfter / 1000).toFixed(1)} s after its restart; master killed: one page after ${((master.at - t1) / 1000).toFixed(1)} s`,
    )
  })
})
