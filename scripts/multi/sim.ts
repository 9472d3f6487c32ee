// SPDX-License-Identifier: MPL-2.0
// The two-cluster simulation: brings it up (network, DNS, databases, every host's processes, the load
// balancers), keeps what is running in `state.json` so the other commands (deploy, failover, down) can
// act on it from another process, and takes it all down again. See README "Operating Persona".
import { existsSync } from 'node:fs'
import { chmod, chown, copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { RUN_AS } from '@persona/deploy/parts'
import { isPortInUse } from '@persona/kit'
import { moveMasterProbe, startMultiMonitoring, stopMultiMonitoring } from '../../monitoring/src/multi.ts'
import { ROOT } from '../dev/web.ts'
import { pinnedAgent } from './client.ts'
import { dbTls, finishDbHosts, replicationPasswordOf, startDbHosts } from './db.ts'
import { havePowerDns, startDns, waitDnsUp, waitForAnswer } from './dns.ts'
import { hostProcesses, MAIL_HTTP_PORT, type SimContext } from './hosts.ts'
import { prepareSecretsStore, runInit } from './init.ts'
import { allowUnprivilegedPorts, canMakeNamespaces, createNetwork, teardown } from './net.ts'
import {
  type Host,
  hostsOf,
  initialMaster,
  type Plan,
  paths,
  planFor,
  SERVICE_NAME,
  type SimOptions,
} from './plan.ts'
import { alive, cannotRunAs, procKey, type RunAs, startProc, stopProc, waitReady } from './procs.ts'
import { describeVersion, makeRelease, releaseDir } from './releases.ts'
import { simFiles } from './site.ts'
import { ensureTls } from './tls.ts'

export interface SimState {
  readonly opts: SimOptions
  /** The db host that is the master now. */
  master: string
  /** Db hosts fenced by a failover: they never come back as master. */
  fenced: string[]
  /** The release each cluster runs. */
  releases: Record<string, string>
  /** Pid of every process, by `host/name`. */
  pids: Record<string, number>
  dnsPid: number
  /** The user the parts run as: the contract's, unless it cannot read the checkout (then root). */
  runAs?: RunAs
  readonly startedAt: string
}

export const DEFAULT_OPTIONS = {
  prefix: 'pmulti',
  octet: 200,
  dnsPort: 5353,
  clusters: ['a', 'b'],
  webheadsPerCluster: 2,
  bcryptRounds: 8,
} as const

export async function loadState(dir: string): Promise<SimState> {
  const file = paths(dir).state
  if (!existsSync(file)) throw new Error(`no simulation running from ${dir} (start one with make multi)`)
  return JSON.parse(await readFile(file, 'utf8')) as SimState
}

export async function saveState(state: SimState): Promise<void> {
  const file = paths(state.opts.dir).state
  await writeFile(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 })
  const { rename } = await import('node:fs/promises')
  await rename(`${file}.tmp`, file)
}

export const planOf = (state: SimState): Plan => planFor(state.opts)

/** The replication password (from the replicas' secrets), for failover. */
export const replicationPassword = (state: SimState): Promise<string> =>
  replicationPasswordOf(simFiles(planOf(state)))

/** What every host reads: the secrets store, the CA, nginx's certificate; the user parts run as. */
export async function contextOf(plan: Plan, runAs: RunAs | undefined): Promise<SimContext> {
  const p = paths(plan.opts.dir)
  const tls = await ensureTls(p.tls, [SERVICE_NAME, `verifier.${SERVICE_NAME}`])
  return { plan, files: simFiles(plan), tls, runAs }
}

/**
 * The contract's user, when it can run this Node and read the checkout and the state directory;
 * otherwise (a checkout in a private home directory) the parts run as this process, and `log` says so.
 */
function runAsFor(dir: string, log: (line: string) => void): RunAs | undefined {
  const why = cannotRunAs(RUN_AS, [
    join(ROOT, 'package.json'),
    join(ROOT, 'node_modules', 'typebox', 'package.json'),
    paths(dir).releases,
  ])
  if (why === undefined) return RUN_AS
  log(`parts run as root: uid ${RUN_AS.uid} cannot read the checkout (${why})`)
  return undefined
}

function readyDispatcher(ctx: SimContext & { tlsCa: string }, host: Host, name: string): unknown {
  if (host.kind === 'webhead' && name === 'nginx') return pinnedAgent(host.address, ctx.tlsCa)
  return undefined
}

