// SPDX-License-Identifier: MPL-2.0
// The simulation's DNS, standing in for Route 53: PowerDNS (Debian's pdns-server with the bind
// backend) serving two zones from files. `persona.test`: the service name as a LUA `ifurlup` record
// over each cluster's load balancer, so it answers with the addresses of the clusters whose health
// check passes (a drained cluster's check fails, and it leaves the answer within a TTL). `persona
// .internal`: the master name (repointed on failover), each cluster's replica name, SMTP. Packet and
// query caches are off, so a changed zone or health state shows in the next answer.
import { execFile, spawn } from 'node:child_process'
import { Resolver } from 'node:dns/promises'
import { closeSync, existsSync, openSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import {
  HEALTH_INTERVAL_S,
  hostsOf,
  INTERNAL_ZONE,
  MASTER_NAME,
  MASTER_TTL_S,
  type Plan,
  replicaName,
  SERVICE_NAME,
  SERVICE_TTL_S,
  SMTP_NAME,
  VERIFIER_NAME,
} from './plan.ts'

const run = promisify(execFile)
export const PDNS_SERVER = '/usr/sbin/pdns_server'
const PUBLIC_ZONE = SERVICE_NAME.slice(SERVICE_NAME.indexOf('.') + 1)

export function havePowerDns(): boolean {
  return existsSync(PDNS_SERVER)
}

/** What the internal zone names: the master, and db hosts that must not be named (fenced). */
export interface InternalRecords {
  readonly master: string
  readonly fenced?: readonly string[]
}

function soa(zone: string, serial: number): string {
  return `$ORIGIN ${zone}.
$TTL ${SERVICE_TTL_S}
@ IN SOA ns.${zone}. hostmaster.${zone}. ${serial} 60 60 60 ${SERVICE_TTL_S}
@ IN NS ns.${zone}.
`
}

function relative(name: string, zone: string): string {
  return name.slice(0, name.length - zone.length - 1)
}

/** The public zone: the service name (and the verifier's) answered by health checks of the clusters. */
export function publicZone(plan: Plan, serial: number): string {
  const lbs = hostsOf(plan, 'lb').map((h) => `'${h.address}'`)
  // All healthy clusters in one answer (latency records would pick the nearest; here both are near).
  const lua = `"ifurlup('http://${SERVICE_NAME}/__lbheartbeat__', {{${lbs.join(', ')}}}, {selector='all', stringmatch='ok', timeout=2})"`
  return `${soa(PUBLIC_ZONE, serial)}ns IN A ${plan.gateway}
${relative(SERVICE_NAME, PUBLIC_ZONE)} ${SERVICE_TTL_S} IN LUA A ${lua}
${relative(VERIFIER_NAME, PUBLIC_ZONE)} ${SERVICE_TTL_S} IN LUA A ${lua}
`
}

export function internalZone(plan: Plan, rec: InternalRecords, serial: number): string {
  const lines = [
    `ns IN A ${plan.gateway}`,
    `${relative(MASTER_NAME, INTERNAL_ZONE)} ${MASTER_TTL_S} IN A ${rec.master}`,
  ]
  for (const c of plan.opts.clusters) {
    // The cluster's own replica, else (none left) the master: reads stay local when they can.
    const live = hostsOf(plan, 'db', c).filter((h) => !(rec.fenced ?? []).includes(h.address))
    const replica = live.find((h) => h.address !== rec.master) ?? { address: rec.master }
    if (replica !== undefined)
      lines.push(`${relative(replicaName(c), INTERNAL_ZONE)} ${MASTER_TTL_S} IN A ${replica.address}`)
  }
  const mail = hostsOf(plan, 'mail')[0]
  if (mail !== undefined) lines.push(`${relative(SMTP_NAME, INTERNAL_ZONE)} IN A ${mail.address}`)
  return `${soa(INTERNAL_ZONE, serial)}${lines.join('\n')}\n`
}

function conf(plan: Plan, dir: string): string {
  return `# PowerDNS for the Persona simulation (scripts/multi/dns.ts)
launch=bind
bind-config=${join(dir, 'named.conf')}
local-address=127.0.0.1:${plan.opts.dnsPort}, ${plan.gateway}:53
enable-lua-records=yes
lua-health-checks-interval=${HEALTH_INTERVAL_S}
lua-health-checks-expire-delay=3600
cache-ttl=0
query-cache-ttl=0
negquery-cache-ttl=0
socket-dir=${dir}
daemon=no
guardian=no
disable-syslog=yes
log-dns-queries=no
loglevel=4
`
}

export async function writeZones(plan: Plan, dir: string, rec: InternalRecords): Promise<void> {
  const serial = Math.floor(Date.now() / 1000)
  await writeFile(join(dir, `${PUBLIC_ZONE}.zone`), publicZone(plan, serial))
  await writeFile(join(dir, `${INTERNAL_ZONE}.zone`), internalZone(plan, rec, serial))
}

/** Writes the config and zones and starts pdns_server detached; returns its pid. */
export async function startDns(
  plan: Plan,
  dir: string,
  logFile: string,
  rec: InternalRecords,
): Promise<number> {
  await mkdir(dir, { recursive: true })
  await writeFile(
    join(dir, 'named.conf'),
    [PUBLIC_ZONE, INTERNAL_ZONE]
      .map((z) => `zone "${z}" { type master; file "${join(dir, `${z}.zone`)}"; };`)
      .join('\n'),
  )
  await writeZones(plan, dir, rec)
  await writeFile(join(dir, 'pdns.conf'), conf(plan, dir))
  const fd = openSync(logFile, 'a')
  try {
    const child = spawn(PDNS_SERVER, [`--config-dir=${dir}`], { detached: true, stdio: ['ignore', fd, fd] })
    if (child.pid === undefined) throw new Error('could not start pdns_server')
    child.unref()
    return child.pid
  } finally {
    closeSync(fd)
  }
}

/** Re-reads the internal zone (after the master name moved). */
export async function repointMaster(plan: Plan, dir: string, rec: InternalRecords): Promise<void> {
  await writeZones(plan, dir, rec)
  try {
    await run('pdns_control', [`--config-dir=${dir}`, 'bind-reload-now', INTERNAL_ZONE])
  } catch (e) {
    const err = e instanceof Error && 'stderr' in e ? String(e.stderr).trim() : String(e)
    throw new Error(`pdns_control bind-reload-now: ${err}`)
  }
}

/** A resolver asking the simulation's DNS on 127.0.0.1. */
export function resolverFor(plan: Plan): Resolver {
  const r = new Resolver({ timeout: 1000, tries: 2 })
  r.setServers([`127.0.0.1:${plan.opts.dnsPort}`])
  return r
}

/** Waits until the DNS server answers at all (its zones loaded); fails with its log when it exits. */
export async function waitDnsUp(plan: Plan, pid: number, logFile: string, timeoutMs = 15_000): Promise<void> {
  const r = resolverFor(plan)
  const until = Date.now() + timeoutMs
  for (;;) {
    const up = await r.resolveSoa(INTERNAL_ZONE).then(
      () => true,
      () => false,
    )
    if (up) return
    let alive = true
    try {
      process.kill(pid, 0)
    } catch {
      alive = false
    }
    if (!alive || Date.now() > until) {
      const log = await readFile(logFile, 'utf8').catch(() => '')
      throw new Error(
        `PowerDNS ${alive ? 'did not answer in time' : 'exited'}:\n  ${log.trimEnd().split('\n').slice(-8).join('\n  ')}`,
      )
    }
    await new Promise((res) => setTimeout(res, 100))
  }
}

/** Waits until the DNS answers `name` with exactly `want` (sorted), or fails at the deadline. */
export async function waitForAnswer(
  plan: Plan,
  name: string,
  want: readonly string[],
  timeoutMs: number,
): Promise<void> {
  const r = resolverFor(plan)
  const target = [...want].sort().join(',')
  const until = Date.now() + timeoutMs
  let last = ''
  for (;;) {
    try {
      last = (await r.resolve4(name)).sort().join(',')
    } catch (e) {
      last = e instanceof Error ? e.message : String(e)
    }
    if (last === target) return
    if (Date.now() > until) throw new Error(`DNS: ${name} answers ${last}, not ${target}`)
    await new Promise((res) => setTimeout(res, 200))
  }
}
