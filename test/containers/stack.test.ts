// SPDX-License-Identifier: MPL-2.0
// The compose stack for real (issue: containers): built and started with testcontainers'
// DockerComposeEnvironment from docker-compose.yml as a user would, then reached only through nginx's
// port published on 127.0.0.1, the mail catcher's UI port, and `docker exec`/`docker inspect`:
// heartbeats, the support document, a whole sign-up ending in an assertion the verifier accepts,
// network isolation tried from inside the containers, secrets only in their holders, the database
// master killed, a restart keeping the account, and `down -v` leaving nothing behind.
// Needs Docker: where the daemon is unreachable the test fails (it is never silently skipped).
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:net'
import { networkInterfaces } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { freePort, SERVICE_SPECS, SERVICES } from '@persona/kit'
import {
  canConnect,
  composeCommand,
  docker,
  inspect,
  path,
  projectContainers,
  sh,
  signUpAndVerify,
  WsapiClient,
} from './docker.ts'
import { buildImages } from './images.ts'

process.env.TESTCONTAINERS_RYUK_DISABLED = 'true' // its image cannot be pulled here; we clean up ourselves

const ROOT = join(import.meta.dirname, '../..')
const PROJECT = 'persona-ctest'
const SITE = 'http://rp.example.com'
const EMAIL = `ctest-${randomBytes(4).toString('hex')}@example.test`
const PASS = 'a container password'
/** Containers built from the Node base image (the others have bash but no node). */
const NODE_IMAGES = new Set<string>([...SERVICES, 'mailcatcher', 'init', 'init-secrets'])