/** Writes a host's config files and starts its processes from `release`; waits until each answers. */
export async function startHost(
  ctx: SimContext & { tlsCa: string },
  state: SimState,
  host: Host,
  version: string,
  timeoutMs = 90_000,
): Promise<void> {
  const p = paths(state.opts.dir)
  const release = releaseDir(p.releases, version)
  const { dirs, files, procs } = hostProcesses(ctx, host, release)
  await mkdir(join(p.run, host.name), { recursive: true })
  // The host's own directories and files belong to the user its parts run as; only it reads them.
  for (const d of dirs) {
    await mkdir(d, { recursive: true, mode: 0o700 })
    if (ctx.runAs !== undefined) await chown(d, ctx.runAs.uid, ctx.runAs.gid)
  }
  for (const f of files) {
    await mkdir(dirname(f.path), { recursive: true, mode: 0o700 })
    await rm(f.path, { force: true })
    if (f.from !== undefined) await copyFile(f.from, f.path)
    else await writeFile(f.path, f.text)
    await chmod(f.path, f.mode)
    if (ctx.runAs !== undefined && dirs.includes(dirname(f.path)))
      await chown(f.path, ctx.runAs.uid, ctx.runAs.gid)
  }
  const deadline = Date.now() + timeoutMs
  const started = procs.map((spec) => {
    const pid = startProc(spec, p.logs)
    state.pids[procKey(spec)] = pid
    return { spec, pid }
  })
  await Promise.all(
    started.map(({ spec, pid }) => {
      // The load balancer answers its own health check (what the DNS server asks) on port 80.
      const ready = host.kind === 'lb' ? { ...spec, ready: `http://${host.address}/__lbheartbeat__` } : spec
      return waitReady(ready, pid, p.logs, deadline, readyDispatcher(ctx, host, spec.name))
    }),
  )
}

/** Stops every process of a host (nginx first, so nothing new comes in while the services drain). */
export async function stopHost(state: SimState, host: Host): Promise<void> {
  const keys = Object.keys(state.pids).filter((k) => k.startsWith(`${host.name}/`))
  const nginx = keys.filter((k) => k.endsWith('/nginx'))
  const rest = keys.filter((k) => !k.endsWith('/nginx'))
  for (const group of [nginx, rest]) {
    await Promise.all(
      group.map(async (k) => {
        const pid = state.pids[k]
        if (pid !== undefined) await stopProc(pid)
        delete state.pids[k]
      }),
    )
  }
}

export function readyLine(state: SimState): string {
  const plan = planOf(state)
  const mail = hostsOf(plan, 'mail')[0]
  const lbs = state.opts.clusters.map((c) => `${c}=https://${hostsOf(plan, 'lb', c)[0]?.address}:443`)
  return `Persona (${state.opts.clusters.length} clusters) is ready: dns=127.0.0.1:${state.opts.dnsPort} name=${SERVICE_NAME} mail=http://${mail?.address}:${MAIL_HTTP_PORT} ${lbs.join(' ')}`
}

/** What stands in the way of running the simulation on this machine, if anything. */
export function missingForSimulation(): string | undefined {
  return (
    canMakeNamespaces() ??
    (havePowerDns() ? undefined : 'PowerDNS is not installed (scripts/deps.sh multi installs pdns-server)') ??
    (existsSync('/usr/sbin/nginx') ? undefined : 'nginx is not installed') ??
    (existsSync('/usr/sbin/mariadbd') ? undefined : 'mariadb-server is not installed')
  )
}

export interface UpResult {
  readonly state: SimState
  readonly ms: number
  readonly line: string
}

