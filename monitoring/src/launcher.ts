// SPDX-License-Identifier: MPL-2.0
// Starts monitoring for a running stack on this machine: Debian's prometheus, prometheus-alertmanager
// and prometheus-blackbox-exporter on loopback (Prometheus 127.0.0.1:9090 and Alertmanager :9093 by
// default, PROMETHEUS_PORT / ALERTMANAGER_PORT / BLACKBOX_PORT move them), with configs rendered from
// the layout into `dir`, a prometheus-mysqld-exporter beside each database of the layout (its password
// in a my.cnf of mode 0600, the only form that exporter reads), and the recording webhook receiver
// (receiver.ts) unless real receivers are given. `MONITOR=1 make dev` and `make multi` call it; the
// live tests call it with fast intervals.
import { spawn } from 'node:child_process'
import { closeSync, existsSync, openSync } from 'node:fs'
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort, MONITORING_SPECS } from '@persona/kit'
import { MONITOR_ACCOUNT } from '@persona/store/bootstrap'
import { type ManagedProcess, ProcessSet } from '../../scripts/dev/processes.ts'
import { alive } from '../../scripts/multi/procs.ts'
import { type Receivers, renderAlertmanagerConfig } from './alertmanager-config.ts'
import { masterTargetsJson, renderBlackboxConfig, renderPrometheusConfig } from './prometheus-config.ts'
import { type Receiver, startReceiver } from './receiver.ts'
import { renderRules } from './rules.ts'
import { checkLayout, exporterTargets, type Layout, masterTarget } from './targets.ts'

export const DEFAULT_MONITOR_PORTS = {
  prometheus: MONITORING_SPECS.prometheus.port,
  alertmanager: MONITORING_SPECS.alertmanager.port,
  blackbox: MONITORING_SPECS['blackbox-exporter'].port,
} as const

/** The Debian commands, with the package that installs each (scripts/deps.sh installs them). */
export const MONITOR_BINARIES = {
  prometheus: { bin: '/usr/bin/prometheus', pkg: 'prometheus' },
  alertmanager: { bin: '/usr/bin/prometheus-alertmanager', pkg: 'prometheus-alertmanager' },
  blackbox: { bin: '/usr/bin/prometheus-blackbox-exporter', pkg: 'prometheus-blackbox-exporter' },
  mysqld: { bin: '/usr/bin/prometheus-mysqld-exporter', pkg: 'prometheus-mysqld-exporter' },
} as const

export function haveMonitoring(): boolean {
  return Object.values(MONITOR_BINARIES).every((b) => existsSync(b.bin))
}

/** The mysqld exporters: the monitoring account's password, and where each runs. */
export interface ExporterSetup {
  /** persona_monitor's password (topology secret dbMonitorPassword; the store's bootstrap made the account). */
  readonly password: string
  /** The command that runs `argv` on a database host (make multi: inside its network namespace). */
  readonly onHost?: (cluster: string, host: string, argv: readonly string[]) => string[]
}

