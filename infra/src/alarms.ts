// SPDX-License-Identifier: MPL-2.0
// CloudWatch alarms of one cluster, for what only AWS sees: the public load balancer (errors it or the
// webheads answer, latency), every target group (a host class left without a healthy host, or with a
// failing one), and the Route 53 health check DNS routes by. Severities are Alertmanager's: `page`
// wakes someone, `ticket` waits for the day; each goes to its SNS topic, whose subscribers (the pager's
// and the ticket system's HTTPS endpoints) are the variables alarm_page_endpoints and
// alarm_ticket_endpoints. Route 53 publishes health-check metrics in us-east-1 only: that alarm and a
// page topic of its own live there (a provider alias). README "Operating Persona" lists each alarm.
import {
  AwsProvider,
  type AwsProviderConfig,
  CloudwatchMetricAlarm,
  type Construct,
  type Lb,
  type LbTargetGroup,
  type Route53HealthCheck,
  SnsTopic,
  SnsTopicSubscription,
  TerraformIterator,
  TerraformOutput,
  TerraformVariable,
} from './aws.ts'

export const SEVERITIES = ['page', 'ticket'] as const
export type Severity = (typeof SEVERITIES)[number]

/** The alarms, as data: the README's table and the synth test read it. */
export interface AlarmSpec {
  /** Name suffix: persona-<cluster>-<id> (target groups: persona-<cluster>-<id>-<target group>). */
  readonly id: string
  readonly severity: Severity
  readonly what: string
  readonly firstStep: string
}

export const ALARMS = {
  lb5xx: {
    id: 'lb-5xx',
    severity: 'page',
    what: 'More than 1% of requests to the public load balancer answered 5xx (by it or the webheads) for 5 minutes',
    firstStep:
      'Check the cluster on the Persona dashboards (which service errs); take the cluster out of DNS with the deploy tool if it does not recover, roll back a fresh deploy.',
  },
  lbLatency: {
    id: 'lb-latency',
    severity: 'ticket',
    what: "The webheads' p99 response time behind the public load balancer above 1 s for 15 minutes",
    firstStep:
      'Look at the verifier and sign-in latency panels and host CPU; add webheads if they are saturated.',
  },
  noHealthyHost: {
    id: 'no-healthy',
    severity: 'page',
    what: 'A target group (a host class behind a load balancer) has no healthy host for 2 minutes',
    firstStep:
      'That class is down in this cluster: take the cluster out of DNS with the deploy tool, then look at the hosts (boot log, heartbeat).',
  },
  unhealthyHost: {
    id: 'unhealthy',
    severity: 'ticket',
    what: 'A target group has an unhealthy host for 10 minutes',
    firstStep:
      'Replace the host (the autoscaling group does once it fails its health check) and read why it failed.',
  },
  dnsHealth: {
    id: 'dns-health',
    severity: 'page',
    what: 'The Route 53 health check of the cluster fails for 3 minutes: DNS stops sending users there',
    firstStep:
      'Users go to the other clusters; find why /__heartbeat__ fails through the load balancer (database, writer, certifier) and fix or keep the cluster drained.',
  },
} as const satisfies Record<string, AlarmSpec>

export interface ClusterAlarmProps {
  readonly cluster: string
  /** The stack's provider settings, for the us-east-1 alias. */
  readonly provider: Pick<
    AwsProviderConfig,
    'skipCredentialsValidation' | 'skipRequestingAccountId' | 'skipMetadataApiCheck'
  >
  readonly publicLb: Lb
  /** Every target group with the load balancer that forwards to it. */
  readonly targetGroups: readonly { readonly lb: Lb; readonly tg: LbTargetGroup; readonly name: string }[]
  readonly healthCheck: Route53HealthCheck
}

