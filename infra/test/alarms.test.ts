// SPDX-License-Identifier: MPL-2.0
// The CloudWatch alarms each cluster stack synthesizes (infra/src/alarms.ts): the public load balancer's
// error ratio and latency, a no-healthy-host and an unhealthy-host alarm on every target group (bound to
// the load balancer that forwards to it), the Route 53 health check's alarm in us-east-1 where Route 53
// publishes it, every alarm notifying (and clearing on) the SNS topic of its severity, the topics'
// subscribers from variables, and the README listing each alarm. No cloud, no terraform binary needed.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { ALARMS, SEVERITIES } from '../src/alarms.ts'
import { CLUSTERS } from '../src/clusters.ts'
import {
  type Json,
  list,
  refName,
  resources,
  type Stack,
  type Synthesized,
  str,
  synthesize,
} from './synthesized.ts'

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)

/** `${aws_x.name.attr}` -> name. */
const ref = (v: unknown, type: string): string => refName(v, type) ?? `(not a ${type}: ${String(v)})`

describe('CloudWatch alarms and escalation topics per cluster', () => {
  let app: Synthesized
  before(() => {
    app = synthesize()
  })
  after(() => app?.cleanup())
  const clusterStacks = (): Stack[] => app.stacks.filter((s) => resources(s, 'aws_vpc').size > 0)

  it('synthesizes them in every cluster stack', () => {
    assert.equal(clusterStacks().length, CLUSTERS.length)
  })

  it("notifies, and clears on, the SNS topic of each alarm's severity; subscribers come from variables", () => {
    for (const stack of clusterStacks()) {
      const topics = resources(stack, 'aws_sns_topic')
      for (const sev of SEVERITIES) assert.ok(topics.has(`alarms-${sev}`), `${stack.name}: topic ${sev}`)
      const alarms = resources(stack, 'aws_cloudwatch_metric_alarm')
      assert.ok(alarms.size >= 5, `${stack.name}: ${alarms.size} alarms`)
      for (const [id, a] of alarms) {
        const sev = isObj(a.tags) ? str(a.tags.severity) : ''
        assert.ok((SEVERITIES as readonly string[]).includes(sev), `${id}: severity ${sev}`)
        const topic = ref(list(a.alarm_actions)[0], 'aws_sns_topic')
        assert.equal(list(a.alarm_actions).length, 1)
        assert.deepEqual(a.ok_actions, a.alarm_actions, `${id}: resolves where it fired`)
        assert.ok(
          topic === `alarms-${sev}` || (sev === 'page' && topic === 'alarms-dns-page'),
          `${id} -> ${topic}`,
        )
        assert.ok(str(a.alarm_description).length > 40, `${id}: says what and what to do`)
      }
      const subs = resources(stack, 'aws_sns_topic_subscription')
      for (const [id, s] of subs) {
        assert.equal(s.protocol, 'https', id)
        assert.match(
          str(s.for_each),
          /^\$\{toset\(var\.alarm_(page|ticket)_endpoints\)\}$|var\.alarm_(page|ticket)_endpoints/,
          id,
        )
      }
      assert.equal(subs.size, 3, `${stack.name}: page, ticket, and the us-east-1 page topic`)
    }
  })

  it("pages on the public load balancer's 5xx ratio; files a ticket on its p99 latency", () => {
    for (const stack of clusterStacks()) {
      const alarms = resources(stack, 'aws_cloudwatch_metric_alarm')
      const errors = alarms.get(ALARMS.lb5xx.id)
      assert.ok(errors, `${stack.name}: ${ALARMS.lb5xx.id}`)
      const queries = list(errors.metric_query).filter(isObj)
      const metrics = queries.flatMap((q) => list(q.metric).filter(isObj))
      assert.deepEqual(metrics.map((m) => str(m.metric_name)).sort(), [
        'HTTPCode_ELB_5XX_Count',
        'HTTPCode_Target_5XX_Count',
        'RequestCount',
      ])
      for (const m of metrics) {
        assert.equal(m.namespace, 'AWS/ApplicationELB')
        assert.equal(ref(isObj(m.dimensions) ? m.dimensions.LoadBalancer : '', 'aws_lb'), 'lb-public')
      }
      assert.equal(queries.filter((q) => q.return_data === true).length, 1, 'one expression decides')
      assert.equal(errors.threshold, 0.01)
      const latency = alarms.get(ALARMS.lbLatency.id)
      assert.equal(latency?.extended_statistic, 'p99')
      assert.equal(
        ref(isObj(latency?.dimensions) ? latency.dimensions.LoadBalancer : '', 'aws_lb'),
        'lb-public',
      )
    }
  })

  it('watches every target group, bound to the load balancer that forwards to it', () => {
    for (const stack of clusterStacks()) {
      const alarms = [...resources(stack, 'aws_cloudwatch_metric_alarm').values()]
      // Which load balancer forwards to each target group, from the listeners.
      const lbOf = new Map<string, string>()
      for (const l of resources(stack, 'aws_lb_listener').values()) {
        const action = list(l.default_action).filter(isObj)[0]
        lbOf.set(ref(action?.target_group_arn, 'aws_lb_target_group'), ref(l.load_balancer_arn, 'aws_lb'))
      }
      const tgs = [...resources(stack, 'aws_lb_target_group').keys()]
      assert.ok(tgs.length >= 3, `${stack.name}: target groups`)
      for (const tg of tgs) {
        for (const [metric, sev] of [
          ['HealthyHostCount', 'page'],
          ['UnHealthyHostCount', 'ticket'],
        ] as const) {
          const a = alarms.find(
            (x) =>
              x.metric_name === metric &&
              isObj(x.dimensions) &&
              ref(x.dimensions.TargetGroup, 'aws_lb_target_group') === tg,
          )
          assert.ok(a, `${stack.name}: ${metric} alarm on ${tg}`)
          assert.equal(isObj(a.tags) ? a.tags.severity : '', sev)
          assert.equal(ref(isObj(a.dimensions) ? a.dimensions.LoadBalancer : '', 'aws_lb'), lbOf.get(tg))
        }
      }
    }
  })

  it('pages when the Route 53 health check fails, from us-east-1 where Route 53 publishes it', () => {
    for (const stack of clusterStacks()) {
      const a = resources(stack, 'aws_cloudwatch_metric_alarm').get(ALARMS.dnsHealth.id)
      assert.ok(a)
      assert.equal(a.namespace, 'AWS/Route53')
      assert.equal(a.metric_name, 'HealthCheckStatus')
      assert.equal(
        ref(isObj(a.dimensions) ? a.dimensions.HealthCheckId : '', 'aws_route53_health_check'),
        'health',
      )
      assert.equal(a.provider, 'aws.us_east_1')
      assert.equal(resources(stack, 'aws_sns_topic').get('alarms-dns-page')?.provider, 'aws.us_east_1')
      const providers = list(isObj(stack.json.provider) ? stack.json.provider.aws : undefined).filter(isObj)
      assert.equal(providers.find((p) => p.alias === 'us_east_1')?.region, 'us-east-1')
    }
  })

  it("the README's runbook lists every alarm with its first step", () => {
    const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8')
    for (const a of Object.values(ALARMS)) {
      assert.ok(readme.includes(`| \`${a.id}\` | ${a.severity} |`), `README lists ${a.id}`)
      assert.ok(readme.includes(a.firstStep), `README has the first step of ${a.id}`)
    }
  })
})
