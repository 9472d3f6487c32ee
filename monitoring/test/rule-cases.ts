// SPDX-License-Identifier: MPL-2.0
// Unit cases for the alert rules, run by `promtool test rules` (rules.test.ts writes them out as
// promtool's YAML): input series, and at which times which alerts fire with which labels. Expected
// annotations are the rule's own, with {{ $labels.x }} filled in and {{ $value ... }} given per case.
import { ALERT_RULES } from '../src/rules.ts'

export interface ExpectedAlert {
  readonly labels: Record<string, string>
  /** The text {{ $value | ... }} renders to, for summaries that show the value. */
  readonly value?: string
}

export interface RuleCase {
  readonly name: string
  /** Rule evaluation step: 15s (default) for the short alerts, 5m for the hours-long burn windows. */
  readonly evaluation?: '15s' | '5m'
  readonly interval?: string
  readonly series: readonly { readonly series: string; readonly values: string }[]
  readonly checks: readonly {
    readonly at: string
    readonly alert: string
    readonly expect: readonly ExpectedAlert[]
  }[]
}

const target = (job: string, cluster: string, host: string, hostClass: string, service: string) =>
  `{job="${job}",instance="${host}.${cluster}:1",cluster="${cluster}",host="${host}",host_class="${hostClass}",service="${service}"}`
const upLabels = (cluster: string, host: string, hostClass: string, service: string, job = 'persona') => ({
  job,
  instance: `${host}.${cluster}:1`,
  cluster,
  host,
  host_class: hostClass,
  service,
  severity: 'page',
})

/** A series of the mysqld exporter beside a database (its labels from SHOW ALL SLAVES STATUS too). */
const exporter = (cluster: string, host: string) =>
  `{job="persona-mysqld",instance="${host}.${cluster}:9104",cluster="${cluster}",host="${host}",host_class="db",service="mysqld-exporter",master_host="db-1",connection_name=""}`

/** A counter rising by `perStep` every step for `steps` steps: promtool's `0+NxM` notation. */
const rising = (perStep: number, steps: number) => `0+${perStep}x${steps}`

