// SPDX-License-Identifier: MPL-2.0
// The deployment's shape, written once as data: every process, the port it listens on, who may call
// whom, and which secret each may hold. nginx, docker-compose networks, Terraform security groups and
// Helm NetworkPolicies are derived from this table or checked against it by tests.

/** The seven Persona services, each a Fastify app in its own image. */
export const SERVICES = ['router', 'static', 'reader', 'writer', 'certifier', 'verifier', 'proxy'] as const
export type ServiceName = (typeof SERVICES)[number]

/** Parts that are not our services but appear in the flow graph. */
export const EXTERNALS = ['internet', 'nginx', 'db-master', 'db-replica', 'smtp'] as const
export type ExternalName = (typeof EXTERNALS)[number]
export type NodeName = ServiceName | ExternalName

export interface ServiceSpec {
  /** Port the service listens on (the same in dev, compose and Kubernetes). */
  readonly port: number
  /** Env var that overrides the port (dev launcher uses it to pick free ports). */
  readonly portEnv: string
  /** Host class that runs it in the VM layout (infra/). */
  readonly hostClass: HostClass
  readonly description: string
}

export const HOST_CLASSES = ['webhead', 'dbwriter', 'certifier', 'db'] as const
export type HostClass = (typeof HOST_CLASSES)[number]

export const SERVICE_SPECS = {
  router: { port: 10002, portEnv: 'ROUTER_PORT', hostClass: 'webhead', description: 'entry for web traffic' },
  static: {
    port: 10003,
    portEnv: 'STATIC_PORT',
    hostClass: 'webhead',
    description: 'include.js, dialog, pages',
  },
  reader: {
    port: 10004,
    portEnv: 'READER_PORT',
    hostClass: 'webhead',
    description: 'every /wsapi call; reads',
  },
  writer: {
    port: 10005,
    portEnv: 'WRITER_PORT',
    hostClass: 'dbwriter',
    description: 'wsapi calls that write',
  },
  certifier: {
    port: 10006,
    portEnv: 'CERTIFIER_PORT',
    hostClass: 'certifier',
    description: 'signs user keys',
  },
  verifier: { port: 10007, portEnv: 'VERIFIER_PORT', hostClass: 'webhead', description: 'POST /verify' },
  proxy: { port: 10008, portEnv: 'PROXY_PORT', hostClass: 'webhead', description: 'only way out to IdPs' },
} as const satisfies Record<ServiceName, ServiceSpec>

/** Ports of the parts that are not our services. */
export const EXTERNAL_PORTS = {
  nginx: { http: 8080, https: 443 },
  'db-master': { mysql: 3306 },
  'db-replica': { mysql: 3306 },
  smtp: { smtp: 1025, http: 8025 },
} as const

/** The host class that runs each external part in the VM layout. */
export const EXTERNAL_HOST_CLASS = {
  nginx: 'webhead',
  'db-master': 'db',
  'db-replica': 'db',
} as const satisfies Partial<Record<ExternalName, HostClass>>

export interface Flow {
  readonly from: NodeName
  readonly to: NodeName
  /** The port on `to` that `from` may reach. */
  readonly port: number
  readonly why: string
}

/**
 * Every allowed connection, and nothing else. A flow absent from this list is forbidden: tests fail
 * when any derived artefact (compose, nginx, security groups, NetworkPolicies) allows more or less.
 */