describe('docker compose stack', { timeout: 40 * 60_000 }, () => {
  let compose: string[] = []
  let httpPort = 0
  let mailPort = 0
  let base = ''
  let mailUrl = ''
  let env: Record<string, string> = {}
  let started: { down(o?: { removeVolumes?: boolean; timeout?: number }): Promise<unknown> } | undefined
  let ids = new Map<string, string>()
  let wentDown = false

  const id = (service: string): string => {
    const v = ids.get(service)
    assert.ok(v !== undefined, `container of ${service}`)
    return v
  }
  const composeRun = (args: string[], timeoutMs = 600_000) => {
    const [cmd = 'docker-compose', ...pre] = compose
    return sh(
      'env',
      [...Object.entries(env).map(([k, v]) => `${k}=${v}`), cmd, ...pre, '-p', PROJECT, ...args],
      timeoutMs,
    )
  }
  const waitHealthy = async () => {
    const r = await sh('bash', [join(ROOT, 'docker/wait-healthy.sh'), PROJECT, '300'], 330_000)
    assert.equal(r.code, 0, `stack healthy: ${r.stderr}`)
    ids = await projectContainers(PROJECT)
  }

  before(
    async () => {
      // Where dockerd is installed but not running (CI), start it; anything else is a loud failure.
      const daemon = await sh('bash', [join(ROOT, 'test/containers/start-dockerd.sh')], 60_000)
      assert.equal(daemon.code, 0, `Docker daemon: ${daemon.stderr}`)
      const info = await docker(['info', '--format', '{{.ServerVersion}}'])
      if (info.code !== 0) {
        throw new Error(
          `Docker is required for the container tests and its daemon is unreachable: ${info.stderr}`,
        )
      }
      // The offline path: local stand-ins for the base images when they can be neither found nor pulled.
      const bases = await sh('bash', [join(ROOT, 'test/containers/base-images.sh')], 900_000)
      assert.equal(bases.code, 0, `base images: ${bases.stderr}`)
      compose = await composeCommand()
      httpPort = await freePort()
      mailPort = await freePort()
      base = `http://127.0.0.1:${httpPort}`
      mailUrl = `http://127.0.0.1:${mailPort}`
      // The images, built once under the contract's names; compose runs them as they are.
      const version = await buildImages()
      env = {
        PERSONA_HTTP_PORT: String(httpPort),
        PERSONA_MAIL_PORT: String(mailPort),
        PERSONA_VERSION: version,
      }
      Object.assign(process.env, env)
      await composeRun(['down', '-v', '--remove-orphans'], 120_000) // leftovers of an interrupted run
      const { DockerComposeEnvironment, Wait } = await import('testcontainers')
      let environment = new DockerComposeEnvironment(ROOT, 'docker-compose.yml')
        .withProjectName(PROJECT)
        .withEnvironment(env)
        .withDefaultWaitStrategy(Wait.forHealthCheck())
        .withStartupTimeout(300_000)
      if (compose[0] === 'docker-compose') {
        environment = environment.withClientOptions({
          executable: { standalone: true, executablePath: 'docker-compose' },
        })
      }
      started = await environment.up()
      await waitHealthy()
    },
    { timeout: 30 * 60_000 },
  )

  after(async () => {
    if (!wentDown) await composeRun(['down', '-v', '--remove-orphans', '-t', '5'], 180_000)
  })

  it('has every container healthy, the init jobs done, and every heartbeat answering', async () => {
    for (const job of ['init-secrets', 'init']) {
      const s = await inspect(id(job))
      assert.equal(path(s, 'State', 'ExitCode'), 0, `${job} exited 0`)
    }
    for (const svc of [...SERVICES, 'nginx', 'db-master', 'db-replica', 'mailcatcher']) {
      const s = await inspect(id(svc))
      assert.equal(path(s, 'State', 'Health', 'Status'), 'healthy', `${svc} healthy`)
      assert.equal(path(s, 'HostConfig', 'ReadonlyRootfs'), true, `${svc} read-only root`)
      assert.notEqual(path(s, 'Config', 'User'), '', `${svc} runs as a non-root user`)
    }
    for (const svc of SERVICES) {
      const url = `http://127.0.0.1:${SERVICE_SPECS[svc].port}/__heartbeat__?deep=1`
      const r = await docker([
        'exec',
        id(svc),
        'node',
        '-e',
        `fetch(${JSON.stringify(url)}).then(async (r) => { console.log(r.status, await r.text()); process.exit(r.ok ? 0 : 1) }, (e) => { console.log(e); process.exit(1) })`,
      ])
      assert.equal(r.code, 0, `${svc} deep heartbeat: ${r.stdout}`)
      const uid = await docker(['exec', id(svc), 'id', '-u'])
      assert.equal(uid.stdout.trim(), '1000', `${svc} runs as uid 1000`)
      const pid1 = await docker(['exec', id(svc), 'cat', '/proc/1/comm'])
      assert.equal(pid1.stdout.trim(), 'tini', `${svc} has tini as PID 1`)
    }
    const hb = await fetch(`${base}/__heartbeat__`)
    assert.equal(hb.status, 200, 'router heartbeat through nginx')
  })

  it('serves the support document through nginx with the key init made', async () => {
    const r = await fetch(`${base}/.well-known/browserid`)
    assert.equal(r.status, 200)
    const doc: unknown = await r.json()
    assert.equal(path(doc, 'authentication'), '/sign_in')
    assert.equal(path(doc, 'provisioning'), '/provision')
    const key = await docker(['exec', id('reader'), 'cat', '/etc/persona/public/root.publickey.json'])
    assert.equal(key.code, 0, key.stderr)
    const pub: unknown = JSON.parse(key.stdout)
    assert.equal(path(doc, 'public-key', 'n'), path(pub, 'n'), 'the published key is the certifier key')
  })

  it('signs a user up through nginx and the mail catcher, and the verifier accepts their assertion', async () => {
    await signUpAndVerify({
      base,
      verifyUrl: `${base}/verify`,
      mailUrl,
      email: EMAIL,
      pass: PASS,
      site: SITE,
    })
  })

  it('keeps each container inside its networks (tried from inside)', async () => {
    // A server on every address of the Docker host: containers must not reach it, except the proxy.
    const hostServer: Server = createServer((s) => s.end())
    await new Promise<void>((r) => hostServer.listen(0, '0.0.0.0', () => r()))
    const a = hostServer.address()
    const hostPort = typeof a === 'object' && a !== null ? a.port : 0
    const hostIps = Object.values(networkInterfaces())
      .flat()
      .filter((n) => n !== undefined && n.family === 'IPv4' && !n.internal)
      .map((n) => n?.address ?? '')
    try {
      const reach = (from: string, host: string, port: number) =>
        canConnect(id(from), host, port, NODE_IMAGES.has(from))
      // Every probe at once (each may wait for its timeout); [from, host, port, allowed].
      const probes: [string, string, number, boolean][] = [
        // Positive controls: the probe does see an allowed flow.
        ['nginx', 'router', 10002, true],
        ['nginx', 'verifier', 10007, true],
        ['verifier', 'proxy', 10008, true],
        ['reader', 'db-replica', 3306, true],
        ['writer', 'db-master', 3306, true],
        // From nginx: nothing but router and verifier.
        ['nginx', 'writer', 10005, false],
        ['nginx', 'certifier', 10006, false],
        ['nginx', 'reader', 10004, false],
        ['nginx', 'static', 10003, false],
        ['nginx', 'db-master', 3306, false],
        ['nginx', 'db-replica', 3306, false],
        // From the verifier: no database.
        ['verifier', 'db-master', 3306, false],
        ['verifier', 'db-replica', 3306, false],
        // The certifier calls no one; the writer never the replica.
        ['certifier', 'db-master', 3306, false],
        ['certifier', 'writer', 10005, false],
        ['certifier', 'proxy', 10008, false],
        ['writer', 'db-replica', 3306, false],
        // From the reader: nothing outside the compose networks (internet by address and name, the host).
        ['reader', '1.1.1.1', 443, false],
        ['reader', '8.8.8.8', 53, false],
        ['reader', 'example.com', 443, false],
        ...hostIps.map((ip): [string, string, number, boolean] => ['reader', ip, hostPort, false]),
      ]
      const results = await Promise.all(probes.map(([from, h, p]) => reach(from, h, p)))
      probes.forEach(([from, h, p, allowed], i) => {
        assert.equal(results[i], allowed, `${from} ${allowed ? 'reaches' : 'must not reach'} ${h}:${p}`)
      })
      const viaProxy = await Promise.all(hostIps.map((ip) => reach('proxy', ip, hostPort)))
      assert.ok(
        viaProxy.some((x) => x),
        'proxy (the way out) reaches the host server: the probe works',
      )
    } finally {
      hostServer.close()
    }
  })

  it('shows the writer password and the private key only where allowed (docker inspect and inside)', async () => {
    const pw = (
      await docker(['exec', id('writer'), 'cat', '/run/secrets/persona/DB_WRITER_PASSWORD'])
    ).stdout.trim()
    assert.ok(pw.length >= 32, 'writer holds its password')
    const keyFile = await docker(['exec', id('certifier'), 'cat', '/run/secrets/persona/root.secretkey.json'])
    const secretPart = String(path(JSON.parse(keyFile.stdout), 'd') ?? '')
    assert.ok(secretPart.length > 100, 'certifier holds the private key')
    const mounts = (s: Record<string, unknown>): string[] => {
      const m = path(s, 'Mounts')
      return Array.isArray(m) ? m.map((x) => String(path(x, 'Name') ?? '')) : []
    }
    for (const [service, cid] of ids) {
      const s = await inspect(cid)
      const text = JSON.stringify(s)
      assert.ok(!text.includes(pw), `docker inspect ${service} shows no writer password`)
      assert.ok(!text.includes(secretPart), `docker inspect ${service} shows no private key`)
      const vols = mounts(s)
      if (vols.some((v) => v.endsWith('_secrets-writer'))) {
        assert.ok(['writer', 'init-secrets'].includes(service), `${service} mounts the writer's secrets`)
      }
      if (vols.some((v) => v.endsWith('_secrets-certifier'))) {
        assert.ok(
          ['certifier', 'init-secrets'].includes(service),
          `${service} mounts the certifier's secrets`,
        )
      }
      if (path(s, 'State', 'Running') !== true) continue
      // Inside: every process's environment and every secret file this container can read.
      const inside = await docker([
        'exec',
        cid,
        'sh',
        '-c',
        'cat /proc/[0-9]*/environ 2>/dev/null; cat /run/secrets/persona/* /etc/persona/public/* 2>/dev/null; true',
      ])
      assert.equal(inside.stdout.includes(pw), service === 'writer', `writer password inside ${service}`)
      assert.equal(
        inside.stdout.includes(secretPart),
        service === 'certifier',
        `private key inside ${service}`,
      )
    }
  })

  it('keeps reading with the master killed, fails writes fast, and keeps the account across a restart', async () => {
    const kill = await docker(['kill', id('db-master')])
    assert.equal(kill.code, 0, kill.stderr)
    const b = new WsapiClient(base)
    await b.context()
    const known = await b.get('have_email', { email: EMAIL })
    assert.equal(known.status, 200, known.text)
    assert.deepEqual(known.body, { email_known: true })
    const write = await b.post('stage_user', { email: `new-${EMAIL}`, pass: PASS, site: SITE })
    assert.ok(write.status >= 500, `a write without the master fails: ${write.status} ${write.text}`)
    assert.equal(path(write.body, 'success'), false, write.text)
    assert.equal(typeof path(write.body, 'code'), 'string', 'with an error code')

    // down (the volumes stay) rather than stop: a restarted container keeps the health status it had
    // when stopped (the replica's, with its master killed, is unhealthy), and Compose 1.29 refuses to
    // start its dependants on it; new containers start from `starting`.
    const stop = await composeRun(['down', '-t', '10'], 180_000)
    assert.equal(stop.code, 0, stop.stderr)
    const up = await composeRun(['up', '-d'], 600_000)
    assert.equal(up.code, 0, up.stderr)
    await waitHealthy()
    const again = new WsapiClient(base)
    const auth = await again.post('authenticate_user', { email: EMAIL, pass: PASS, ephemeral: false })
    assert.equal(path(auth.body, 'success'), true, `the account survived the restart: ${auth.text}`)
  })

  it('leaves no container, network or volume after docker compose down -v', async () => {
    assert.ok(started !== undefined)
    await started.down({ removeVolumes: true, timeout: 10_000 })
    wentDown = true
    for (const kind of ['ps -a', 'network ls', 'volume ls']) {
      const r = await docker([
        ...kind.split(' '),
        '-q',
        '--filter',
        `label=com.docker.compose.project=${PROJECT}`,
      ])
      assert.equal(r.stdout.trim(), '', `${kind}: nothing of ${PROJECT} left`)
    }
    const vols = await docker(['volume', 'ls', '--format', '{{.Name}}'])
    assert.ok(!vols.stdout.split('\n').some((v) => v.startsWith(`${PROJECT}_`)), 'no volume of the project')
  })
})
