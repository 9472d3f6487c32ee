// SPDX-License-Identifier: MPL-2.0
// `MONITOR=1 make dev`: monitoring for the one-machine stack (one cluster, `dev`), on loopback ports
// PROMETHEUS_PORT (9090), ALERTMANAGER_PORT (9093) and BLACKBOX_PORT (9115), a mysqld exporter beside
// master and replica on free ports, with the recording receiver standing in for the pager. State in
// <dev dir>/monitoring.
import { join } from 'node:path'
import { freePorts, isPortInUse } from '@persona/kit'
import type { Stack } from '../../scripts/dev/stack.ts'
import { ensureMonitorAccount } from './accounts.ts'
import { DEFAULT_MONITOR_PORTS, type ExporterSetup, type Monitoring, startMonitoring } from './launcher.ts'
import { devLayout, type Layout } from './targets.ts'

const PORT_ENV = {
  prometheus: 'PROMETHEUS_PORT',
  alertmanager: 'ALERTMANAGER_PORT',
  blackbox: 'BLACKBOX_PORT',
} as const

/** The monitoring ports from the environment, defaults otherwise. */
export function monitorPorts(
  env: Readonly<Record<string, string | undefined>>,
): Record<keyof typeof PORT_ENV, number> {
  const out: Record<keyof typeof PORT_ENV, number> = { ...DEFAULT_MONITOR_PORTS }
  for (const [k, name] of Object.entries(PORT_ENV) as [keyof typeof PORT_ENV, string][]) {
    const v = env[name]
    if (v === undefined || v === '') continue
    const n = Number(v)
    if (!Number.isInteger(n) || n <= 0 || n > 65535) throw new Error(`${name}=${v} is not a port`)
    out[k] = n
  }
  return out
}

/**
 * What monitoring needs of a running stack: its layout (exporters on free ports) and the exporters'
 * account, made on the master.
 */
export async function devMonitoringOf(
  stack: Stack,
  dir: string,
): Promise<{ layout: Layout; exporters: ExporterSetup }> {
  const [master = 0, replica = 0] = await freePorts(2)
  const password = await ensureMonitorAccount(dir, stack.db.masterSocket)
  const layout = devLayout({
    ...stack.ports,
    dbMaster: stack.db.master.port,
    dbReplica: stack.db.replica.port,
    exporters: { master, replica },
  })
  return { layout, exporters: { password } }
}

export async function startDevMonitoring(
  stack: Stack,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<{ monitoring: Monitoring; lines: string[] }> {
  const ports = monitorPorts(env)
  for (const [name, port] of Object.entries(ports)) {
    if (await isPortInUse(port)) {
      throw new Error(
        `port ${port} (${name}) is in use: set ${PORT_ENV[name as keyof typeof PORT_ENV]} to move it`,
      )
    }
  }
  const dir = join(stack.dir, 'monitoring')
  const monitoring = await startMonitoring({ dir, ...(await devMonitoringOf(stack, dir)), ports, echo: true })
  const lines = [
    `  prometheus:      ${monitoring.prometheus}/targets`,
    `  alertmanager:    ${monitoring.alertmanager}`,
    ...(monitoring.receiver ? [`  alerts received: ${monitoring.receiver.url}/notifications`] : []),
  ]
  return { monitoring, lines }
}
