// SPDX-License-Identifier: MPL-2.0
// Persona's alert rules, as data: each alert with its severity (page: someone is woken; ticket: next
// working day), its expression, how long it must hold, and the runbook line an operator reads first.
// Rendered to monitoring/rules/persona.rules.yml (promtool checks and unit-tests it) and into the Helm
// chart's PrometheusRule; the README's "Operating Persona" table lists every alert from here.
import { stringify } from 'yaml'
import { JOBS } from './prometheus-config.ts'
import { BURN_WINDOWS, burnExpr, ratioRecord, SLOS } from './slo.ts'

export type Severity = 'page' | 'ticket' | 'none'

export interface AlertRule {
  readonly alert: string
  readonly severity: Severity
  readonly expr: string
  readonly for: string
  readonly summary: string
  /** The first thing to do, in one line (README's runbook column). */
  readonly runbook: string
  /** What the alert measures, when the summary cannot say it all (the SLOs: what counts as bad). */
  readonly description?: string
  readonly labels?: Readonly<Record<string, string>>
}

export interface RecordingRule {
  readonly record: string
  readonly expr: string
}

/** How long a cluster may stay out of DNS before it pages: longer than a whole cluster's deploy. */
export const OUT_OF_DNS_FOR = '30m'

const up = 'persona:target:up'

// The wider an outage, the sooner its alert fires (cluster 30s, host 45s, process 1m; the master 30s),
// so Alertmanager already holds it when the narrower alerts it inhibits arrive: one page per incident.

export const RECORDING_RULES: readonly RecordingRule[] = [
  // One "is it up" series per target, whether scraped (processes) or probed (nginx, databases).
  {
    record: up,
    expr: `up{job="${JOBS.process}"} or on (cluster, host, service) probe_success{job=~"${JOBS.nginx}|${JOBS.db}"}`,
  },
  {
    record: 'persona:master:up',
    expr: `max(probe_success{job="${JOBS.master}"})`,
  },
  // 1 while a cluster's load balancer fails its health check: drained by the deploy tool (or broken).
  {
    record: 'persona:cluster:drained',
    expr: `1 - min by (cluster) (probe_success{job="${JOBS.lb}"})`,
  },
  {
    record: 'persona:cluster:in_dns',
    expr: `min by (cluster) ({__name__="probe_success", job=~"${JOBS.dns}-.+"})`,
  },
  {
    record: 'persona:signins_failed:ratio_rate10m',
    expr: `sum by (cluster) (rate(persona_auth_signins_total{result!="ok"}[10m])) / sum by (cluster) (rate(persona_auth_signins_total[10m]))`,
  },
  {
    record: 'persona:mail_failures:ratio_rate10m',
    expr: `sum by (cluster) (rate(persona_mail_failures_total[10m])) / (sum by (cluster) (rate(persona_mail_failures_total[10m])) + sum by (cluster) (rate(persona_mail_sent_total[10m])))`,
  },
  // Replication as each replica's server reports it (the mysqld exporter beside it).
  {
    record: 'persona:db_replica_lag:seconds',
    expr: `max by (cluster, host) (mysql_slave_status_seconds_behind_master{job="${JOBS.mysqld}"})`,
  },
  // 1 while both replication threads run, 0 once either stopped (an error, or no master to read from).
  {
    record: 'persona:db_replication:running',
    expr: `min by (cluster, host) (mysql_slave_status_slave_io_running{job="${JOBS.mysqld}"} * mysql_slave_status_slave_sql_running{job="${JOBS.mysqld}"})`,
  },
  // Transactions the master has that a reader's replica has not applied (writer and reader each export
  // the position of the server they use).
  {
    record: 'persona:db_gtid_gap:transactions',
    expr: `scalar(max(persona_db_gtid_sequence{role="master"})) - max by (cluster, host) (persona_db_gtid_sequence{role="replica"})`,
  },
  ...SLOS.flatMap((slo) =>
    BURN_WINDOWS.map((w) => ({ record: ratioRecord(slo, w), expr: `${slo.bad(w)}\n/\n${slo.all(w)}` })),
  ),
]

