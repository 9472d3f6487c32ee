// SPDX-License-Identifier: MPL-2.0
// Hosts with their own addresses: one Linux network namespace per host, joined to one bridge in the
// machine's own namespace by a veth pair, so every host is reachable from the machine (and the machine
// from every host, at the gateway address where the DNS server answers). Each namespace gets its own
// resolv.conf (ip netns exec bind-mounts /etc/netns/NAME/resolv.conf) naming the simulation's DNS.
// Everything is named with the simulation's prefix, so `teardown` finds and removes all of it, also
// after a crash, and never touches anything else.
import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { Plan } from './plan.ts'
import { alive } from './procs.ts'

const run = promisify(execFile)

async function ip(...args: string[]): Promise<string> {
  try {
    const { stdout } = await run('ip', args, { maxBuffer: 4 * 1024 * 1024 })
    return stdout
  } catch (e) {
    const err = e instanceof Error && 'stderr' in e ? String(e.stderr).trim() : String(e)
    throw new Error(`ip ${args.join(' ')}: ${err}`)
  }
}

export const bridgeOf = (prefix: string): string => `${prefix}br`
const netnsEtc = (ns: string): string => join('/etc/netns', ns)

/** Bridged frames pass iptables' FORWARD chain where br_netfilter is on (Docker sets it to DROP). */
function bridgeFilterActive(): boolean {
  try {
    return readFileSync('/proc/sys/net/bridge/bridge-nf-call-iptables', 'utf8').trim() === '1'
  } catch {
    return false
  }
}

async function iptables(action: '-I' | '-D', bridge: string): Promise<void> {
  if (!existsSync('/usr/sbin/iptables') && !existsSync('/sbin/iptables')) return
  if (action === '-I' && !bridgeFilterActive()) return
  try {
    await run('iptables', [action, 'FORWARD', '-i', bridge, '-o', bridge, '-j', 'ACCEPT'])
  } catch (e) {
    if (action === '-I') throw new Error(`iptables: could not allow traffic on ${bridge}: ${String(e)}`)
  }
}

/** Whether this machine can make namespaces (root with CAP_NET_ADMIN and iproute2). */
export function canMakeNamespaces(): string | undefined {
  if (process.getuid?.() !== 0) return 'network namespaces need root'
  if (!existsSync('/usr/sbin/ip') && !existsSync('/sbin/ip') && !existsSync('/bin/ip'))
    return 'iproute2 (ip) is not installed'
  return undefined
}

/** Creates the bridge and every host's namespace, link, address and resolver. */
export async function createNetwork(plan: Plan): Promise<void> {
  const br = bridgeOf(plan.opts.prefix)
  await ip('link', 'add', br, 'type', 'bridge')
  await ip('addr', 'add', `${plan.gateway}/16`, 'dev', br)
  await ip('link', 'set', br, 'up')
  await iptables('-I', br)
  for (const h of plan.hosts) {
    await ip('netns', 'add', h.ns)
    await ip('link', 'add', h.veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', h.ns)
    await ip('link', 'set', h.veth, 'master', br)
    await ip('link', 'set', h.veth, 'up')
    await ip('-n', h.ns, 'addr', 'add', `${h.address}/16`, 'dev', 'eth0')
    await ip('-n', h.ns, 'link', 'set', 'eth0', 'up')
    await ip('-n', h.ns, 'link', 'set', 'lo', 'up')
    await ip('-n', h.ns, 'route', 'add', 'default', 'via', plan.gateway)
    await mkdir(netnsEtc(h.ns), { recursive: true })
    await writeFile(
      join(netnsEtc(h.ns), 'resolv.conf'),
      `# the Persona simulation's DNS (scripts/multi)\nnameserver ${plan.gateway}\noptions timeout:1 attempts:3\n`,
    )
  }
}

/** Lets unprivileged users bind ports from `port` up in namespace `ns` (a per-namespace sysctl). */
export async function allowUnprivilegedPorts(ns: string, port: number): Promise<void> {
  try {
    await run('ip', [
      'netns',
      'exec',
      ns,
      'sh',
      '-c',
      `echo ${port} > /proc/sys/net/ipv4/ip_unprivileged_port_start`,
    ])
  } catch (e) {
    throw new Error(`${ns}: could not set ip_unprivileged_port_start: ${String(e)}`)
  }
}

/** The command prefix that runs a program inside a host's namespace. */
export function inNamespace(ns: string, argv: readonly string[]): string[] {
  return ['ip', 'netns', 'exec', ns, ...argv]
}

/** Namespaces whose name starts with `${prefix}-`. */
export async function namespacesOf(prefix: string): Promise<string[]> {
  const out = await ip('netns', 'list')
  return out
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter((n) => n.startsWith(`${prefix}-`))
}

export async function pidsIn(ns: string): Promise<number[]> {
  try {
    const out = await ip('netns', 'pids', ns)
    return out
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map(Number)
  } catch {
    return []
  }
}

/**
 * Removes everything named with `prefix`: kills every process left in its namespaces (SIGTERM, then
 * SIGKILL after `graceMs`), deletes the namespaces, their resolv.conf, the bridge and its iptables rule.
 * Idempotent; returns how many processes it had to kill.
 */
export async function teardown(prefix: string, graceMs = 5000): Promise<number> {
  const nss = await namespacesOf(prefix)
  let killed = 0
  const all: number[] = []
  for (const ns of nss) all.push(...(await pidsIn(ns)))
  for (const p of all) {
    try {
      process.kill(p, 'SIGTERM')
      killed++
    } catch {
      // gone
    }
  }
  const until = Date.now() + graceMs
  while (all.some(alive) && Date.now() < until) await new Promise((r) => setTimeout(r, 100))
  for (const p of all.filter(alive)) {
    try {
      process.kill(p, 'SIGKILL')
    } catch {
      // gone
    }
  }
  for (const ns of nss) {
    await ip('netns', 'del', ns).catch(() => {})
    await rm(netnsEtc(ns), { recursive: true, force: true })
  }
  const br = bridgeOf(prefix)
  const links = await ip('-o', 'link', 'show').catch(() => '')
  if (links.includes(` ${br}:`)) {
    await iptables('-D', br)
    await ip('link', 'del', br).catch(() => {})
  }
  return killed
}

/** A second octet N for 10.N.0.0/16 that no route of this machine uses (from 200 up). */
export async function freeOctet(preferred?: number): Promise<number> {
  const routes = await ip('-4', 'route', 'show', 'table', 'all')
  const used = (n: number) => routes.includes(`10.${n}.`)
  if (preferred !== undefined) {
    if (used(preferred)) throw new Error(`10.${preferred}.0.0/16 is already routed on this machine`)
    return preferred
  }
  const start = 200 + Math.floor(Math.random() * 40)
  for (let i = 0; i < 50; i++) {
    const n = 200 + ((start - 200 + i) % 50)
    if (!used(n)) return n
  }
  throw new Error('no free 10.N.0.0/16 between 10.200 and 10.249')
}
