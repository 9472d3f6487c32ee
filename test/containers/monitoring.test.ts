// SPDX-License-Identifier: MPL-2.0
// Compose's monitoring profile for real: the stack and the monitoring images built as a user builds them
// (`docker compose --profile monitoring up -d`), then Prometheus, reached only through its published
// port, sees every process, nginx, both databases, the master and both mysqld exporters up with
// replication running, and Alertmanager's always-firing watchdog reaches the recording receiver.
// Needs Docker (never silently skipped). Prints how long each step took.
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { freePort } from '@persona/kit'
import { composeCommand, docker, projectContainers, sh } from './docker.ts'
import { buildImages } from './images.ts'

const ROOT = join(import.meta.dirname, '../..')
const PROJECT = 'persona-mtest'
const log = (line: string) => process.stdout.write(`# compose monitoring: ${line}\n`)

interface Sample {
  readonly metric: Record<string, string>
  readonly value: number
}

async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms
  let last: unknown
  for (;;) {
    try {
      const v = await probe()
      if (v !== undefined) return v
    } catch (e) {
      last = e
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms / 1000} s (${String(last)})`)
    await new Promise((r) => setTimeout(r, 1000))
  }
}

describe('docker compose --profile monitoring', { timeout: 40 * 60_000 }, () => {
  let compose: string[] = []
  let env: Record<string, string> = {}
  let prometheus = ''
  const composeRun = (args: string[], timeoutMs = 600_000) => {
    const [cmd = 'docker-compose', ...pre] = compose
    return sh(
      'env',
      [...Object.entries(env).map(([k, v]) => `${k}=${v}`), cmd, ...pre, '-p', PROJECT, ...args],
      timeoutMs,
    )
  }
  const query = async (q: string): Promise<Sample[]> => {
    const res = await fetch(`${prometheus}/api/v1/query?query=${encodeURIComponent(q)}`)
    const body = (await res.json()) as {
      data: { result: { metric: Record<string, string>; value: [number, string] }[] }
    }
    return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }))
  }

  before(
    async () => {
      const daemon = await sh('bash', [join(ROOT, 'test/containers/start-dockerd.sh')], 60_000)
      assert.equal(daemon.code, 0, `Docker daemon: ${daemon.stderr}`)
      const bases = await sh('bash', [join(ROOT, 'test/containers/base-images.sh')], 900_000)
      assert.equal(bases.code, 0, `base images: ${bases.stderr}`)
      compose = await composeCommand()
      const [http, mail, prom, am] = [await freePort(), await freePort(), await freePort(), await freePort()]
      prometheus = `http://127.0.0.1:${prom}`
      env = {
        PERSONA_HTTP_PORT: String(http),
        PERSONA_MAIL_PORT: String(mail),
        PROMETHEUS_PORT: String(prom),
        ALERTMANAGER_PORT: String(am),
        PERSONA_VERSION: await buildImages(),
      }
      await composeRun(['--profile', 'monitoring', 'down', '-v', '--remove-orphans'], 120_000)
      const t0 = Date.now()
      const build = await composeRun(['--profile', 'monitoring', 'build'], 30 * 60_000)
      assert.equal(build.code, 0, `build: ${build.stderr.slice(-3000)}`)
      log(`monitoring images built in ${((Date.now() - t0) / 1000).toFixed(0)} s`)
      const t1 = Date.now()
      const up = await composeRun(['--profile', 'monitoring', 'up', '-d', '--no-build'], 600_000)
      assert.equal(up.code, 0, `up: ${up.stderr.slice(-3000)}`)
      log(`stack and monitoring started in ${((Date.now() - t1) / 1000).toFixed(0)} s`)
    },
    { timeout: 35 * 60_000 },
  )

  after(async () => {
    const ids = await projectContainers(PROJECT)
    const am = ids.get('alertmanager')
    if (am !== undefined) {
      const logs = await docker(['logs', '--tail', '20', am])
      if (logs.code === 0)
        process.stdout.write(
          logs.stderr
            .split('\n')
            .map((l) => `# ${l}\n`)
            .join(''),
        )
    }
    await composeRun(['--profile', 'monitoring', 'down', '-v', '--remove-orphans', '-t', '5'], 180_000)
  })

  it('Prometheus sees every process, nginx, both databases, the master and both mysqld exporters up', async () => {
    const t0 = Date.now()
    const up = await until('every target up', 240_000, async () => {
      const r = await query('persona:target:up')
      return r.length === 10 && r.every((s) => s.value === 1) ? r : undefined
    })
    assert.deepEqual(up.map((s) => s.metric.service).sort(), [
      'certifier',
      'mariadb',
      'mariadb',
      'nginx',
      'proxy',
      'reader',
      'router',
      'static',
      'verifier',
      'writer',
    ])
    assert.ok(up.every((s) => s.metric.cluster === 'compose'))
    assert.equal((await query('persona:master:up'))[0]?.value, 1, 'the master probed')
    const exporters = await until('both mysqld exporters up', 60_000, async () => {
      const r = await query('up{job="persona-mysqld"} == 1')
      return r.length === 2 ? r : undefined
    })
    assert.deepEqual(exporters.map((s) => s.metric.host).sort(), ['db-1', 'db-2'])
    const running = await until('replication seen running', 60_000, async () => {
      const r = await query('persona:db_replication:running')
      return r.length > 0 ? r : undefined
    })
    assert.deepEqual(
      running.map((s) => [s.metric.host, s.value]),
      [['db-2', 1]],
    )
    log(`every target up ${((Date.now() - t0) / 1000).toFixed(0)} s after start`)
  })

  it("Alertmanager's watchdog reaches the recording receiver", async () => {
    const ids = await projectContainers(PROJECT)
    const receiver = ids.get('alert-receiver')
    assert.ok(receiver !== undefined)
    const got = await until('a heartbeat notification', 120_000, async () => {
      const r = await docker([
        'exec',
        receiver,
        'node',
        '-e',
        'fetch("http://127.0.0.1:9095/notifications").then((r) => r.text()).then((t) => console.log(t))',
      ])
      const list = r.code === 0 ? (JSON.parse(r.stdout) as { receiver: string }[]) : []
      return list.find((n) => n.receiver === 'heartbeat')
    })
    assert.equal(got.receiver, 'heartbeat')
  })
})
