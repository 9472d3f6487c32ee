// SPDX-License-Identifier: MPL-2.0
// prometheus.yml and blackbox.yml for a layout (targets.ts): one job for every Persona process
// (/metrics, labels cluster/host/host_class/service), one for the mysqld exporter beside each database,
// blackbox probes for nginx (HTTP), each database (TCP), the current master (TCP, by its name) and, when
// the layout has a DNS server, one DNS probe per cluster that passes while the service name still
// answers with that cluster's address.
import { stringify } from 'yaml'
import {
  databaseTargets,
  exporterTargets,
  type Layout,
  masterTarget,
  nginxTargets,
  processTargets,
  type Target,
} from './targets.ts'

export interface PrometheusOptions {
  readonly layout: Layout
  /** host:port of each Alertmanager. */
  readonly alertmanagers: readonly string[]
  /** host:port of the blackbox exporter. */
  readonly blackbox: string
  /** Rule files (absolute paths or globs). */
  readonly ruleFiles: readonly string[]
  /** Production 15s; the live tests shorten it (never the rules' `for`). */
  readonly scrapeInterval?: string
  readonly evaluationInterval?: string
  /** host:port of Prometheus itself and of the Alertmanagers, scraped for their own health. */
  readonly self?: string
  /**
   * A file_sd JSON file naming the current master (writeMasterTarget): failover moves the master probe
   * by rewriting it, no reload needed. Without it, the layout's master is written in statically.
   */
  readonly masterTargetsFile?: string
}

/** Job names: alert rules select on them. */
export const JOBS = {
  process: 'persona',
  mysqld: 'persona-mysqld',
  nginx: 'persona-nginx',
  db: 'persona-db',
  master: 'persona-db-master',
  dns: 'persona-dns',
  lb: 'persona-lb',
} as const

/**
 * What the rules and dashboards read from prometheus-mysqld-exporter (Debian's 0.14: replication status
 * from SHOW ALL SLAVES STATUS, server status from SHOW GLOBAL STATUS); the live test sees each one.
 */
export const MYSQLD_EXPORTER_METRICS = [
  'mysql_up',
  'mysql_slave_status_seconds_behind_master',
  'mysql_slave_status_slave_io_running',
  'mysql_slave_status_slave_sql_running',
  'mysql_global_status_threads_connected',
  'mysql_global_status_queries',
] as const

const MASTER_LABELS = { service: 'mariadb', db_role: 'master' }

/** The file_sd content naming the master at `address` (host:port). */
export function masterTargetsJson(address: string): string {
  return `${JSON.stringify([{ targets: [address], labels: MASTER_LABELS }], null, 2)}\n`
}

function staticConfigs(targets: readonly Target[], extra: Record<string, string> = {}) {
  return targets.map((t) => ({ targets: [t.address], labels: { ...t.labels, ...extra } }))
}

/** A job whose targets are probed by the blackbox exporter with `module`. */
function probeJob(name: string, module: string, blackbox: string, configs: object[]) {
  return {
    job_name: name,
    metrics_path: '/probe',
    params: { module: [module] },
    static_configs: configs,
    relabel_configs: [
      { source_labels: ['__address__'], target_label: '__param_target' },
      { source_labels: ['__param_target'], target_label: 'instance' },
      { target_label: '__address__', replacement: blackbox },
    ],
  }
}

export function dnsModuleName(cluster: string): string {
  return `dns_${cluster.replace(/-/g, '_')}`
}

