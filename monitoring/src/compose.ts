// SPDX-License-Identifier: MPL-2.0
// Monitoring for compose's `monitoring` profile (docker-compose.yml): the stack as a monitoring layout
// (one cluster, `compose`; every process its own container, reached by its service name on the
// topology's port) and the configuration files the monitoring images carry, rendered from it into
// monitoring/compose/ (kept in the repository like the rules: make monitoring-render; the config test
// checks they are current). Alerts go to the recording receiver container (alert-receiver) unless an
// operator mounts an alertmanager.yml with real receivers.
import { fileURLToPath } from 'node:url'
import { EXTERNAL_PORTS, MONITORING_SPECS, type ServiceName } from '@persona/kit'
import { renderAlertmanagerConfig } from './alertmanager-config.ts'
import { renderBlackboxConfig, renderPrometheusConfig } from './prometheus-config.ts'
import { type HostLayout, type Layout, servicesOn } from './targets.ts'

export const COMPOSE_CLUSTER = 'compose'

/** Where the images keep their configuration (the Dockerfile copies monitoring/compose/ there). */
export const COMPOSE_CONFIG_DIR = '/etc/persona-monitoring'

/** Compose service names of the monitoring profile; the mysqld exporters are one per database. */
export const COMPOSE_MONITORING = {
  prometheus: 'prometheus',
  alertmanager: 'alertmanager',
  blackbox: 'blackbox-exporter',
  exporterOf: { 'db-master': 'mysqld-exporter-master', 'db-replica': 'mysqld-exporter-replica' },
  receiver: 'alert-receiver',
} as const

/** Port of the recording receiver (the pager's stand-in) in its container. */
export const COMPOSE_RECEIVER_PORT = 9095

const byName = (services: readonly ServiceName[]) =>
  Object.fromEntries(services.map((s) => [s, s])) as Partial<Record<ServiceName, string>>

/** The compose stack: each host class once, each process at its own container name. */
export function composeLayout(): Layout {
  const host = (name: string, cls: HostLayout['hostClass'], extra: Partial<HostLayout> = {}): HostLayout => ({
    name,
    hostClass: cls,
    address: name,
    addresses: byName(servicesOn(cls)),
    ...extra,
  })
  const db = (name: string, container: 'db-master' | 'db-replica'): HostLayout => ({
    name,
    hostClass: 'db',
    address: container,
    addresses: { db: container, 'mysqld-exporter': COMPOSE_MONITORING.exporterOf[container] },
    dbRole: container === 'db-master' ? 'master' : 'replica',
  })
  return {
    clusters: [
      {
        name: COMPOSE_CLUSTER,
        hosts: [
          host('webhead-1', 'webhead', {
            addresses: { ...byName(servicesOn('webhead')), nginx: 'nginx' },
            ports: { nginx: EXTERNAL_PORTS.nginx.http },
          }),
          host('dbwriter-1', 'dbwriter'),
          host('certifier-1', 'certifier'),
          db('db-1', 'db-master'),
          db('db-2', 'db-replica'),
        ],
      },
    ],
  }
}

const at = (name: string, port: number) => `${name}:${port}`

export function renderComposePrometheus(): string {
  return renderPrometheusConfig({
    layout: composeLayout(),
    alertmanagers: [at(COMPOSE_MONITORING.alertmanager, MONITORING_SPECS.alertmanager.port)],
    blackbox: at(COMPOSE_MONITORING.blackbox, MONITORING_SPECS['blackbox-exporter'].port),
    ruleFiles: [`${COMPOSE_CONFIG_DIR}/persona.rules.yml`],
    self: at('localhost', MONITORING_SPECS.prometheus.port),
  })
}

export function renderComposeAlertmanager(): string {
  const base = `http://${COMPOSE_MONITORING.receiver}:${COMPOSE_RECEIVER_PORT}`
  return renderAlertmanagerConfig({
    receivers: { page: `${base}/page`, ticket: `${base}/ticket`, heartbeat: `${base}/heartbeat` },
  })
}

export function renderComposeBlackbox(): string {
  return renderBlackboxConfig(composeLayout())
}

const here = (p: string) => fileURLToPath(new URL(`../compose/${p}`, import.meta.url))

/** The files monitoring/compose/ holds, each with its renderer (generated.ts lists them). */
export const COMPOSE_FILES: Readonly<Record<string, () => string>> = {
  [here('prometheus.yml')]: renderComposePrometheus,
  [here('alertmanager.yml')]: renderComposeAlertmanager,
  [here('blackbox.yml')]: renderComposeBlackbox,
}