/** The cluster's alarms and topics; returns the topics' ARNs by severity (also outputs). */
export function clusterAlarms(scope: Construct, p: ClusterAlarmProps): Record<Severity, string> {
  const name = (suffix: string) => `persona-${p.cluster}-${suffix}`
  const endpoints = Object.fromEntries(
    SEVERITIES.map((sev) => [
      sev,
      new TerraformVariable(scope, `alarm_${sev}_endpoints`, {
        type: 'list(string)',
        default: [],
        description: `HTTPS endpoints that receive the cluster's ${sev} alarms through SNS (the pager's, the ticket system's)`,
      }),
    ]),
  ) as Record<Severity, TerraformVariable>
  const subscribe = (id: string, topic: SnsTopic, sev: Severity, provider?: AwsProvider) => {
    const each = TerraformIterator.fromList(endpoints[sev].listValue)
    new SnsTopicSubscription(scope, id, {
      forEach: each,
      topicArn: topic.arn,
      protocol: 'https',
      endpoint: each.value,
      endpointAutoConfirms: false,
      ...(provider === undefined ? {} : { provider }),
    })
  }
  const topics = Object.fromEntries(
    SEVERITIES.map((sev) => {
      const topic = new SnsTopic(scope, `alarms-${sev}`, { name: name(`alarms-${sev}`) })
      subscribe(`alarms-${sev}-subscription`, topic, sev)
      return [sev, topic]
    }),
  ) as Record<Severity, SnsTopic>

  const alarm = (
    id: string,
    spec: AlarmSpec,
    config: Omit<
      ConstructorParameters<typeof CloudwatchMetricAlarm>[2],
      'alarmName' | 'alarmActions' | 'okActions' | 'alarmDescription'
    >,
    topic: SnsTopic = topics[spec.severity],
  ) =>
    new CloudwatchMetricAlarm(scope, id, {
      alarmName: name(id),
      alarmDescription: `${spec.what}. First: ${spec.firstStep}`,
      alarmActions: [topic.arn],
      okActions: [topic.arn],
      tags: { severity: spec.severity },
      ...config,
    })

  const lbDim = { LoadBalancer: p.publicLb.arnSuffix }
  const lbMetric = (id: string, metricName: string) => ({
    id,
    metric: { namespace: 'AWS/ApplicationELB', metricName, dimensions: lbDim, period: 60, stat: 'Sum' },
  })
  alarm(ALARMS.lb5xx.id, ALARMS.lb5xx, {
    comparisonOperator: 'GreaterThanThreshold',
    threshold: 0.01,
    evaluationPeriods: 5,
    datapointsToAlarm: 5,
    treatMissingData: 'notBreaching',
    metricQuery: [
      lbMetric('elb5xx', 'HTTPCode_ELB_5XX_Count'),
      lbMetric('target5xx', 'HTTPCode_Target_5XX_Count'),
      lbMetric('requests', 'RequestCount'),
      {
        id: 'ratio',
        expression: '(FILL(elb5xx, 0) + FILL(target5xx, 0)) / requests',
        label: '5xx ratio',
        returnData: true,
      },
    ],
  })
  alarm(ALARMS.lbLatency.id, ALARMS.lbLatency, {
    namespace: 'AWS/ApplicationELB',
    metricName: 'TargetResponseTime',
    dimensions: lbDim,
    extendedStatistic: 'p99',
    period: 300,
    evaluationPeriods: 3,
    comparisonOperator: 'GreaterThanThreshold',
    threshold: 1,
    treatMissingData: 'notBreaching',
  })
  for (const { lb, tg, name: tgName } of p.targetGroups) {
    const dimensions = { LoadBalancer: lb.arnSuffix, TargetGroup: tg.arnSuffix }
    alarm(`${ALARMS.noHealthyHost.id}-${tgName}`, ALARMS.noHealthyHost, {
      namespace: 'AWS/ApplicationELB',
      metricName: 'HealthyHostCount',
      dimensions,
      statistic: 'Minimum',
      period: 60,
      evaluationPeriods: 2,
      comparisonOperator: 'LessThanThreshold',
      threshold: 1,
      // No data from a load balancer means no host reports: as bad as none healthy.
      treatMissingData: 'breaching',
    })
    alarm(`${ALARMS.unhealthyHost.id}-${tgName}`, ALARMS.unhealthyHost, {
      namespace: 'AWS/ApplicationELB',
      metricName: 'UnHealthyHostCount',
      dimensions,
      statistic: 'Maximum',
      period: 60,
      evaluationPeriods: 10,
      comparisonOperator: 'GreaterThanThreshold',
      threshold: 0,
      treatMissingData: 'notBreaching',
    })
  }

  // Route 53's metrics are in us-east-1, and an alarm notifies topics of its own region.
  const global = new AwsProvider(scope, 'aws-us-east-1', {
    alias: 'us_east_1',
    region: 'us-east-1',
    ...p.provider,
    defaultTags: [{ tags: { project: 'persona', cluster: p.cluster } }],
  })
  const dnsTopic = new SnsTopic(scope, 'alarms-dns-page', { name: name('alarms-dns-page'), provider: global })
  subscribe('alarms-dns-page-subscription', dnsTopic, 'page', global)
  new CloudwatchMetricAlarm(scope, ALARMS.dnsHealth.id, {
    provider: global,
    alarmName: name(ALARMS.dnsHealth.id),
    alarmDescription: `${ALARMS.dnsHealth.what}. First: ${ALARMS.dnsHealth.firstStep}`,
    alarmActions: [dnsTopic.arn],
    okActions: [dnsTopic.arn],
    tags: { severity: ALARMS.dnsHealth.severity },
    namespace: 'AWS/Route53',
    metricName: 'HealthCheckStatus',
    dimensions: { HealthCheckId: p.healthCheck.id },
    statistic: 'Minimum',
    period: 60,
    evaluationPeriods: 3,
    comparisonOperator: 'LessThanThreshold',
    threshold: 1,
    treatMissingData: 'breaching',
  })

  const arns = { page: topics.page.arn, ticket: topics.ticket.arn }
  new TerraformOutput(scope, 'alarm_topics', { value: { ...arns, dns_page: dnsTopic.arn } })
  return arns
}