export interface MonitorOptions {
  readonly dir: string
  readonly layout: Layout
  /** Start a mysqld exporter beside each database of the layout (its scrape job is always there). */
  readonly exporters?: ExporterSetup
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

type MonitorPorts = Record<keyof typeof DEFAULT_MONITOR_PORTS, number>
type Command = { readonly bin: string; readonly args: readonly string[] }

const receiverUrls = (base: string): Receivers => ({
  page: `${base}/page`,
  ticket: `${base}/ticket`,
  heartbeat: `${base}/heartbeat`,
})

function urlsOf(host: string, ports: MonitorPorts) {
  return {
    prometheus: `http://${host}:${ports.prometheus}`,
    alertmanager: `http://${host}:${ports.alertmanager}`,
    blackbox: `http://${host}:${ports.blackbox}`,
  }
}

function readyUrl(name: keyof MonitorPorts, host: string, ports: MonitorPorts): string {
  const base = urlsOf(host, ports)[name]
  return name === 'blackbox' ? `${base}/metrics` : `${base}/-/ready`
}

/** Each exporter's name, command and the URL that answers once it is up. */
async function exporterCommands(
  o: MonitorOptions,
): Promise<{ name: string; command: Command; ready: string }[]> {
  if (o.exporters === undefined) return []
  const setup = o.exporters
  const dir = join(o.dir, 'mysqld-exporter')
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const out: { name: string; command: Command; ready: string }[] = []
  for (const t of exporterTargets(o.layout)) {
    const name = `mysqld-exporter-${t.labels.cluster}-${t.labels.host}`
    const [dbHost, dbPort] = t.db.split(':')
    const cnf = join(dir, `${t.labels.cluster}-${t.labels.host}.my.cnf`)
    await writeFile(
      cnf,
      `[client]\nuser=${MONITOR_ACCOUNT}\npassword=${setup.password}\nhost=${dbHost}\nport=${dbPort}\n`,
      { mode: 0o600 },
    )
    const argv = [
      MONITOR_BINARIES.mysqld.bin,
      `--config.my-cnf=${cnf}`,
      `--web.listen-address=${t.address}`,
      // The master's binary logs; replication status and server status are collected by default.
      '--collect.binlog_size',
      '--log.level=warn',
    ]
    const [bin = '', ...args] = setup.onHost?.(t.labels.cluster, t.labels.host, argv) ?? argv
    out.push({ name, command: { bin, args }, ready: `http://${t.address}/metrics` })
  }
  return out
}

/** Renders every config file into `o.dir`; returns the command line of each of the three. */
async function writeConfigs(
  o: MonitorOptions,
  host: string,
  ports: MonitorPorts,
  receivers: Receivers,
): Promise<Record<'alertmanager' | 'blackbox' | 'prometheus', Command>> {
  const addr = (p: number) => `${host}:${p}`
  await mkdir(join(o.dir, 'prometheus-data'), { recursive: true })
  await mkdir(join(o.dir, 'alertmanager-data'), { recursive: true })
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
    renderAlertmanagerConfig({ receivers, ...(o.fast ? { groupWait: '1s', groupInterval: '2s' } : {}) }),
  )
  await writeFile(files.blackbox, renderBlackboxConfig(o.layout))
  return {
    alertmanager: {
      bin: MONITOR_BINARIES.alertmanager.bin,
      args: [
        `--config.file=${files.alertmanager}`,
        `--storage.path=${join(o.dir, 'alertmanager-data')}`,
        `--web.listen-address=${addr(ports.alertmanager)}`,
        // A single Alertmanager: no gossip port (it would take :9094 on every interface).
        '--cluster.listen-address=',
        '--log.level=warn',
      ],
    },
    blackbox: {
      bin: MONITOR_BINARIES.blackbox.bin,
      args: [
        `--config.file=${files.blackbox}`,
        `--web.listen-address=${addr(ports.blackbox)}`,
        '--log.level=warn',
      ],
    },
    prometheus: {
      bin: MONITOR_BINARIES.prometheus.bin,
      args: [
        `--config.file=${files.prometheus}`,
        `--storage.tsdb.path=${join(o.dir, 'prometheus-data')}`,
        `--web.listen-address=${addr(ports.prometheus)}`,
        '--storage.tsdb.retention.time=3d',
        '--web.enable-lifecycle',
        '--log.level=warn',
        // Resend firing alerts soon in tests (an alert sent before Alertmanager was discovered is dropped).
        ...(o.fast ? ['--rules.alert.resend-delay=2s'] : []),
      ],
    },
  }
}

export async function startMonitoring(o: MonitorOptions): Promise<Monitoring> {
  checkLayout(o.layout)
  const missing = Object.values(MONITOR_BINARIES).filter((b) => !existsSync(b.bin))
  if (missing.length > 0) {
    throw new Error(
      `monitoring needs Debian's ${missing.map((b) => b.pkg).join(', ')} (MONITOR=1 make deps, or scripts/deps.sh test, installs them)`,
    )
  }
  const host = o.host ?? '127.0.0.1'
  const ports = { ...DEFAULT_MONITOR_PORTS, ...o.ports }
  const receiver = o.receivers === undefined ? await startReceiver(0, host) : undefined
  const receivers: Receivers = o.receivers ?? receiverUrls(receiver?.url ?? '')
  const commands = await writeConfigs(o, host, ports, receivers)
  const exporters = await exporterCommands(o)
  const procs = new ProcessSet({ logDir: join(o.dir, 'logs'), echo: o.echo === true })
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' }
  const stop = async () => {
    await procs.stopAll([['prometheus'], ['alertmanager', 'blackbox', ...exporters.map((e) => e.name)]])
    await receiver?.close()
  }
  try {
    for (const [name, c] of Object.entries(commands)) procs.start(name, c.bin, c.args, { env })
    for (const e of exporters) procs.start(e.name, e.command.bin, e.command.args, { env })
    const deadline = Date.now() + (o.readyTimeoutMs ?? 60_000)
    await Promise.all([
      ...(['alertmanager', 'blackbox', 'prometheus'] as const).map((n) =>
        waitReady(readyUrl(n, host, ports), procs.get(n), deadline),
      ),
      ...exporters.map((e) => waitReady(e.ready, procs.get(e.name), deadline)),
    ])
  } catch (e) {
    await stop()
    throw e
  }
  return {
    ...urlsOf(host, ports),
    ...(receiver === undefined ? {} : { receiver }),
    dir: o.dir,
    process: (name) => procs.get(name),
    stop,
  }
}

