// SPDX-License-Identifier: MPL-2.0
// Every synthesized stack through the real terraform binary with the AWS provider from /opt/tf-plugins:
// init (offline, from the plugin directory), validate, and plan -refresh=false with fake credentials
// (the stacks' `offline` variable turns on the provider's skip_* settings; no data source needs AWS).
// The stacks run in parallel. Skipped, with the reason, where terraform or the provider is absent.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'
import { promisify } from 'node:util'
import { CLUSTERS } from '../src/clusters.ts'
import { SHARED } from '../src/data-plane.ts'
import { resources, type Stack, type Synthesized, synthesize } from './synthesized.ts'

const run = promisify(execFile)
const PLUGIN_DIR = process.env.PERSONA_TF_PLUGIN_DIR ?? '/opt/tf-plugins'
const TERRAFORM = process.env.PERSONA_TERRAFORM ?? 'terraform'

async function terraformVersion(): Promise<string | undefined> {
  try {
    const { stdout } = await run(TERRAFORM, ['version', '-json'], { timeout: 20_000 })
    return (JSON.parse(stdout) as { terraform_version?: string }).terraform_version
  } catch {
    return undefined
  }
}

const version = await terraformVersion()
const skip = !version
  ? `terraform not found (${TERRAFORM})`
  : !existsSync(`${PLUGIN_DIR}/registry.terraform.io/hashicorp/aws`)
    ? `no AWS provider under ${PLUGIN_DIR}`
    : false

const env = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: process.env.HOME ?? '/tmp',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_EC2_METADATA_DISABLED: 'true',
  TF_IN_AUTOMATION: '1',
  TF_INPUT: '0',
  CHECKPOINT_DISABLE: '1',
}

interface Outcome {
  readonly validate: string
  readonly plan: string
}

async function check(dir: string, vars: string[]): Promise<Outcome> {
  const opts = { cwd: dir, env, timeout: 240_000, maxBuffer: 64 * 1024 * 1024 }
  await run(TERRAFORM, ['init', '-input=false', '-no-color', `-plugin-dir=${PLUGIN_DIR}`], opts)
  const validate = await run(TERRAFORM, ['validate', '-no-color'], opts)
  const plan = await run(
    TERRAFORM,
    ['plan', '-input=false', '-no-color', '-refresh=false', '-lock=false', '-var', 'offline=true', ...vars],
    opts,
  )
  return { validate: validate.stdout, plan: plan.stdout }
}

/** A data_plane value of the shape the home stack and the peers output. */
function sampleDataPlane(stack: Stack): object {
  const region = CLUSTERS.find((c) => stack.name === `persona-${c.name}`)?.region ?? 'eu-west-1'
  const arn = (name: string) =>
    `arn:aws:secretsmanager:${region}:000000000000:secret:persona/home/${name}-AbCdEf`
  return {
    master_zone_id: 'Z0000000000MASTER',
    secret_arns: Object.fromEntries(SHARED.map((n) => [n, arn(n)])),
    peers: Object.fromEntries(
      CLUSTERS.slice(
        0,
        CLUSTERS.findIndex((c) => stack.name === `persona-${c.name}`),
      ).map((c, i) => [
        c.name,
        {
          vpc_id: `vpc-0000000000000000${i}`,
          route_table_id: `rtb-0000000000000000${i}`,
          db_security_group_id: `sg-0000000000000001${i}`,
          dbwriter_security_group_id: `sg-0000000000000002${i}`,
        },
      ]),
    ),
  }
}

describe('terraform validate and plan on every stack', { skip }, () => {
  let app: Synthesized
  const outcomes = new Map<string, Promise<Outcome>>()
  before(() => {
    app = synthesize()
    for (const stack of app.stacks) {
      const vars =
        resources(stack, 'aws_vpc').size > 0
          ? ['-var', 'dns_zone_id=Z0000000000PERSONA', '-var', 'image_tag=v0.0.0-test']
          : []
      // Beside the home cluster: what the stacks before it output (sample values of their shape).
      if (stack.json.variable !== undefined && 'data_plane' in (stack.json.variable as object))
        vars.push('-var', `data_plane=${JSON.stringify(sampleDataPlane(stack))}`)
      const p = check(stack.dir, vars)
      p.catch(() => {}) // reported by the stack's own test
      outcomes.set(stack.name, p)
    }
  })
  after(() => app?.cleanup())

  it('synthesized the global stack and one per cluster', () => {
    assert.equal(app.stacks.length, CLUSTERS.length + 1)
  })

  for (const name of ['persona-global', ...CLUSTERS.map((c) => `persona-${c.name}`)]) {
    it(`${name}: validate and plan succeed`, async () => {
      const outcome = outcomes.get(name)
      assert.ok(outcome, `stack ${name} synthesized`)
      let result: Outcome
      try {
        result = await outcome
      } catch (err) {
        const e = err as { stderr?: string; stdout?: string; message?: string }
        assert.fail(`${name}: ${e.stderr || e.stdout || e.message}`)
      }
      assert.match(result.validate, /The configuration is valid/)
      const m = /Plan: (\d+) to add, 0 to change, 0 to destroy/.exec(result.plan)
      assert.ok(m, result.plan.slice(-2000))
      const stack = app.stacks.find((s) => s.name === name)
      assert.ok(stack)
      // Resources made once per item of a variable (for_each: the alarm topics' subscribers) are none
      // with the variables' empty defaults.
      const declared = Object.values((stack.json.resource ?? {}) as Record<string, object>).reduce(
        (n, byName) =>
          n +
          Object.values(byName as Record<string, { for_each?: unknown }>).filter((r) => !r.for_each).length,
        0,
      )
      // Every other declared resource is planned (none hides behind a count or a failed expression).
      assert.equal(Number(m[1]), declared)
    })
  }
})