const FLOW_TABLE = [
  { from: 'internet', to: 'nginx', port: EXTERNAL_PORTS.nginx.https, why: 'public web and /verify' },
  { from: 'nginx', to: 'router', port: SERVICE_SPECS.router.port, why: 'all web requests' },
  { from: 'nginx', to: 'verifier', port: SERVICE_SPECS.verifier.port, why: '/verify and the verifier host' },
  {
    from: 'router',
    to: 'reader',
    port: SERVICE_SPECS.reader.port,
    why: 'READER_PUBLIC_PATHS: /wsapi/*, the support document, FedCM',
  },
  { from: 'router', to: 'static', port: SERVICE_SPECS.static.port, why: 'files and pages' },
  { from: 'reader', to: 'writer', port: SERVICE_SPECS.writer.port, why: 'wsapi calls that write' },
  { from: 'reader', to: 'certifier', port: SERVICE_SPECS.certifier.port, why: 'cert_key' },
  { from: 'reader', to: 'proxy', port: SERVICE_SPECS.proxy.port, why: 'address_info of primary domains' },
  { from: 'reader', to: 'db-replica', port: EXTERNAL_PORTS['db-replica'].mysql, why: 'reads' },
  { from: 'writer', to: 'db-master', port: EXTERNAL_PORTS['db-master'].mysql, why: 'writes' },
  { from: 'writer', to: 'smtp', port: EXTERNAL_PORTS.smtp.smtp, why: 'verification mail' },
  { from: 'verifier', to: 'proxy', port: SERVICE_SPECS.proxy.port, why: 'IdP support documents' },
  { from: 'db-replica', to: 'db-master', port: EXTERNAL_PORTS['db-master'].mysql, why: 'replication' },
  { from: 'proxy', to: 'internet', port: 443, why: 'https://DOMAIN/.well-known/browserid' },
] as const satisfies readonly Flow[]
export const FLOWS: readonly Flow[] = FLOW_TABLE

/** The services `S` may call, as a type (e.g. reader: writer | certifier | proxy). */
export type UpstreamOf<S extends NodeName> = Extract<
  (typeof FLOW_TABLE)[number],
  { readonly from: S }
>['to'] &
  ServiceName

/**
 * The monitoring plane, beside the serving one: Prometheus scrapes every process and the exporters, the
 * blackbox exporter probes nginx and the databases from outside as a client would, a mysqld exporter
 * beside each MariaDB reads its replication status, Alertmanager takes Prometheus's alerts to the
 * pager. None of it serves a request, so FLOWS leaves it out; a deployment that runs monitoring
 * (`MONITOR=1 make dev`, `make multi`, compose's `monitoring` profile, a monitoring namespace) opens
 * exactly MONITORING_FLOWS for it, and its scrape configuration is derived from the same table.
 */
export const MONITORING_PARTS = [
  'prometheus',
  'alertmanager',
  'blackbox-exporter',
  'mysqld-exporter',
] as const
export type MonitoringPart = (typeof MONITORING_PARTS)[number]

export interface MonitoringSpec {
  /** Port it listens on (the same in compose, Kubernetes and on hosts; `make dev` may move it). */
  readonly port: number
  /** Env var that moves the port where the local stacks start it. */
  readonly portEnv: string
  /** The host class it runs on beside Persona's parts (none: a monitoring host of its own). */
  readonly hostClass?: HostClass
  readonly description: string
}

export const MONITORING_SPECS = {
  prometheus: {
    port: 9090,
    portEnv: 'PROMETHEUS_PORT',
    description: 'scrapes every process and exporter, evaluates the alert rules',
  },
  alertmanager: {
    port: 9093,
    portEnv: 'ALERTMANAGER_PORT',
    description: 'routes alerts: pages, tickets, inhibition, drain silences',
  },
  'blackbox-exporter': {
    port: 9115,
    portEnv: 'BLACKBOX_PORT',
    description: 'probes nginx, the databases, the load balancers and DNS from outside',
  },
  'mysqld-exporter': {
    port: 9104,
    portEnv: 'MYSQLD_EXPORTER_PORT',
    hostClass: 'db',
    description: 'beside each MariaDB: its replication status (lag, threads) as the server reports it',
  },
} as const satisfies Record<MonitoringPart, MonitoringSpec>

export interface MonitoringFlow {
  readonly from: MonitoringPart
  readonly to: NodeName | MonitoringPart
  readonly port: number
  readonly why: string
}