export function renderPrometheusConfig(o: PrometheusOptions): string {
  const { layout } = o
  const master = masterTarget(layout)
  const dns = layout.dns
  const scrapeConfigs: object[] = [
    {
      job_name: JOBS.process,
      metrics_path: '/metrics',
      // Each process labels its own series with `service`; the target says the same.
      honor_labels: true,
      static_configs: staticConfigs(processTargets(layout)),
    },
    { job_name: JOBS.mysqld, static_configs: staticConfigs(exporterTargets(layout)) },
    probeJob(JOBS.nginx, 'http_lb', o.blackbox, staticConfigs(nginxTargets(layout))),
    ...(layout.clusters.some((c) => c.loadBalancer !== undefined)
      ? [
          probeJob(
            JOBS.lb,
            'http_2xx',
            o.blackbox,
            layout.clusters.flatMap((c) =>
              c.loadBalancer === undefined
                ? []
                : [
                    {
                      targets: [`http://${c.loadBalancer}/__lbheartbeat__`],
                      labels: { cluster: c.name, service: 'lb' },
                    },
                  ],
            ),
          ),
        ]
      : []),
    probeJob(
      JOBS.db,
      'tcp_connect',
      o.blackbox,
      databaseTargets(layout).map((t) => ({
        targets: [t.address],
        labels: { ...t.labels, db_role: t.role },
      })),
    ),
    ...(o.masterTargetsFile !== undefined
      ? [
          {
            ...probeJob(JOBS.master, 'tcp_connect', o.blackbox, []),
            static_configs: undefined,
            file_sd_configs: [{ files: [o.masterTargetsFile], refresh_interval: '30s' }],
          },
        ]
      : master === undefined
        ? []
        : [probeJob(JOBS.master, 'tcp_connect', o.blackbox, [{ targets: [master], labels: MASTER_LABELS }])]),
    ...(dns === undefined
      ? []
      : layout.clusters
          .filter((c) => c.publicAddress !== undefined && c.publicAddress !== '')
          .map((c) => ({
            ...probeJob(`${JOBS.dns}-${c.name}`, dnsModuleName(c.name), o.blackbox, [
              { targets: [dns.server], labels: { cluster: c.name, service: 'dns' } },
            ]),
            job_name: `${JOBS.dns}-${c.name}`,
          }))),
    ...(o.self === undefined
      ? []
      : [
          {
            job_name: 'prometheus',
            static_configs: [{ targets: [o.self], labels: { service: 'prometheus' } }],
          },
        ]),
    {
      job_name: 'alertmanager',
      static_configs: [{ targets: [...o.alertmanagers], labels: { service: 'alertmanager' } }],
    },
    { job_name: 'blackbox', static_configs: [{ targets: [o.blackbox], labels: { service: 'blackbox' } }] },
  ]
  const config = {
    global: {
      scrape_interval: o.scrapeInterval ?? '15s',
      // At most the interval (the fast test interval is 1s).
      scrape_timeout: o.scrapeInterval === '1s' ? '1s' : '5s',
      evaluation_interval: o.evaluationInterval ?? '15s',
      external_labels: { monitor: 'persona' },
    },
    rule_files: [...o.ruleFiles],
    alerting: { alertmanagers: [{ static_configs: [{ targets: [...o.alertmanagers] }] }] },
    scrape_configs: scrapeConfigs,
  }
  return `# Generated by monitoring/src/prometheus-config.ts from the topology and the stack's layout.\n${stringify(config)}`
}

/** blackbox.yml: the probe modules the jobs above name. */
export function renderBlackboxConfig(layout: Layout): string {
  const modules: Record<string, object> = {
    http_lb: {
      prober: 'http',
      timeout: '3s',
      http: {
        valid_status_codes: [200],
        method: 'GET',
        preferred_ip_protocol: 'ip4',
        ...(layout.nginxTls === undefined
          ? {}
          : {
              headers: { Host: layout.nginxTls.serverName },
              tls_config: { ca_file: layout.nginxTls.caFile, server_name: layout.nginxTls.serverName },
            }),
      },
    },
    tcp_connect: { prober: 'tcp', timeout: '3s', tcp: { preferred_ip_protocol: 'ip4' } },
    http_2xx: { prober: 'http', timeout: '3s', http: { preferred_ip_protocol: 'ip4' } },
  }
  const dns = layout.dns
  if (dns !== undefined) {
    for (const c of layout.clusters) {
      if (c.publicAddress === undefined || c.publicAddress === '') continue
      const addr = c.publicAddress.replace(/\./g, '\\.')
      modules[dnsModuleName(c.name)] = {
        prober: 'dns',
        timeout: '3s',
        dns: {
          query_name: dns.name,
          query_type: 'A',
          transport_protocol: 'udp',
          preferred_ip_protocol: 'ip4',
          valid_rcodes: ['NOERROR'],
          validate_answer_rrs: { fail_if_none_matches_regexp: [`.*\\tA\\t${addr}$`] },
        },
      }
    }
  }
  return `# Generated by monitoring/src/prometheus-config.ts.\n${stringify({ modules })}`
}
