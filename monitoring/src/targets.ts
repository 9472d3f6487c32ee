// SPDX-License-Identifier: MPL-2.0
// What Prometheus watches, derived from the topology table: every Persona process on every host of
// every cluster (a host runs the services of its class, SERVICE_SPECS[s].hostClass), nginx on each
// webhead and each database, probed from outside by the blackbox exporter, and the mysqld exporter
// beside each database (MONITORING_SPECS). The layout (clusters, hosts, addresses, ports) comes from
// whoever runs the stack: `make dev`, `make multi`, compose.
import {
  EXTERNAL_PORTS,
  HOST_CLASSES,
  type HostClass,
  MONITORING_SPECS,
  SERVICE_SPECS,
  SERVICES,
  type ServiceName,
} from '@persona/kit'

export interface HostLayout {
  /** Unique within its cluster, e.g. `webhead-1`. */
  readonly name: string
  readonly hostClass: HostClass
  /** Address the monitoring host reaches it on. */
  readonly address: string
  /** Ports when not the topology's (make dev picks its own). */
  readonly ports?: Partial<Record<HostPart, number>>
  /** Where a part is its own container with its own name (compose): its address, instead of the host's. */
  readonly addresses?: Partial<Record<HostPart, string>>
  /** For `db` hosts: which role it had when the layout was written (the master probe uses `master`). */
  readonly dbRole?: 'master' | 'replica'
}

/** What runs on a host: its services, nginx, MariaDB and the mysqld exporter beside it. */
export type HostPart = ServiceName | 'nginx' | 'db' | 'mysqld-exporter'

const addressOf = (h: HostLayout, part: HostPart): string => h.addresses?.[part] ?? h.address

export interface ClusterLayout {
  readonly name: string
  readonly hosts: readonly HostLayout[]
  /** The address DNS answers with while this cluster is in service (the DNS probe looks for it). */
  readonly publicAddress?: string
  /**
   * The cluster's load balancer (http://ADDR/__lbheartbeat__, what DNS health-checks): it fails while the
   * deploy tool drains the cluster.
   */
  readonly loadBalancer?: string
}

export interface Layout {
  readonly clusters: readonly ClusterLayout[]
  /**
   * Where the master is reached (a name every cluster resolves, moved by failover); default: the `db`
   * host whose dbRole is master.
   */
  readonly master?: { readonly address: string; readonly port: number }
  /** The health-checked DNS (make multi, Route 53): its server and the service name it answers for. */
  readonly dns?: { readonly server: string; readonly name: string }
  /** nginx serves TLS (production, make multi): the name to ask for and the CA that signed it. */
  readonly nginxTls?: { readonly serverName: string; readonly caFile: string }
}

/** Labels every target carries; alerts and Alertmanager routes group by them. */
export interface TargetLabels {
  readonly cluster: string
  readonly host: string
  readonly host_class: HostClass
  readonly service: string
}

export interface Target {
  readonly address: string
  readonly labels: TargetLabels
}

/** The services a host of this class runs, from the topology. */
export function servicesOn(hostClass: HostClass): ServiceName[] {
  return SERVICES.filter((s) => SERVICE_SPECS[s].hostClass === hostClass)
}

/** Every Persona process to scrape at /metrics. */
export function processTargets(layout: Layout): Target[] {
  return layout.clusters.flatMap((c) =>
    c.hosts.flatMap((h) =>
      servicesOn(h.hostClass).map((s) => ({
        address: `${addressOf(h, s)}:${h.ports?.[s] ?? SERVICE_SPECS[s].port}`,
        labels: { cluster: c.name, host: h.name, host_class: h.hostClass, service: s },
      })),
    ),
  )
}

/** nginx on every webhead, probed over HTTP at /__lbheartbeat__ (what the load balancer asks). */
export function nginxTargets(layout: Layout): Target[] {
  return layout.clusters.flatMap((c) =>
    c.hosts
      .filter((h) => h.hostClass === 'webhead')
      .map((h) => ({
        address:
          layout.nginxTls === undefined
            ? `http://${addressOf(h, 'nginx')}:${h.ports?.nginx ?? EXTERNAL_PORTS.nginx.http}/__lbheartbeat__`
            : `https://${addressOf(h, 'nginx')}:${h.ports?.nginx ?? EXTERNAL_PORTS.nginx.https}/__lbheartbeat__`,
        labels: { cluster: c.name, host: h.name, host_class: h.hostClass, service: 'nginx' },
      })),
  )
}