/** Every connection the monitoring plane opens, and nothing else. */
export const MONITORING_FLOWS: readonly MonitoringFlow[] = [
  ...SERVICES.map(
    (s): MonitoringFlow => ({ from: 'prometheus', to: s, port: SERVICE_SPECS[s].port, why: '/metrics' }),
  ),
  {
    from: 'prometheus',
    to: 'mysqld-exporter',
    port: MONITORING_SPECS['mysqld-exporter'].port,
    why: 'replication status of each database',
  },
  {
    from: 'prometheus',
    to: 'blackbox-exporter',
    port: MONITORING_SPECS['blackbox-exporter'].port,
    why: 'probe results',
  },
  {
    from: 'prometheus',
    to: 'alertmanager',
    port: MONITORING_SPECS.alertmanager.port,
    why: 'alerts (and its own metrics)',
  },
  {
    from: 'blackbox-exporter',
    to: 'nginx',
    port: EXTERNAL_PORTS.nginx.https,
    why: 'the health check the load balancer asks',
  },
  {
    from: 'blackbox-exporter',
    to: 'db-master',
    port: EXTERNAL_PORTS['db-master'].mysql,
    why: 'does the master accept connections',
  },
  {
    from: 'blackbox-exporter',
    to: 'db-replica',
    port: EXTERNAL_PORTS['db-replica'].mysql,
    why: 'does each replica accept connections',
  },
  {
    from: 'mysqld-exporter',
    to: 'db-master',
    port: EXTERNAL_PORTS['db-master'].mysql,
    why: 'its own server, on the same host',
  },
  {
    from: 'mysqld-exporter',
    to: 'db-replica',
    port: EXTERNAL_PORTS['db-replica'].mysql,
    why: 'its own server, on the same host',
  },
  { from: 'alertmanager', to: 'internet', port: 443, why: 'the pager and ticket webhooks' },
]

export function isMonitoringPart(name: string): name is MonitoringPart {
  return MONITORING_PARTS.some((p) => p === name)
}

/** The host class a monitoring part runs on beside Persona (the mysqld exporter: db), if any. */
export function monitoringHostClass(part: MonitoringPart): HostClass | undefined {
  const spec: MonitoringSpec = MONITORING_SPECS[part]
  return spec.hostClass
}

/** Paths nginx may send to the verifier (Mozilla's /verify and its later /v2); everything else public goes to router. */
export const VERIFIER_PUBLIC_PATHS = ['/verify', '/v2'] as const

/** The public API's OpenAPI description (served by static), on the site's and the verifier's host names. */
export const API_DESCRIPTION_PATH = '/openapi.json'

/**
 * Paths the router sends to the reader (a trailing slash: that prefix and everything under it); every
 * other path goes to static. The reader serves what needs the session or the keys: the wsapi, our
 * BrowserID support document and JWKS, and FedCM's well-known file and config.
 */
export const READER_PUBLIC_PATHS = [
  '/wsapi/',
  '/.well-known/browserid',
  '/.well-known/jwks.json',
  '/.well-known/web-identity',
  '/fedcm/',
] as const

export const SECRET_NAMES = [
  'dbWriterPassword',
  'dbReaderPassword',
  'dbAdminPassword',
  'certifierPrivateKey',
  'sessionSecret',
  'writerToken',
  'certifierToken',
  'dbDbaPassword',
  'dbReplicationPassword',
  'dbAccountsSql',
  'smtpUser',
  'smtpPassword',
  'dbMonitorPassword',
] as const
export type SecretName = (typeof SECRET_NAMES)[number]

export interface SecretSpec {
  /** Environment variable that carries it (or, for files, its path). */
  readonly env: string
  /** `value`: the variable holds the secret itself; `file`: the path of a file holding it. */
  readonly form: 'value' | 'file'
  /** Services allowed to hold it. `init` is the one-shot setup job (migrations, keys). */
  readonly holders: readonly SecretHolder[]
  readonly description: string
  /** Made outside Persona (the mail relay's account): init passes it on and never invents it. */
  readonly provided?: boolean
}