export const RULE_CASES: readonly RuleCase[] = [
  {
    name: 'a process down for a minute pages, naming cluster, host and service; a blip does not',
    series: [
      { series: `up${target('persona', 'a', 'dbwriter-1', 'dbwriter', 'writer')}`, values: '1 1 1 1 0x12' },
      { series: `up${target('persona', 'a', 'dbwriter-2', 'dbwriter', 'writer')}`, values: '1 1 0 1 1x12' },
      { series: `up${target('persona', 'a', 'webhead-1', 'webhead', 'reader')}`, values: '1x16' },
    ],
    checks: [
      { at: '1m30s', alert: 'ProcessDown', expect: [] },
      {
        at: '2m15s',
        alert: 'ProcessDown',
        expect: [{ labels: upLabels('a', 'dbwriter-1', 'dbwriter', 'writer') }],
      },
      { at: '2m15s', alert: 'HostDown', expect: [] },
    ],
  },
  {
    name: 'nginx and databases count as targets through their probes',
    series: [
      {
        series: `probe_success${target('persona-nginx', 'b', 'webhead-2', 'webhead', 'nginx')}`,
        values: '0x12',
      },
      { series: `probe_success${target('persona-db', 'b', 'db-3', 'db', 'mariadb')}`, values: '1x12' },
    ],
    checks: [
      {
        at: '2m',
        alert: 'ProcessDown',
        expect: [{ labels: upLabels('b', 'webhead-2', 'webhead', 'nginx', 'persona-nginx') }],
      },
    ],
  },
  {
    name: 'every process on a host down: HostDown for the host (and its process alerts, held back by Alertmanager)',
    series: [
      { series: `up${target('persona', 'a', 'webhead-1', 'webhead', 'reader')}`, values: '0x12' },
      { series: `up${target('persona', 'a', 'webhead-1', 'webhead', 'router')}`, values: '0x12' },
      { series: `up${target('persona', 'a', 'webhead-2', 'webhead', 'reader')}`, values: '1x12' },
      { series: `up${target('persona', 'a', 'webhead-2', 'webhead', 'router')}`, values: '0x12' },
    ],
    checks: [
      {
        at: '2m',
        alert: 'HostDown',
        expect: [{ labels: { cluster: 'a', host: 'webhead-1', severity: 'page' } }],
      },
      { at: '2m', alert: 'ClusterDown', expect: [] },
    ],
  },
  {
    name: 'most of a cluster down: one ClusterDown for that cluster only',
    series: [
      { series: `up${target('persona', 'a', 'webhead-1', 'webhead', 'reader')}`, values: '0x12' },
      { series: `up${target('persona', 'a', 'dbwriter-1', 'dbwriter', 'writer')}`, values: '0x12' },
      { series: `up${target('persona', 'a', 'certifier-1', 'certifier', 'certifier')}`, values: '0x12' },
      { series: `up${target('persona', 'b', 'webhead-1', 'webhead', 'reader')}`, values: '1x12' },
    ],
    checks: [
      {
        at: '2m',
        alert: 'ClusterDown',
        expect: [{ labels: { cluster: 'a', severity: 'page' }, value: '100%' }],
      },
    ],
  },
  {
    name: 'the master probe failing for a minute pages once, with no cluster label',
    series: [
      {
        series:
          '{__name__="probe_success",job="persona-db-master",instance="db.persona.internal:3306",service="mariadb",db_role="master"}',
        values: '1 1 0x12',
      },
    ],
    checks: [
      { at: '45s', alert: 'MasterDown', expect: [] },
      { at: '1m15s', alert: 'MasterDown', expect: [{ labels: { severity: 'page' } }] },
    ],
  },
  {
    name: 'verifier errors burning the budget 20x: page after 2 minutes; 0.05% errors: nothing',
    evaluation: '5m',
    interval: '1m',
    series: [
      {
        series: 'persona_verifier_verifications_total{cluster="a",result="okay",reason="none"}',
        values: rising(980, 120),
      },
      {
        series: 'persona_verifier_verifications_total{cluster="a",result="error",reason="internal"}',
        values: rising(20, 120),
      },
      {
        series: 'persona_verifier_verifications_total{cluster="b",result="okay",reason="none"}',
        values: rising(9995, 120),
      },
      {
        series: 'persona_verifier_verifications_total{cluster="b",result="error",reason="internal"}',
        values: rising(5, 120),
      },
    ],
    checks: [
      {
        at: '70m',
        alert: 'VerifierErrorsBudgetBurn',
        expect: [{ labels: { cluster: 'a', severity: 'page', slo: 'verifier_availability' } }],
      },
      // The ticket fires too; Alertmanager holds it back while the page of the same SLO fires.
      {
        at: '70m',
        alert: 'VerifierErrorsBudgetBurnSlow',
        expect: [{ labels: { cluster: 'a', severity: 'ticket', slo: 'verifier_availability' } }],
      },
    ],
  },
  {
    name: 'load shedding (503 too busy) spends the availability budget as errors do; failed assertions do not',
    evaluation: '5m',
    interval: '1m',
    series: [
      {
        series: 'persona_verifier_verifications_total{cluster="a",result="okay",reason="none"}',
        values: rising(980, 120),
      },
      {
        series: 'persona_verifier_verifications_total{cluster="a",result="shed",reason="overload"}',
        values: rising(20, 120),
      },
      {
        series: 'persona_verifier_verifications_total{cluster="b",result="okay",reason="none"}',
        values: rising(500, 120),
      },
      {
        series: 'persona_verifier_verifications_total{cluster="b",result="failure",reason="expired"}',
        values: rising(500, 120),
      },
    ],
    checks: [
      {
        at: '70m',
        alert: 'VerifierErrorsBudgetBurn',
        expect: [{ labels: { cluster: 'a', severity: 'page', slo: 'verifier_availability' } }],
      },
    ],
  },
  {
    name: 'verifications slower than 50 ms for 20% of valid assertions: latency page',
    evaluation: '5m',
    interval: '1m',
    series: [
      {
        series: 'persona_verifier_verification_duration_seconds_bucket{cluster="a",result="okay",le="0.05"}',
        values: rising(800, 120),
      },
      {
        series: 'persona_verifier_verification_duration_seconds_count{cluster="a",result="okay"}',
        values: rising(1000, 120),
      },
    ],
    checks: [
      {
        at: '70m',
        alert: 'VerifierLatencyBudgetBurn',
        expect: [{ labels: { cluster: 'a', severity: 'page', slo: 'verifier_latency' } }],
      },
      {
        at: '70m',
        alert: 'VerifierLatencyBudgetBurnSlow',
        expect: [{ labels: { cluster: 'a', severity: 'ticket', slo: 'verifier_latency' } }],
      },
    ],
  },
  {
    name: 'a slow steady burn (4x over a day) files a ticket, not a page',
    evaluation: '5m',
    interval: '5m',
    series: [
      {
        series: 'persona_verifier_verifications_total{cluster="a",result="okay",reason="none"}',
        values: rising(9960, 320),
      },
      {
        series: 'persona_verifier_verifications_total{cluster="a",result="error",reason="internal"}',
        values: rising(40, 320),
      },
    ],
    checks: [
      {
        at: '25h',
        alert: 'VerifierErrorsBudgetBurnSlow',
        expect: [{ labels: { cluster: 'a', severity: 'ticket', slo: 'verifier_availability' } }],
      },
      { at: '25h', alert: 'VerifierErrorsBudgetBurn', expect: [] },
    ],
  },
  {
    name: 'most sign-ins failing with real traffic: ticket; a few failures: nothing',
    interval: '1m',
    series: [
      {
        series: 'persona_auth_signins_total{cluster="a",method="password",result="ok"}',
        values: rising(10, 40),
      },
      {
        series: 'persona_auth_signins_total{cluster="a",method="password",result="failed"}',
        values: rising(50, 40),
      },
      {
        series: 'persona_auth_signins_total{cluster="b",method="password",result="ok"}',
        values: rising(50, 40),
      },
      {
        series: 'persona_auth_signins_total{cluster="b",method="password",result="failed"}',
        values: rising(5, 40),
      },
    ],
    checks: [
      {
        at: '25m',
        alert: 'SignInFailureSpike',
        expect: [{ labels: { cluster: 'a', severity: 'ticket' }, value: '83.33%' }],
      },
    ],
  },
  {
    name: 'a burst of lockouts: ticket',
    interval: '1m',
    series: [{ series: 'persona_auth_lockouts_total{cluster="a",service="reader"}', values: rising(3, 20) }],
    checks: [
      {
        at: '16m',
        alert: 'LockoutSpike',
        expect: [{ labels: { cluster: 'a', severity: 'ticket' }, value: '45' }],
      },
    ],
  },
  {
    name: 'certifier failing its own requests: page; callers sending bad keys: not',
    interval: '1m',
    series: [
      { series: 'persona_certifier_certificates_issued_total{cluster="a"}', values: rising(90, 20) },
      {
        series: 'persona_certifier_signing_failures_total{cluster="a",reason="internal"}',
        values: rising(10, 20),
      },
      { series: 'persona_certifier_certificates_issued_total{cluster="b"}', values: rising(90, 20) },
      {
        series: 'persona_certifier_signing_failures_total{cluster="b",reason="bad_request"}',
        values: rising(10, 20),
      },
    ],
    checks: [
      {
        at: '12m',
        alert: 'CertificateSigningFailures',
        expect: [{ labels: { cluster: 'a', severity: 'page' }, value: '10%' }],
      },
    ],
  },
  {
    name: 'verification mails failing: page',
    interval: '1m',
    series: [
      { series: 'persona_mail_sent_total{cluster="a",template="new_user"}', values: rising(1, 30) },
      { series: 'persona_mail_failures_total{cluster="a",template="new_user"}', values: rising(3, 30) },
    ],
    checks: [
      {
        at: '25m',
        alert: 'MailFailures',
        expect: [{ labels: { cluster: 'a', severity: 'page' }, value: '75%' }],
      },
    ],
  },
  {
    name: 'proxy refusals jumping far above their daily rate: ticket',
    evaluation: '5m',
    interval: '1m',
    series: [
      { series: 'persona_proxy_refusals_total{cluster="a",reason="address"}', values: '0+1x1440 1441+60x60' },
    ],
    checks: [
      { at: '24h', alert: 'ProxyRefusalSpike', expect: [] },
      {
        at: '25h',
        alert: 'ProxyRefusalSpike',
        expect: [{ labels: { cluster: 'a', severity: 'ticket' }, value: '1' }],
      },
    ],
  },
  {
    name: 'a cluster out of DNS longer than a deploy: page; a deploy-length absence: not',
    interval: '1m',
    series: [
      {
        series:
          '{__name__="probe_success",job="persona-dns-a",instance="127.0.0.1:5353",cluster="a",service="dns"}',
        values: '1 0x40',
      },
      {
        series:
          '{__name__="probe_success",job="persona-dns-b",instance="127.0.0.1:5353",cluster="b",service="dns"}',
        values: '1 0x15 1x25',
      },
    ],
    checks: [
      { at: '20m', alert: 'ClusterOutOfDns', expect: [] },
      { at: '35m', alert: 'ClusterOutOfDns', expect: [{ labels: { cluster: 'a', severity: 'page' } }] },
    ],
  },
  {
    name: 'replica lag (from the exporter beside each replica): a ticket past 30 s, a page past 5 minutes; the GTID gap counts too',
    interval: '1m',
    series: [
      {
        series: `mysql_slave_status_seconds_behind_master${exporter('a', 'db-2')}`,
        values: '60x20',
      },
      {
        series: `mysql_slave_status_seconds_behind_master${exporter('b', 'db-3')}`,
        values: '600x20',
      },
      {
        series:
          'persona_db_gtid_sequence{cluster="a",host="dbwriter-1",service="writer",role="master",domain_id="0"}',
        values: '5000x20',
      },
      {
        series:
          'persona_db_gtid_sequence{cluster="b",host="webhead-2",service="reader",role="replica",domain_id="0"}',
        values: '2000x20',
      },
    ],
    checks: [
      {
        at: '15m',
        alert: 'ReplicaLagging',
        expect: [
          { labels: { cluster: 'a', host: 'db-2', severity: 'ticket' } },
          { labels: { cluster: 'b', host: 'db-3', severity: 'ticket' } },
          { labels: { cluster: 'b', host: 'webhead-2', severity: 'ticket' } },
        ],
      },
      {
        at: '15m',
        alert: 'ReplicaFarBehind',
        expect: [{ labels: { cluster: 'b', host: 'db-3', severity: 'page' } }],
      },
    ],
  },
  {
    name: 'a replica whose replication stopped pages after 5 minutes; a dead exporter files a ticket',
    interval: '1m',
    series: [
      { series: `mysql_slave_status_slave_io_running${exporter('a', 'db-2')}`, values: '1 1 0x18' },
      { series: `mysql_slave_status_slave_sql_running${exporter('a', 'db-2')}`, values: '1x20' },
      { series: `mysql_slave_status_slave_io_running${exporter('a', 'db-3')}`, values: '1x20' },
      { series: `mysql_slave_status_slave_sql_running${exporter('a', 'db-3')}`, values: '1x20' },
      { series: `up${target('persona-mysqld', 'b', 'db-1', 'db', 'mysqld-exporter')}`, values: '0x20' },
    ],
    checks: [
      { at: '5m', alert: 'ReplicationStopped', expect: [] },
      {
        at: '8m',
        alert: 'ReplicationStopped',
        expect: [{ labels: { cluster: 'a', host: 'db-2', severity: 'page' } }],
      },
      {
        at: '12m',
        alert: 'MysqldExporterDown',
        expect: [
          {
            labels: {
              ...upLabels('b', 'db-1', 'db', 'mysqld-exporter', 'persona-mysqld'),
              severity: 'ticket',
            },
          },
        ],
      },
    ],
  },
  {
    name: 'database errors, bcrypt backlog and event-loop lag: tickets',
    interval: '1m',
    series: [
      {
        series:
          'persona_db_errors_total{cluster="a",host="dbwriter-1",service="writer",role="master",class="unavailable"}',
        values: rising(30, 20),
      },
      {
        series: 'persona_auth_bcrypt_queue_depth{cluster="a",host="dbwriter-1",service="writer"}',
        values: '50x20',
      },
      {
        series: 'nodejs_eventloop_lag_p99_seconds{cluster="a",host="webhead-1",service="verifier"}',
        values: '0.5x20',
      },
    ],
    checks: [
      {
        at: '15m',
        alert: 'DatabaseErrors',
        expect: [{ labels: { cluster: 'a', service: 'writer', severity: 'ticket' }, value: '500m' }],
      },
      {
        at: '15m',
        alert: 'BcryptBacklog',
        expect: [
          {
            labels: { cluster: 'a', host: 'dbwriter-1', service: 'writer', severity: 'ticket' },
            value: '50',
          },
        ],
      },
      {
        at: '15m',
        alert: 'EventLoopLag',
        expect: [
          {
            labels: { cluster: 'a', host: 'webhead-1', service: 'verifier', severity: 'ticket' },
            value: '500ms',
          },
        ],
      },
    ],
  },
  {
    name: 'the watchdog always fires',
    series: [],
    checks: [{ at: '1m', alert: 'Watchdog', expect: [{ labels: { severity: 'none' } }] }],
  },
]