/** Every database host, probed with a TCP connect; label `db_role` as the layout says. */
export function databaseTargets(layout: Layout): (Target & { readonly role: 'master' | 'replica' })[] {
  return layout.clusters.flatMap((c) =>
    c.hosts
      .filter((h) => h.hostClass === 'db')
      .map((h) => ({
        address: `${addressOf(h, 'db')}:${h.ports?.db ?? EXTERNAL_PORTS['db-master'].mysql}`,
        role: h.dbRole ?? 'replica',
        labels: { cluster: c.name, host: h.name, host_class: h.hostClass, service: 'mariadb' },
      })),
  )
}

/** The mysqld exporter beside every database (on the database host's address). */
export function exporterTargets(layout: Layout): (Target & { readonly db: string })[] {
  return layout.clusters.flatMap((c) =>
    c.hosts
      .filter((h) => h.hostClass === 'db')
      .map((h) => ({
        address: `${addressOf(h, 'mysqld-exporter')}:${h.ports?.['mysqld-exporter'] ?? MONITORING_SPECS['mysqld-exporter'].port}`,
        db: `${addressOf(h, 'db')}:${h.ports?.db ?? EXTERNAL_PORTS['db-master'].mysql}`,
        labels: { cluster: c.name, host: h.name, host_class: h.hostClass, service: 'mysqld-exporter' },
      })),
  )
}

/** The current master's address: the layout's master name, else the db host marked master. */
export function masterTarget(layout: Layout): string | undefined {
  if (layout.master !== undefined) return `${layout.master.address}:${layout.master.port}`
  return databaseTargets(layout).find((t) => t.role === 'master')?.address
}

/** Checks a layout: unique cluster and host names, every host class present in every cluster. */
export function checkLayout(layout: Layout): void {
  const clusters = new Set<string>()
  for (const c of layout.clusters) {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(c.name))
      throw new TypeError(`cluster name ${c.name}: lowercase letters, digits, -`)
    if (clusters.has(c.name)) throw new TypeError(`cluster ${c.name} twice`)
    clusters.add(c.name)
    const hosts = new Set<string>()
    for (const h of c.hosts) {
      if (hosts.has(h.name)) throw new TypeError(`host ${h.name} twice in cluster ${c.name}`)
      hosts.add(h.name)
    }
    for (const hc of HOST_CLASSES) {
      if (!c.hosts.some((h) => h.hostClass === hc)) throw new TypeError(`cluster ${c.name} has no ${hc} host`)
    }
  }
}

/**
 * The layout of one `make dev` stack: one cluster, every host class on 127.0.0.1 with the stack's ports.
 * @example devLayout({ router: 18002, ..., nginx: 18080, dbMaster: 13306, dbReplica: 13307 })
 */
export function devLayout(
  ports: Readonly<Record<ServiceName, number>> & {
    nginx: number
    dbMaster: number
    dbReplica: number
    /** Where the mysqld exporters of master and replica listen (the launcher picks free ports). */
    exporters?: { readonly master: number; readonly replica: number }
  },
  cluster = 'dev',
  address = '127.0.0.1',
): Layout {
  const exporter = (role: 'master' | 'replica') =>
    ports.exporters === undefined ? {} : { 'mysqld-exporter': ports.exporters[role] }
  const svc = (cls: HostClass) => Object.fromEntries(servicesOn(cls).map((s) => [s, ports[s]]))
  return {
    clusters: [
      {
        name: cluster,
        hosts: [
          {
            name: 'webhead-1',
            hostClass: 'webhead',
            address,
            ports: { ...svc('webhead'), nginx: ports.nginx },
          },
          { name: 'dbwriter-1', hostClass: 'dbwriter', address, ports: svc('dbwriter') },
          { name: 'certifier-1', hostClass: 'certifier', address, ports: svc('certifier') },
          {
            name: 'db-1',
            hostClass: 'db',
            address,
            ports: { db: ports.dbMaster, ...exporter('master') },
            dbRole: 'master',
          },
          {
            name: 'db-2',
            hostClass: 'db',
            address,
            ports: { db: ports.dbReplica, ...exporter('replica') },
            dbRole: 'replica',
          },
        ],
      },
    ],
  }
}