/** Starts the whole simulation (wiping an earlier one's databases and processes). */
export async function up(
  options: Partial<SimOptions> & { dir: string },
  log: (line: string) => void,
  /** Also start Prometheus, Alertmanager and the blackbox exporter (make multi; monitoring/src/multi.ts). */
  extra: { readonly monitoring?: boolean } = {},
): Promise<UpResult> {
  const t0 = performance.now()
  const missing = missingForSimulation()
  if (missing !== undefined) throw new Error(missing)
  const opts: SimOptions = { ...DEFAULT_OPTIONS, ...options }
  const plan = planFor(opts)
  const p = paths(opts.dir)
  // A simulation already running from this dir (its DNS server runs outside the namespaces) goes first.
  await down(opts.dir, log)
  // Anything else on the DNS port (a simulation run from another dir) is left alone: refuse.
  if (await isPortInUse(opts.dnsPort)) {
    throw new Error(
      `port ${opts.dnsPort} is in use on 127.0.0.1 (another simulation? make multi-down stops it)`,
    )
  }
  const killed = await teardown(opts.prefix)
  if (killed > 0) log(`removed a previous simulation's leftovers (${killed} processes)`)
  for (const d of [p.logs, p.run, p.data, p.dns]) await rm(d, { recursive: true, force: true })
  for (const d of [opts.dir, p.logs, p.run, p.data, p.releases])
    await mkdir(d, { recursive: true, mode: 0o700 })
  // The parts (the contract's user) read the releases and their host's run directory; the load
  // balancers' nginx workers (user nobody) the drain switches, and write their temp files under run/.
  for (const d of [opts.dir, p.run, p.releases]) await chmod(d, 0o755)
  const master = initialMaster(plan)
  const state: SimState = {
    opts,
    master: master.name,
    fenced: [],
    releases: {},
    pids: {},
    dnsPid: 0,
    startedAt: new Date().toISOString(),
  }
  try {
    await createNetwork(plan)
    // nginx binds 443 as the contract's user on a webhead (EC2: the same sysctl in its boot script).
    await Promise.all(hostsOf(plan, 'webhead').map((h) => allowUnprivilegedPorts(h.ns, 443)))
    const runAs = runAsFor(opts.dir, log)
    if (runAs !== undefined) state.runAs = runAs
    const cache = join(p.run, 'node-compile-cache')
    await mkdir(cache, { recursive: true })
    if (runAs !== undefined) await chown(cache, runAs.uid, runAs.gid)
    const [ctx, version] = await Promise.all([contextOf(plan, runAs), describeVersion()])
    const tlsCa = await readFile(ctx.tls.caFile, 'utf8')
    const full = { ...ctx, tlsCa }
    const release = releaseDir(p.releases, version)
    // The contract's init job: every secret, once, into the store every cluster reads (the store is
    // kept across runs of one state directory; the databases are made afresh with its passwords).
    await Promise.all([prepareSecretsStore(ctx.files, runAs), makeRelease(p.releases, version, { log })])
    await runInit(plan, ctx.files, release, 'secrets', runAs)
    state.dnsPid = await startDns(plan, p.dns, join(p.logs, 'dns.log'), { master: master.address })
    await saveState(state)
    await waitDnsUp(plan, state.dnsPid, join(p.logs, 'dns.log'))
    const db = await startDbHosts(plan, master, ctx.files, await dbTls(plan), log)
    await runInit(plan, ctx.files, release, 'db', runAs)
    await finishDbHosts(plan, master)
    for (const [h, pid] of Object.entries(db.pids)) state.pids[`${h}/mariadbd`] = pid
    for (const c of opts.clusters) state.releases[c] = version
    await saveState(state)
    log(`databases ready in ${db.ms} ms (init: accounts and schema); release ${version}`)
    const byKind = (k: Host['kind']) => plan.hosts.filter((h) => h.kind === k)
    for (const kinds of [['mail', 'certifier', 'dbwriter'], ['webhead'], ['lb']] as const) {
      const hosts = kinds.flatMap((k) => byKind(k))
      await Promise.all(hosts.map((h) => startHost(full, state, h, version)))
      await saveState(state)
      log(`${kinds.join(', ')} hosts ready`)
    }
    await waitForAnswer(
      plan,
      SERVICE_NAME,
      byKind('lb').map((h) => h.address),
      30_000,
    )
    if (extra.monitoring === true) {
      for (const line of await startMultiMonitoring(plan, state.master, ctx.tls.caFile)) log(line)
    }
    return { state, ms: Math.round(performance.now() - t0), line: readyLine(state) }
  } catch (e) {
    await down(opts.dir, log).catch(() => {})
    throw e
  }
}

/** Stops every process and removes the network. Idempotent; keeps logs, keys and releases. */
export async function down(dir: string, log: (line: string) => void): Promise<void> {
  await stopMultiMonitoring(dir)
  let state: SimState | undefined
  try {
    state = await loadState(dir)
  } catch {
    state = undefined
  }
  if (state !== undefined) {
    const plan = planOf(state)
    for (const kind of ['lb', 'webhead', 'dbwriter', 'certifier', 'mail', 'db'] as const) {
      await Promise.all(hostsOf(plan, kind).map((h) => stopHost(state, h)))
    }
    if (state.dnsPid > 0) await stopProcQuiet(state.dnsPid)
    const left = await teardown(state.opts.prefix)
    if (left > 0) log(`killed ${left} leftover processes`)
    await rm(paths(dir).state, { force: true })
  }
}

async function stopProcQuiet(pid: number): Promise<void> {
  if (alive(pid)) await stopProc(pid, 5000)
}

export { moveMasterProbe }