/** Fills a rule's annotation template the way Prometheus would for these labels and value text. */
export function expand(template: string, labels: Record<string, string>, value: string | undefined): string {
  return template
    .replace(/\{\{ \$labels\.([a-z_]+) \}\}/g, (_m, k: string) => labels[k] ?? '')
    .replace(/\{\{ \$value(?: \| [a-zA-Z]+)? \}\}/g, () => {
      if (value === undefined) throw new Error(`a case must give the value text for: ${template}`)
      return value
    })
}

/** promtool's test file for the cases of one evaluation step, against `ruleFile`. */
export function promtoolTests(ruleFile: string, evaluation: '15s' | '5m'): object {
  return {
    rule_files: [ruleFile],
    evaluation_interval: evaluation,
    tests: RULE_CASES.filter((c) => (c.evaluation ?? '15s') === evaluation).map((c) => ({
      name: c.name,
      interval: c.interval ?? '15s',
      input_series: c.series,
      alert_rule_test: c.checks.map((check) => {
        const rule = ALERT_RULES.find((r) => r.alert === check.alert)
        if (rule === undefined) throw new Error(`no alert ${check.alert}`)
        return {
          eval_time: check.at,
          alertname: check.alert,
          exp_alerts: check.expect.map((e) => ({
            exp_labels: e.labels,
            exp_annotations: {
              summary: expand(rule.summary, e.labels, e.value),
              ...(rule.description === undefined ? {} : { description: rule.description }),
              runbook: rule.runbook,
            },
          })),
        }
      }),
    })),
  }
}
