// SPDX-License-Identifier: MPL-2.0
// Fuzzing by a tool nobody here wrote: Schemathesis (from PyPI, installed by scripts/deps.sh test into
// .tools/schemathesis) against the live local stack, as `make dev` runs it. It reads the public API's
// OpenAPI description where relying sites read it (GET /openapi.json through nginx) and the proxy's
// own description on its internal port, and runs every operation with bounded examples (coverage and
// fuzzing phases, positive and negative data), checking for server errors, answers that do not
// conform to the declared schemas, and undeclared status codes. Zero failures. Reports (JUnit) go to
// test-output/schemathesis/; a failure prints Schemathesis's own account, seed and replay command.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { type Stack, startStack } from '../../scripts/dev/stack.ts'

const ROOT = join(import.meta.dirname, '..', '..')
const ST = join(ROOT, '.tools', 'schemathesis', 'bin', 'st')
const REPORTS = join(ROOT, 'test-output', 'schemathesis')
const CHECKS = 'not_a_server_error,response_schema_conformance,status_code_conformance'

interface Run {
  readonly code: number | null
  readonly output: string
}

function schemathesis(args: readonly string[], cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    // Run in a scratch directory: Schemathesis keeps a cache (.schemathesis/) where it runs.
    const child = spawn(ST, [...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', SCHEMATHESIS_TELEMETRY: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (c: Buffer) => {
      output += c.toString()
    })
    child.stderr.on('data', (c: Buffer) => {
      output += c.toString()
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, output }))
  })
}

/** Every operation of a description, as `METHOD path`. */
async function operations(url: string): Promise<string[]> {
  const doc = (await (await fetch(url)).json()) as { paths?: Record<string, Record<string, unknown>> }
  return Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`),
  )
}

async function fuzz(name: string, description: string, maxExamples: number, cwd: string): Promise<void> {
  const ops = await operations(description)
  assert.ok(ops.length > 0, `${description} describes no operation`)
  const run = await schemathesis(
    [
      'run',
      description,
      '--checks',
      CHECKS,
      '--max-examples',
      String(maxExamples),
      '--workers',
      '2',
      '--request-timeout',
      '30',
      '--no-color',
      '--report',
      'junit',
      '--report-junit-path',
      join(REPORTS, `${name}.xml`),
    ],
    cwd,
  )
  assert.equal(run.code, 0, `Schemathesis found failures in ${name}:\n${run.output}`)
  // Every operation was run, none skipped or errored.
  assert.match(run.output, new RegExp(`Selected: ${ops.length}/${ops.length}\\s+Tested: ${ops.length}\\b`))
  assert.match(run.output, /No issues found|passed/)
  assert.doesNotMatch(run.output, /❌|errored/)
}

describe('Schemathesis against the live stack', () => {
  let dir: string
  let stack: Stack | undefined

  before(async () => {
    assert.ok(existsSync(ST), `no Schemathesis at ${ST}: scripts/deps.sh test installs it`)
    await mkdir(REPORTS, { recursive: true })
    dir = await mkdtemp(join(tmpdir(), 'persona-schemathesis-'))
    stack = await startStack({
      dir,
      env: { BCRYPT_ROUNDS: '4' },
      logLevel: 'warn',
      fixtures: false,
      // Fuzzed domains may resolve on a machine with DNS: a short fetch keeps the run bounded.
      serviceEnv: { proxy: { PROXY_TIMEOUT_MS: '1500' } },
    })
  })
  after(async () => {
    await stack?.stop()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('the public API (/openapi.json through nginx): every operation, no failure', async () => {
    assert.ok(stack)
    await fuzz('public', `${stack.urls.public}/openapi.json`, 40, dir)
  })

  it("the proxy's contract (its /openapi.json): every operation, no failure", async () => {
    assert.ok(stack)
    await fuzz('proxy', `${stack.urls.services.proxy}/openapi.json`, 40, dir)
  })
})
