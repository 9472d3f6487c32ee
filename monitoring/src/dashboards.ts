// SPDX-License-Identifier: MPL-2.0
// Grafana dashboards as code: each dashboard a list of panels, each panel its PromQL; rendered to
// Grafana's JSON model (monitoring/dashboards/*.json, and importable as they are). Every dashboard has
// `datasource` and `cluster` variables; the cluster dashboard repeats per cluster. The live test runs
// every panel's query against a real Prometheus and requires data.
import { VERIFY_LATENCY_SECONDS } from './slo.ts'

export interface PanelSpec {
  readonly title: string
  readonly unit: 'short' | 'reqps' | 'ops' | 's' | 'percentunit' | 'none'
  readonly kind?: 'timeseries' | 'stat'
  readonly targets: readonly { readonly expr: string; readonly legend: string }[]
  readonly description?: string
}

export interface DashboardSpec {
  readonly uid: string
  readonly title: string
  readonly description: string
  readonly panels: readonly PanelSpec[]
}

/** `$cluster` as Grafana substitutes it (a regex of the chosen clusters). */
const C = 'cluster=~"$cluster"'

export const DASHBOARDS: readonly DashboardSpec[] = [
  {
    uid: 'persona-verifier',
    title: 'Persona / Verifier',
    description:
      'POST /verify: answers by result and reason, latency against the SLO, support documents, shedding',
    panels: [
      {
        title: 'Verifications by result',
        unit: 'reqps',
        targets: [
          {
            expr: `sum by (result) (rate(persona_verifier_verifications_total{${C}}[$__rate_interval]))`,
            legend: '{{result}}',
          },
        ],
      },
      {
        title: 'Failures by reason class',
        unit: 'reqps',
        targets: [
          {
            expr: `sum by (reason) (rate(persona_verifier_verifications_total{${C},result="failure"}[$__rate_interval]))`,
            legend: '{{reason}}',
          },
        ],
      },
      {
        title: 'Latency of valid assertions (p50, p99)',
        unit: 's',
        targets: [0.5, 0.99].map((q) => ({
          expr: `histogram_quantile(${q}, sum by (le) (rate(persona_verifier_verification_duration_seconds_bucket{${C},result="okay"}[$__rate_interval])))`,
          legend: `p${q * 100}`,
        })),
      },
      {
        title: `Share of valid assertions within ${VERIFY_LATENCY_SECONDS * 1000} ms (SLO 99%)`,
        unit: 'percentunit',
        kind: 'stat',
        targets: [
          {
            expr: `sum(rate(persona_verifier_verification_duration_seconds_bucket{${C},result="okay",le="${VERIFY_LATENCY_SECONDS}"}[1h])) / sum(rate(persona_verifier_verification_duration_seconds_count{${C},result="okay"}[1h]))`,
            legend: 'last hour',
          },
        ],
      },
      {
        title: 'Answered, neither an error nor shed (SLO 99.9%)',
        unit: 'percentunit',
        kind: 'stat',
        description: 'A shed request (503 too busy) counts against the SLO, as an error does',
        targets: [
          {
            expr: `1 - (sum(rate(persona_verifier_verifications_total{${C},result=~"error|shed"}[1h])) or vector(0)) / sum(rate(persona_verifier_verifications_total{${C}}[1h]))`,
            legend: 'last hour',
          },
        ],
      },
      {
        title: 'Support-document fetches by outcome (proxy)',
        unit: 'ops',
        targets: [
          {
            expr: `sum by (outcome) (rate(persona_proxy_support_document_fetches_total{${C}}[$__rate_interval]))`,
            legend: '{{outcome}}',
          },
        ],
      },
      {
        title: 'Proxy refusals by reason',
        unit: 'ops',
        targets: [
          {
            expr: `sum by (reason) (rate(persona_proxy_refusals_total{${C}}[$__rate_interval]))`,
            legend: '{{reason}}',
          },
        ],
      },
      {
        title: 'Verifications shed (503 too busy) and failed by the verifier (5xx)',
        unit: 'reqps',
        targets: [
          {
            expr: `sum by (result) (rate(persona_verifier_verifications_total{${C},result=~"shed|error"}[$__rate_interval]))`,
            legend: '{{result}}',
          },
        ],
      },
      {
        title: 'Verifier event-loop lag (p99) and workers',
        unit: 's',
        targets: [
          {
            expr: `max by (host) (nodejs_eventloop_lag_p99_seconds{${C},service="verifier"})`,
            legend: 'lag {{host}}',
          },
          {
            expr: `sum by (host) (persona_process_workers{${C},service="verifier"})`,
            legend: 'workers {{host}}',
          },
        ],
      },
    ],
  },
  {
    uid: 'persona-signin',
    title: 'Persona / Sign-in funnel',
    description: 'From sign-up to a certificate: staged accounts, mails, sign-ins, lockouts, certificates',
    panels: [
      {
        title: 'Sign-ups: links mailed (staged) and accounts or addresses made (completed)',
        unit: 'ops',
        targets: [
          {
            expr: `sum by (kind, step) (rate(persona_auth_signups_total{${C}}[$__rate_interval]))`,
            legend: '{{kind}} {{step}}',
          },
        ],
      },
      {
        title: 'Verification mails sent and failed',
        unit: 'ops',
        targets: [
          { expr: `sum(rate(persona_mail_sent_total{${C}}[$__rate_interval]))`, legend: 'sent' },
          { expr: `sum(rate(persona_mail_failures_total{${C}}[$__rate_interval]))`, legend: 'failed' },
        ],
      },
      {
        title: 'Sign-ins by method and result',
        unit: 'ops',
        targets: [
          {
            expr: `sum by (method, result) (rate(persona_auth_signins_total{${C}}[$__rate_interval]))`,
            legend: '{{method}} {{result}}',
          },
        ],
      },
      {
        title: 'Lockouts',
        unit: 'short',
        targets: [
          {
            expr: `sum(increase(persona_auth_lockouts_total{${C}}[$__range]))`,
            legend: 'sign-ins refused: locked out',
          },
        ],
        kind: 'stat',
      },
      {
        title: 'Certificates issued and refused',
        unit: 'ops',
        targets: [
          {
            expr: `sum(rate(persona_certifier_certificates_issued_total{${C}}[$__rate_interval]))`,
            legend: 'issued',
          },
          {
            expr: `sum by (reason) (rate(persona_certifier_signing_failures_total{${C}}[$__rate_interval]))`,
            legend: 'refused: {{reason}}',
          },
        ],
      },
      {
        title: 'Security events',
        unit: 'ops',
        targets: [
          {
            expr: `sum by (event) (rate(persona_security_events_total{${C}}[$__rate_interval]))`,
            legend: '{{event}}',
          },
        ],
      },
      {
        title: 'Password hashes waiting (bcrypt queue)',
        unit: 'short',
        targets: [
          {
            expr: `max by (host, service) (persona_auth_bcrypt_queue_depth{${C}})`,
            legend: '{{service}} {{host}}',
          },
        ],
      },
    ],
  },
  {
    uid: 'persona-database',
    title: 'Persona / Database',
    description: 'The master, the replicas of each cluster, replication lag and GTID gap, database errors',
    panels: [
      {
        title: 'Master accepting connections',
        unit: 'none',
        kind: 'stat',
        targets: [{ expr: 'persona:master:up', legend: 'master' }],
      },
      {
        title: 'Database servers up',
        unit: 'none',
        targets: [{ expr: `persona:target:up{${C},service="mariadb"}`, legend: '{{cluster}} {{host}}' }],
      },
      {
        title: 'Replica lag (seconds behind the master, as each replica reports it)',
        unit: 's',
        targets: [{ expr: `persona:db_replica_lag:seconds{${C}}`, legend: '{{cluster}} {{host}}' }],
      },
      {
        title: 'Replication threads running (1: both, 0: stopped)',
        unit: 'none',
        targets: [{ expr: `persona:db_replication:running{${C}}`, legend: '{{cluster}} {{host}}' }],
      },
      {
        title: "GTID gap to the master (transactions a reader's replica has not applied)",
        unit: 'short',
        targets: [{ expr: `persona:db_gtid_gap:transactions{${C}}`, legend: '{{cluster}} {{host}}' }],
      },
      {
        title: 'Connections and statements per database server',
        unit: 'short',
        targets: [
          {
            expr: `max by (cluster, host) (mysql_global_status_threads_connected{${C}})`,
            legend: 'connections {{cluster}} {{host}}',
          },
          {
            expr: `sum by (cluster, host) (rate(mysql_global_status_queries{${C}}[$__rate_interval]))`,
            legend: 'statements/s {{cluster}} {{host}}',
          },
        ],
      },
      {
        title: 'Database errors by role and class',
        unit: 'ops',
        targets: [
          {
            expr: `sum by (role, class) (rate(persona_db_errors_total{${C}}[$__rate_interval])) or vector(0)`,
            legend: '{{role}} {{class}}',
          },
        ],
      },
    ],
  },
  {
    uid: 'persona-cluster',
    title: 'Persona / Cluster',
    description: 'One cluster at a glance: every process up, versions, traffic and errors, DNS and alerts',
    panels: [
      {
        title: 'Processes up',
        unit: 'none',
        kind: 'stat',
        targets: [
          { expr: `sum(persona:target:up{${C}}) / count(persona:target:up{${C}})`, legend: 'share up' },
        ],
      },
      {
        title: 'Targets down',
        unit: 'none',
        targets: [{ expr: `(persona:target:up{${C}} == 0) or vector(0)`, legend: '{{service}} {{host}}' }],
      },
      {
        title: 'Running versions',
        unit: 'none',
        targets: [
          {
            expr: `count by (service, version) (persona_build_info{${C}})`,
            legend: '{{service}} {{version}}',
          },
        ],
      },
      {
        title: 'Requests by service',
        unit: 'reqps',
        targets: [
          {
            expr: `sum by (service) (rate(persona_http_request_duration_seconds_count{${C}}[$__rate_interval]))`,
            legend: '{{service}}',
          },
        ],
      },
      {
        title: 'Server errors (5xx) by service',
        unit: 'reqps',
        targets: [
          {
            expr: `sum by (service) (rate(persona_http_request_duration_seconds_count{${C},status=~"5.."}[$__rate_interval])) or vector(0)`,
            legend: '{{service}}',
          },
        ],
      },
      {
        title: 'Drained by a deploy (health check failing)',
        unit: 'none',
        targets: [{ expr: `persona:cluster:drained{${C}} or on () vector(0)`, legend: '{{cluster}}' }],
      },
      {
        title: 'In DNS',
        unit: 'none',
        targets: [{ expr: `persona:cluster:in_dns{${C}} or on () vector(1)`, legend: '{{cluster}}' }],
        description:
          'Out of DNS while a deploy drains the cluster (a silence holds its alerts) or after a failed one',
      },
      {
        title: 'Event-loop lag p99 by service',
        unit: 's',
        targets: [
          { expr: `max by (service) (nodejs_eventloop_lag_p99_seconds{${C}})`, legend: '{{service}}' },
        ],
      },
      {
        title: 'Alerts firing',
        unit: 'none',
        targets: [
          {
            expr: 'sum by (alertname, severity) (ALERTS{alertstate="firing"})',
            legend: '{{alertname}} ({{severity}})',
          },
        ],
      },
    ],
  },
]