const RECEIVER_SCRIPT = fileURLToPath(new URL('./receiver.ts', import.meta.url))

/** Starts `bin` in its own process group, output to `<dir>/logs/<name>.log`, outliving this process. */
function spawnDetached(dir: string, name: string, c: Command, env: Record<string, string>): number {
  const fd = openSync(join(dir, 'logs', `${name}.log`), 'a')
  try {
    const child = spawn(c.bin, [...c.args], { env, detached: true, stdio: ['ignore', fd, fd] })
    if (child.pid === undefined) throw new Error(`could not start ${c.bin}`)
    child.unref()
    return child.pid
  } finally {
    closeSync(fd)
  }
}

/**
 * `make multi`: the same three (and the recording receiver) as processes that outlive the command
 * that started them; their pids in `<dir>/pids.json` for stopDetachedMonitoring. Resolves once ready.
 */
export async function startDetachedMonitoring(
  o: MonitorOptions,
): Promise<{ prometheus: string; alertmanager: string; blackbox: string; receiver: string }> {
  checkLayout(o.layout)
  await stopDetachedMonitoring(o.dir)
  const host = o.host ?? '127.0.0.1'
  const ports = { ...DEFAULT_MONITOR_PORTS, ...o.ports }
  await mkdir(join(o.dir, 'logs'), { recursive: true })
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' }
  const receiverPort = await freePort(host)
  const receiver = `http://${host}:${receiverPort}`
  const commands = await writeConfigs(o, host, ports, o.receivers ?? receiverUrls(receiver))
  const exporters = await exporterCommands(o)
  const pids: Record<string, number> = {}
  if (o.receivers === undefined) {
    pids.receiver = spawnDetached(
      o.dir,
      'receiver',
      { bin: process.execPath, args: [RECEIVER_SCRIPT] },
      {
        ...env,
        RECEIVER_PORT: String(receiverPort),
      },
    )
  }
  for (const [name, c] of Object.entries(commands)) pids[name] = spawnDetached(o.dir, name, c, env)
  for (const e of exporters) pids[e.name] = spawnDetached(o.dir, e.name, e.command, env)
  await writeFile(join(o.dir, 'pids.json'), `${JSON.stringify(pids)}\n`)
  const deadline = Date.now() + (o.readyTimeoutMs ?? 60_000)
  const ready: [string, string][] = [
    ...(['alertmanager', 'blackbox', 'prometheus'] as const).map((n): [string, string] => [
      n,
      readyUrl(n, host, ports),
    ]),
    ...exporters.map((e): [string, string] => [e.name, e.ready]),
  ]
  for (const [n, url] of ready) {
    for (;;) {
      const pid = pids[n]
      if (pid === undefined || !alive(pid))
        throw new Error(`${n} exited; see ${join(o.dir, 'logs', `${n}.log`)}`)
      const ok = await fetch(url, { signal: AbortSignal.timeout(2000) }).then(
        (r) => r.ok,
        () => false,
      )
      if (ok) break
      if (Date.now() > deadline)
        throw new Error(`${n} not ready in time; see ${join(o.dir, 'logs', `${n}.log`)}`)
      await new Promise((r) => setTimeout(r, 200))
    }
  }
  return { ...urlsOf(host, ports), receiver }
}

/** Stops what startDetachedMonitoring started from `dir` (no-op when nothing runs). */
export async function stopDetachedMonitoring(dir: string): Promise<void> {
  const file = join(dir, 'pids.json')
  let pids: Record<string, unknown> = {}
  try {
    pids = JSON.parse(await readFile(file, 'utf8'))
  } catch {
    return
  }
  await Promise.all(
    Object.values(pids).map(async (pid) => {
      if (typeof pid !== 'number' || !alive(pid)) return
      process.kill(-pid, 'SIGTERM')
      const until = Date.now() + 10_000
      while (alive(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 50))
      if (alive(pid)) process.kill(-pid, 'SIGKILL')
    }),
  )
  await rm(file, { force: true })
}