export const ALERT_RULES: readonly AlertRule[] = [
  {
    alert: 'Watchdog',
    severity: 'none',
    expr: 'vector(1)',
    for: '0m',
    summary: 'Always firing: proves Prometheus evaluates rules and Alertmanager delivers',
    runbook:
      'If the heartbeat receiver stops hearing this, monitoring itself is down: check Prometheus and Alertmanager first.',
  },
  {
    alert: 'ClusterDown',
    severity: 'page',
    expr: `(count by (cluster) (${up} == 0) / count by (cluster) (${up})) >= 0.8`,
    for: '30s',
    summary: 'Cluster {{ $labels.cluster }}: {{ $value | humanizePercentage }} of its processes are down',
    runbook:
      'Check the cluster is out of DNS (it should fail its health check); look for a network or region outage, then restart hosts; process and host pages of this cluster are held back.',
  },
  {
    alert: 'HostDown',
    severity: 'page',
    expr: `count by (cluster, host) (${up} == 0) == count by (cluster, host) (${up}) and count by (cluster, host) (${up}) > 1`,
    for: '45s',
    summary: 'Host {{ $labels.host }} in cluster {{ $labels.cluster }}: every process on it is down',
    runbook:
      'Reach the host (console, cloud status); if it is gone, let the autoscaling group replace it; the other hosts of its class carry the load meanwhile.',
  },
  {
    alert: 'ProcessDown',
    severity: 'page',
    expr: `${up} == 0`,
    for: '1m',
    summary: '{{ $labels.service }} on {{ $labels.host }} in cluster {{ $labels.cluster }} is down',
    runbook:
      'Read the process log on the host (journalctl or docker logs), restart it; if it crashes again, roll the cluster back with the deploy tool.',
  },
  {
    alert: 'MasterDown',
    severity: 'page',
    expr: 'persona:master:up == 0',
    for: '30s',
    summary:
      'The MariaDB master does not accept connections: sign-ups, password changes and sign-in counts fail',
    runbook:
      'Reads still work. Run `make failover` (promotes the most advanced replica, fences the old master); then find out why it died.',
  },
  {
    alert: 'ReplicaLagging',
    severity: 'ticket',
    expr: 'persona:db_replica_lag:seconds > 30 or persona:db_gtid_gap:transactions > 1000',
    for: '10m',
    summary: 'Replica {{ $labels.host }} in cluster {{ $labels.cluster }} is behind the master',
    runbook:
      'Check replication on the replica (SHOW REPLICA STATUS); readers wait for their own writes, so lag shows as slow sign-in; rebuild the replica if it stopped.',
  },
  {
    alert: 'ReplicaFarBehind',
    severity: 'page',
    expr: 'persona:db_replica_lag:seconds > 300 or persona:db_gtid_gap:transactions > 100000',
    for: '5m',
    summary: 'Replica {{ $labels.host }} in cluster {{ $labels.cluster }} is minutes behind the master',
    runbook:
      'Take the cluster out of DNS with the deploy tool if its readers time out; fix or rebuild the replica; put the cluster back once it has caught up.',
  },
  {
    alert: 'ReplicationStopped',
    severity: 'page',
    expr: 'persona:db_replication:running == 0',
    for: '5m',
    summary:
      'Replica {{ $labels.host }} in cluster {{ $labels.cluster }} does not replicate: its I/O or SQL thread stopped',
    runbook:
      'Its readers serve ever older data and time out waiting for new writes. Read SHOW ALL SLAVES STATUS on it (Last_IO_Error, Last_SQL_Error); repoint it if the master moved; rebuild it from another replica if it cannot resume.',
  },
  {
    alert: 'MysqldExporterDown',
    severity: 'ticket',
    expr: `up{job="${JOBS.mysqld}"} == 0`,
    for: '10m',
    summary:
      "The mysqld exporter on {{ $labels.host }} in cluster {{ $labels.cluster }} is down: that replica's lag is not watched",
    runbook:
      'Restart prometheus-mysqld-exporter on the host; if it cannot log in, check the persona_monitor account and its DB_MONITOR_PASSWORD file.',
  },
  {
    alert: 'SignInFailureSpike',
    severity: 'ticket',
    expr: 'persona:signins_failed:ratio_rate10m > 0.5 and on (cluster) sum by (cluster) (rate(persona_auth_signins_total[10m])) > 0.2',
    for: '10m',
    summary: 'Cluster {{ $labels.cluster }}: {{ $value | humanizePercentage }} of sign-ins fail',
    runbook:
      'Look at the security log stream (signin_failed, account_locked) for a credential-stuffing source and block it at the edge; if every sign-in fails, check the writer and the master.',
  },
  {
    alert: 'LockoutSpike',
    severity: 'ticket',
    expr: 'sum by (cluster) (increase(persona_auth_lockouts_total[15m])) > 20',
    for: '0m',
    summary:
      'Cluster {{ $labels.cluster }}: {{ $value }} sign-ins refused for locked-out accounts in 15 minutes',
    runbook:
      'Likely password guessing: find the source addresses in the security log stream and rate-limit or block them.',
  },
  {
    alert: 'CertificateSigningFailures',
    severity: 'page',
    expr: 'sum by (cluster) (rate(persona_certifier_signing_failures_total{reason!="bad_request"}[5m])) / (sum by (cluster) (rate(persona_certifier_certificates_issued_total[5m])) + sum by (cluster) (rate(persona_certifier_signing_failures_total[5m]))) > 0.05',
    for: '5m',
    summary:
      'Cluster {{ $labels.cluster }}: the certifier fails {{ $value | humanizePercentage }} of certificate requests',
    runbook:
      'Users cannot sign in to sites. Check the certifier log and its deep heartbeat (signing key readable?) and the reader-to-certifier token and API version.',
  },
  {
    alert: 'MailFailures',
    severity: 'page',
    expr: 'persona:mail_failures:ratio_rate10m > 0.2',
    for: '10m',
    summary: 'Cluster {{ $labels.cluster }}: {{ $value | humanizePercentage }} of verification mails fail',
    runbook:
      'New users cannot finish signing up. Check the SMTP relay from the dbwriter hosts and the writer log (mail.failed).',
  },
  {
    alert: 'ProxyRefusalSpike',
    severity: 'ticket',
    expr: 'sum by (cluster) (rate(persona_proxy_refusals_total[10m])) > 0.1 and on (cluster) sum by (cluster) (rate(persona_proxy_refusals_total[10m])) > 5 * sum by (cluster) (rate(persona_proxy_refusals_total[1d]))',
    for: '10m',
    summary: 'Cluster {{ $labels.cluster }}: the proxy refuses {{ $value | humanize }} fetches a second',
    runbook:
      'Someone is asking us to fetch from private addresses or odd redirects (SSRF probing): find the domains in the security log (fetch_refused) and who sent them.',
  },
  {
    alert: 'DatabaseErrors',
    severity: 'ticket',
    expr: 'sum by (cluster, service) (rate(persona_db_errors_total[5m])) > 0.1',
    for: '5m',
    summary:
      '{{ $labels.service }} in cluster {{ $labels.cluster }}: {{ $value | humanize }} database errors a second',
    runbook:
      'Check the database the service uses (the replica for reader, the master for writer) and its connection limits.',
  },
  {
    alert: 'BcryptBacklog',
    severity: 'ticket',
    expr: 'max by (cluster, host, service) (persona_auth_bcrypt_queue_depth) > 32',
    for: '5m',
    summary: '{{ $labels.service }} on {{ $labels.host }}: {{ $value }} password hashes waiting',
    runbook:
      'Sign-ins slow down and then get 503: add hosts of that class, or look for a password-guessing burst.',
  },
  {
    alert: 'EventLoopLag',
    severity: 'ticket',
    expr: 'max by (cluster, host, service) (nodejs_eventloop_lag_p99_seconds) > 0.2',
    for: '10m',
    summary:
      '{{ $labels.service }} on {{ $labels.host }}: event loop lags {{ $value | humanizeDuration }} (p99)',
    runbook:
      'The process is CPU-starved or blocked: check host CPU, then profile it (node --cpu-prof) if its neighbours are idle.',
  },
  {
    alert: 'ClusterOutOfDns',
    severity: 'page',
    expr: 'persona:cluster:in_dns == 0',
    for: OUT_OF_DNS_FOR,
    summary: `Cluster {{ $labels.cluster }} has been out of DNS for over ${OUT_OF_DNS_FOR} (longer than a deploy takes)`,
    runbook:
      'A deploy stalled or its health check fails: read the deploy tool output and the cluster heartbeats; put it back with the deploy tool or finish the rollback.',
  },
  ...SLOS.flatMap((slo): AlertRule[] => [
    {
      alert: `${slo.name === 'verifier_latency' ? 'VerifierLatency' : 'VerifierErrors'}BudgetBurn`,
      severity: 'page',
      expr: burnExpr(slo, 'page'),
      for: '2m',
      labels: { slo: slo.name },
      summary: `Cluster {{ $labels.cluster }} burns the ${slo.name} error budget fast (SLO: ${slo.statement})`,
      description: slo.counts,
      runbook:
        slo.name === 'verifier_latency'
          ? 'Check verifier CPU and event-loop lag and the proxy fetch times for primaries; add webheads or shed load.'
          : 'On the verifier dashboard, shed (503 too busy) means too little capacity: add webheads or find the surge; error (500) means a fault: read the verifier log for its ref ids and check the proxy; roll back a fresh deploy with the deploy tool.',
    },
    {
      alert: `${slo.name === 'verifier_latency' ? 'VerifierLatency' : 'VerifierErrors'}BudgetBurnSlow`,
      severity: 'ticket',
      expr: burnExpr(slo, 'ticket'),
      for: '15m',
      labels: { slo: slo.name },
      summary: `Cluster {{ $labels.cluster }} burns the ${slo.name} error budget steadily (SLO: ${slo.statement})`,
      description: slo.counts,
      runbook:
        'Not urgent: find what fails or is slow on the verifier dashboard and fix it before the budget is spent.',
    },
  ]),
]

/** The rule file Prometheus loads (YAML). */
export function renderRules(): string {
  const groups = [
    { name: 'persona.records', rules: RECORDING_RULES.map((r) => ({ record: r.record, expr: r.expr })) },
    {
      name: 'persona.alerts',
      rules: ALERT_RULES.map((a) => ({
        alert: a.alert,
        expr: a.expr,
        for: a.for,
        labels: { severity: a.severity, ...a.labels },
        annotations: {
          summary: a.summary,
          ...(a.description === undefined ? {} : { description: a.description }),
          runbook: a.runbook,
        },
      })),
    },
  ]
  return `# Generated by monitoring/src/rules.ts (npm run -w monitoring render): edit the source, not this file.\n${stringify({ groups }, { lineWidth: 0 })}`
}
