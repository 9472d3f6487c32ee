// SPDX-License-Identifier: MPL-2.0
// Starts monitoring for a running stack on this machine: Debian's prometheus, prometheus-alertmanager
// and prometheus-blackbox-exporter on loopback (Prometheus 127.0.0.1:9090 and Alertmanager :9093 by
// default, PROMETHEUS_PORT / ALERTMANAGER_PORT / BLACKBOX_PORT move them), with configs rendered from
// the layout into `dir`, and the recording webhook receiver (receiver.ts) unless real receivers are
// given. `MONITOR=1 make dev` and `make multi` call it; the live tests call it with fast intervals.
import { existsSync } from 'node:fs'
import { mkdir, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { type ManagedProcess, ProcessSet } from '../../scripts/dev/processes.ts'
import { type Receivers, renderAlertmanagerConfig } from './alertmanager-config.ts'
import { masterTargetsJson, renderBlackboxConfig, renderPrometheusConfig } from './prometheus-config.ts'
import { type Receiver, startReceiver } from './receiver.ts'
import { renderRules } from './rules.ts'
import { checkLayout, type Layout, masterTarget } from './targets.ts'

export const DEFAULT_MONITOR_PORTS = { prometheus: 9090, alertmanager: 9093, blackbox: 9115 } as const

/** The Debian commands, with the package that installs each (scripts/deps.sh installs them). */
export const MONITOR_BINARIES = {
  prometheus: { bin: '/usr/bin/prometheus', pkg: 'prometheus' },
  alertmanager: { bin: '/usr/bin/prometheus-alertmanager', pkg: 'prometheus-alertmanager' },
  blackbox: { bin: '/usr/bin/prometheus-blackbox-exporter', pkg: 'prometheus-blackbox-exporter' },
} as const

export function haveMonitoring(): boolean {
  return Object.values(MONITOR_BINARIES).every((b) => existsSync(b.bin))
}

export interface MonitorOptions {
  readonly dir: string
  readonly layout: Layout
  readonly host?: string
  readonly ports?: Partial<Record<keyof typeof DEFAULT_MONITOR_PORTS, number>>
  /** Real receivers (webhook URLs); default: start the recording receiver. */
  readonly receivers?: Receivers
  /** Short scrape/evaluation and grouping intervals for tests (the rules' `for` stay as shipped). */
  readonly fast?: boolean
  /** Print each process's output with a name prefix. */
  readonly echo?: boolean
  readonly readyTimeoutMs?: number
}

export interface Monitoring {
  readonly prometheus: string
  readonly alertmanager: string
  readonly blackbox: string
  /** The recording receiver, when no real receivers were given. */
  readonly receiver?: Receiver
  readonly dir: string
  /** Stops one of the three (tests). */
  process(name: 'prometheus' | 'alertmanager' | 'blackbox'): ManagedProcess | undefined
  stop(): Promise<void>
}

/** The file naming the master the probe checks, in a monitoring dir (failover rewrites it). */
export function masterTargetsFile(dir: string): string {
  return join(dir, 'master-target.json')
}

/**
 * Points the master probe at `address` (host:port): failover calls this after promoting a replica.
 * Prometheus rereads the file within 30 s.
 */
export async function writeMasterTarget(dir: string, address: string): Promise<void> {
  await writeFile(`${masterTargetsFile(dir)}.tmp`, masterTargetsJson(address))
  await rename(`${masterTargetsFile(dir)}.tmp`, masterTargetsFile(dir))
}

async function waitReady(url: string, proc: ManagedProcess | undefined, deadline: number): Promise<void> {
  let last = ''
  for (;;) {
    if (proc !== undefined && !proc.running()) {
      throw new Error(`${proc.name} exited before it was ready:\n  ${proc.tail(15).join('\n  ')}`)
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) })
      await res.arrayBuffer()
      if (res.ok) return
      last = `HTTP ${res.status}`
    } catch (e) {
      last = e instanceof Error ? e.message : String(e)
    }
    if (Date.now() > deadline) throw new Error(`${url} not ready in time (${last})`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

export async function startMonitoring(o: MonitorOptions): Promise<Monitoring> {
  checkLayout(o.layout)
  const missing = Object.values(MONITOR_BINARIES).filter((b) => !existsSync(b.bin))
  if (missing.length > 0) {
    throw new Error(
      `monitoring needs Debian's ${missing.map((b) => b.pkg).join(', ')} (scripts/deps.sh monitor installs them)`,
    )
  }
  const host = o.host ?? '127.0.0.1'
  const ports = { ...DEFAULT_MONITOR_PORTS, ...o.ports }
  const addr = (p: number) => `${host}:${p}`
  await mkdir(join(o.dir, 'prometheus-data'), { recursive: true })
  await mkdir(join(o.dir, 'alertmanager-data'), { recursive: true })
  const receiver = o.receivers === undefined ? await startReceiver(0, host) : undefined
  const receivers: Receivers = o.receivers ?? {
    page: `${receiver?.url}/page`,
    ticket: `${receiver?.url}/ticket`,
    heartbeat: `${receiver?.url}/heartbeat`,
  }
  const files = {
    prometheus: join(o.dir, 'prometheus.yml'),
    rules: join(o.dir, 'persona.rules.yml'),
    alertmanager: join(o.dir, 'alertmanager.yml'),
    blackbox: join(o.dir, 'blackbox.yml'),
    master: masterTargetsFile(o.dir),
  }
  const master = masterTarget(o.layout)
  await writeFile(files.master, master === undefined ? '[]\n' : masterTargetsJson(master))
  await writeFile(files.rules, renderRules())
  await writeFile(
    files.prometheus,
    renderPrometheusConfig({
      layout: o.layout,
      alertmanagers: [addr(ports.alertmanager)],
      blackbox: addr(ports.blackbox),
      ruleFiles: [files.rules],
      self: addr(ports.prometheus),
      masterTargetsFile: files.master,
      ...(o.fast ? { scrapeInterval: '1s', evaluationInterval: '1s' } : {}),
    }),
  )
  await writeFile(
    files.alertmanager,
    renderAlertmanagerConfig({
      receivers,
      ...(o.fast ? { groupWait: '1s', groupInterval: '2s' } : {}),
    }),
  )
  await writeFile(files.blackbox, renderBlackboxConfig(o.layout))

  const procs = new ProcessSet({ logDir: join(o.dir, 'logs'), echo: o.echo === true })
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' }
  const stop = async () => {
    await procs.stopAll([['prometheus'], ['alertmanager', 'blackbox']])
    await receiver?.close()
  }
  try {
    procs.start(
      'alertmanager',
      MONITOR_BINARIES.alertmanager.bin,
      [
        `--config.file=${files.alertmanager}`,
        `--storage.path=${join(o.dir, 'alertmanager-data')}`,
        `--web.listen-address=${addr(ports.alertmanager)}`,
        // A single Alertmanager: no gossip port (it would take :9094 on every interface).
        '--cluster.listen-address=',
        '--log.level=warn',
      ],
      { env },
    )
    procs.start(
      'blackbox',
      MONITOR_BINARIES.blackbox.bin,
      [`--config.file=${files.blackbox}`, `--web.listen-address=${addr(ports.blackbox)}`, '--log.level=warn'],
      { env },
    )
    procs.start(
      'prometheus',
      MONITOR_BINARIES.prometheus.bin,
      [
        `--config.file=${files.prometheus}`,
        `--storage.tsdb.path=${join(o.dir, 'prometheus-data')}`,
        `--web.listen-address=${addr(ports.prometheus)}`,
        '--storage.tsdb.retention.time=3d',
        '--web.enable-lifecycle',
        '--log.level=warn',
        // Resend firing alerts soon in tests (an alert sent before Alertmanager was discovered is dropped).
        ...(o.fast ? ['--rules.alert.resend-delay=2s'] : []),
      ],
      { env },
    )
    const deadline = Date.now() + (o.readyTimeoutMs ?? 60_000)
    await Promise.all([
      waitReady(`http://${addr(ports.alertmanager)}/-/ready`, procs.get('alertmanager'), deadline),
      waitReady(`http://${addr(ports.blackbox)}/metrics`, procs.get('blackbox'), deadline),
      waitReady(`http://${addr(ports.prometheus)}/-/ready`, procs.get('prometheus'), deadline),
    ])
  } catch (e) {
    await stop()
    throw e
  }
  return {
    prometheus: `http://${addr(ports.prometheus)}`,
    alertmanager: `http://${addr(ports.alertmanager)}`,
    blackbox: `http://${addr(ports.blackbox)}`,
    ...(receiver === undefined ? {} : { receiver }),
    dir: o.dir,
    process: (name) => procs.get(name),
    stop,
  }
}
