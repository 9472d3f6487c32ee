// SPDX-License-Identifier: MPL-2.0
// Monitoring for `make multi`: the simulation's plan (scripts/multi/plan.ts) as a monitoring layout
// (every host of both clusters, nginx over TLS as the load balancer asks it, the current master, the
// DNS server and the address it gives for each cluster), started detached beside the simulation in
// <dir>/monitoring and stopped by `make multi-down`; a mysqld exporter runs inside each db host's
// namespace, beside its MariaDB. Failover moves the master probe.
import { join } from 'node:path'
import type { HostClass } from '@persona/kit'
import { socketOf } from '../../scripts/multi/db.ts'
import { inNamespace } from '../../scripts/multi/net.ts'
import { hostsOf, type Plan, SERVICE_NAME } from '../../scripts/multi/plan.ts'
import { ensureMonitorAccount } from './accounts.ts'
import { monitorPorts } from './dev.ts'
import {
  type ExporterSetup,
  haveMonitoring,
  startDetachedMonitoring,
  stopDetachedMonitoring,
  writeMasterTarget,
} from './launcher.ts'
import type { HostLayout, Layout } from './targets.ts'

const DB_PORT = 3306

export const monitoringDir = (simDir: string): string => join(simDir, 'monitoring')

/** The layout of a running simulation: `master` is the db host that is the master now. */
export function multiLayout(plan: Plan, master: string, caFile: string): Layout {
  const masterHost = plan.hosts.find((h) => h.name === master)
  return {
    clusters: plan.opts.clusters.map((c) => ({
      name: c,
      publicAddress: hostsOf(plan, 'lb', c)[0]?.address ?? '',
      loadBalancer: hostsOf(plan, 'lb', c)[0]?.address ?? '',
      hosts: plan.hosts
        .filter((h) => h.cluster === c && h.kind !== 'lb' && h.kind !== 'mail')
        .map(
          (h): HostLayout => ({
            name: h.name,
            hostClass: h.kind as HostClass,
            address: h.address,
            ...(h.kind === 'db' ? { dbRole: h.name === master ? 'master' : 'replica' } : {}),
          }),
        ),
    })),
    ...(masterHost === undefined ? {} : { master: { address: masterHost.address, port: DB_PORT } }),
    dns: { server: `127.0.0.1:${plan.opts.dnsPort}`, name: SERVICE_NAME },
    nginxTls: { serverName: SERVICE_NAME, caFile },
  }
}

/** The exporters of a running simulation: the account made on `master`, each run in its host's namespace. */
export async function multiExporters(plan: Plan, master: string): Promise<ExporterSetup> {
  const masterHost = plan.hosts.find((h) => h.name === master)
  if (masterHost === undefined) throw new Error(`no db host ${master}`)
  const password = await ensureMonitorAccount(monitoringDir(plan.opts.dir), socketOf(plan, masterHost))
  return {
    password,
    onHost: (_cluster, host, argv) => {
      const ns = plan.hosts.find((h) => h.name === host)?.ns
      if (ns === undefined) throw new Error(`no host ${host} in the simulation`)
      return inNamespace(ns, argv)
    },
  }
}

/** Starts monitoring for the simulation (when installed); returns the lines to print, or why not. */
export async function startMultiMonitoring(
  plan: Plan,
  master: string,
  caFile: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<string[]> {
  if (!haveMonitoring()) return ['monitoring: not installed (scripts/deps.sh multi installs it); not started']
  const m = await startDetachedMonitoring({
    dir: monitoringDir(plan.opts.dir),
    layout: multiLayout(plan, master, caFile),
    exporters: await multiExporters(plan, master),
    ports: monitorPorts(env),
  })
  return [
    `monitoring: prometheus ${m.prometheus}/targets, alertmanager ${m.alertmanager}, alerts received ${m.receiver}/notifications`,
  ]
}

export function stopMultiMonitoring(simDir: string): Promise<void> {
  return stopDetachedMonitoring(monitoringDir(simDir))
}

/** After a failover: the master probe checks the promoted host. */
export async function moveMasterProbe(plan: Plan, master: string): Promise<void> {
  const h = plan.hosts.find((x) => x.name === master)
  if (h === undefined) return
  await writeMasterTarget(monitoringDir(plan.opts.dir), `${h.address}:${DB_PORT}`).catch(() => {})
}