/** Grafana's JSON model of one dashboard. */
export function renderDashboard(d: DashboardSpec): string {
  // Grafana's own variable syntax, not a template literal.
  const ds = { type: 'prometheus', uid: ['$', '{datasource}'].join('') }
  const dashboard = {
    uid: d.uid,
    title: d.title,
    description: d.description,
    tags: ['persona'],
    editable: true,
    schemaVersion: 39,
    version: 1,
    time: { from: 'now-6h', to: 'now' },
    refresh: '30s',
    templating: {
      list: [
        { name: 'datasource', label: 'Prometheus', type: 'datasource', query: 'prometheus' },
        {
          name: 'cluster',
          label: 'Cluster',
          type: 'query',
          datasource: ds,
          query: 'label_values(persona_build_info, cluster)',
          refresh: 2,
          includeAll: true,
          multi: true,
          allValue: '.*',
          current: { text: 'All', value: '$__all' },
        },
      ],
    },
    panels: d.panels.map((p, i) => ({
      id: i + 1,
      type: p.kind ?? 'timeseries',
      title: p.title,
      ...(p.description === undefined ? {} : { description: p.description }),
      datasource: ds,
      gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
      fieldConfig: { defaults: { unit: p.unit }, overrides: [] },
      targets: p.targets.map((t, j) => ({
        refId: String.fromCharCode(65 + j),
        datasource: ds,
        expr: t.expr,
        legendFormat: t.legend,
      })),
    })),
  }
  return `${JSON.stringify(dashboard, null, 2)}\n`
}

/**
 * A panel's query as Prometheus runs it for one instant: Grafana's variables filled in (all clusters,
 * a 5-minute rate interval, a 1-hour range).
 */
export function instantQuery(expr: string): string {
  return expr
    .replace(/\$cluster/g, '.*')
    .replace(/\$__rate_interval/g, '5m')
    .replace(/\$__range/g, '1h')
}