export const SECRETS = {
  dbWriterPassword: {
    env: 'DB_WRITER_PASSWORD',
    form: 'value',
    holders: ['writer', 'init'],
    description: 'MariaDB `writer` account (SELECT/INSERT/UPDATE/DELETE)',
  },
  dbReaderPassword: {
    env: 'DB_READER_PASSWORD',
    form: 'value',
    holders: ['reader', 'init'],
    description: 'MariaDB `reader` account (SELECT only)',
  },
  dbAdminPassword: {
    env: 'DB_ADMIN_PASSWORD',
    form: 'value',
    holders: ['init'],
    description: 'DDL and account setup',
  },
  certifierPrivateKey: {
    env: 'CERTIFIER_PRIVATE_KEY_FILE',
    form: 'file',
    holders: ['certifier', 'init'],
    description: 'path of the RS256 signing key (mode 0600)',
  },
  sessionSecret: {
    env: 'SESSION_SECRET',
    form: 'value',
    holders: ['reader', 'init'],
    description: 'cookie encryption key (one for every reader of every cluster)',
  },
  writerToken: {
    env: 'WRITER_TOKEN',
    form: 'value',
    holders: ['reader', 'writer', 'init'],
    description: 'shared token on reader -> writer calls',
  },
  certifierToken: {
    env: 'CERTIFIER_TOKEN',
    form: 'value',
    holders: ['reader', 'certifier', 'init'],
    description: 'shared token on reader -> certifier calls',
  },
  dbDbaPassword: {
    env: 'DB_DBA_PASSWORD',
    form: 'value',
    holders: ['init'],
    description:
      'MariaDB `persona_dba` account, with which init creates the others (the master gets its hash only)',
  },
  dbReplicationPassword: {
    env: 'DB_REPLICATION_PASSWORD',
    form: 'value',
    holders: ['db-replica', 'init'],
    description: 'MariaDB `repl` account: replicas to the master',
  },
  dbAccountsSql: {
    env: 'DB_ACCOUNTS_SQL',
    form: 'value',
    holders: ['db-master', 'init'],
    description: "the master's first-start SQL: the DBA and replication accounts, by password hash",
  },
  smtpUser: {
    env: 'SMTP_USER',
    form: 'value',
    holders: ['writer', 'init'],
    description: "the mail relay's account (AWS: an SES SMTP user; compose: the operator's)",
    provided: true,
  },
  smtpPassword: {
    env: 'SMTP_PASS',
    form: 'value',
    holders: ['writer', 'init'],
    description: "the mail relay account's password",
    provided: true,
  },
  dbMonitorPassword: {
    env: 'DB_MONITOR_PASSWORD',
    form: 'value',
    holders: ['mysqld-exporter', 'init'],
    description:
      'MariaDB `persona_monitor` account (PROCESS, BINLOG MONITOR, SLAVE MONITOR: server and replication status, no data)',
  },
} as const satisfies Record<SecretName, SecretSpec>

/**
 * Development secrets start with this (scripts/dev makes them so): a service started with
 * NODE_ENV=production refuses to run with one, naming the variable.
 */
export const DEV_SECRET_PREFIX = 'dev-'

/** True when `from` may open a connection to `to` (on any port). */
export function mayCall(from: NodeName, to: NodeName): boolean {
  return FLOWS.some((f) => f.from === from && f.to === to)
}

/** The services a given service calls, e.g. upstreams of router: reader and static. */
export function upstreamsOf(from: NodeName): NodeName[] {
  return FLOWS.filter((f) => f.from === from).map((f) => f.to)
}

/** Who may hold a secret: a service, the one-shot init job, a database server role, a monitoring part. */
export type SecretHolder = ServiceName | 'init' | 'db-master' | 'db-replica' | MonitoringPart

/** Whether `holder` may hold `secret`. */
export function mayHold(holder: SecretHolder, secret: SecretName): boolean {
  const holders: readonly SecretHolder[] = SECRETS[secret].holders
  return holders.includes(holder)
}

/** The secrets a holder may see. */
export function secretsOf(holder: SecretHolder): SecretName[] {
  return SECRET_NAMES.filter((s) => mayHold(holder, s))
}

/** Env var names of secrets a holder must never receive. */
export function forbiddenSecretEnv(holder: SecretHolder): string[] {
  return SECRET_NAMES.filter((s) => !mayHold(holder, s)).map((s) => SECRETS[s].env)
}
