// SPDX-License-Identifier: MPL-2.0
// Images in a registry, and compose on a real host, for real: `make push` into Debian's docker-registry
// (the CNCF distribution registry) on loopback; the local tags removed, so docker-compose.yml with
// docker-compose.production.yml (the .env.example variables: a host name, a TLS certificate, a mail
// relay) runs from pulled images; the stack answers over TLS only, in production mode (secure cookies,
// no mail catcher, the relay gets the mail, a service refuses a development secret), a whole sign-up
// ends in a /verify okay; the Helm chart's image references resolve in the same registry.
// Needs Docker (a loud failure where its daemon is unreachable).
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { get as httpGet } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { IMAGES, repositoryName } from '@persona/deploy/images'
import { freePort } from '@persona/kit'
import { Agent } from 'undici'
import { selfSignedCert } from '../fixtures/tls/self-signed.ts'
import { template } from '../helm/render.ts'
import { composeCli, productionEnv } from './compose-render.ts'
import { docker, inspect, path, projectContainers, sh, signUpAndVerify, WsapiClient } from './docker.ts'
import { buildImages } from './images.ts'
import { makePush, type Registry, startRegistry } from './registry.ts'

const ROOT = join(import.meta.dirname, '../..')
const PROJECT = 'persona-prodtest'
const HOST = 'login.persona.test'
const VERIFIER = 'verifier.login.persona.test'
const SITE = 'https://rp.example.com'
const EMAIL = `prod-${randomBytes(4).toString('hex')}@example.test`
const PASS = 'a production password'

describe('images in a registry; compose on a real host', { timeout: 40 * 60_000 }, () => {
  const work = mkdtempSync(join(tmpdir(), 'persona-prod-'))
  let registry: Registry | undefined
  let reg = ''
  let version = ''
  let compose: string[] = []
  let env: Record<string, string> = {}
  let httpsPort = 0
  let httpPort = 0
  let relayPort = 0
  let base = ''
  let agent: Agent | undefined
  let ids = new Map<string, string>()
  const files = [
    '-f',
    'docker-compose.yml',
    '-f',
    'docker-compose.production.yml',
    '-f',
    'test/containers/relay.yml',
  ]

  const composeRun = (args: string[], timeoutMs = 600_000) => {
    const [cmd = 'docker-compose', ...pre] = compose
    return sh(
      'env',
      [...Object.entries(env).map(([k, v]) => `${k}=${v}`), cmd, ...pre, '-p', PROJECT, ...files, ...args],
      timeoutMs,
    )
  }
  const get = (url: string, init: RequestInit = {}) =>
    fetch(url, {
      ...init,
      redirect: 'manual',
      dispatcher: agent,
      signal: AbortSignal.timeout(20_000),
    } as RequestInit)

  before(
    async () => {
      const daemon = await sh('bash', [join(ROOT, 'test/containers/start-dockerd.sh')], 60_000)
      assert.equal(daemon.code, 0, `Docker daemon: ${daemon.stderr}`)
      const bases = await sh('bash', [join(ROOT, 'test/containers/base-images.sh')], 900_000)
      assert.equal(bases.code, 0, `base images: ${bases.stderr}`)
      version = await buildImages()
      registry = await startRegistry(join(work, 'registry'))
      reg = registry.address
      // `make push`, as an operator runs it (its images step is all cache by now).
      await makePush(reg, version)
      // The stack must come from the registry: no local copy under the registry's names.
      for (const image of IMAGES) await docker(['rmi', `${reg}/${repositoryName(image)}:${version}`])

      // A real host's material: a certificate for both names (key readable by nginx's uid 1000).
      const tls = join(work, 'tls')
      mkdirSync(tls)
      const cert = selfSignedCert(tls, HOST, [VERIFIER])
      chmodSync(cert.keyFile, 0o644)
      chmodSync(tls, 0o755)
      agent = new Agent({
        connect: {
          ca: readFileSync(cert.certFile),
          lookup: (_h, _o, cb) => cb(null, [{ address: '127.0.0.1', family: 4 }]),
        },
      })
      compose = await composeCli()
      ;[httpsPort, httpPort, relayPort] = [await freePort(), await freePort(), await freePort()]
      base = `https://${HOST}:${httpsPort}`
      env = productionEnv({
        PERSONA_REGISTRY: reg,
        PERSONA_VERSION: version,
        PERSONA_HOSTNAME: HOST,
        PERSONA_VERIFIER_HOSTNAME: VERIFIER,
        PERSONA_PUBLIC_URL: base,
        PERSONA_TLS_DIR: tls,
        PERSONA_HTTPS_BIND: '127.0.0.1',
        PERSONA_HTTPS_PORT: String(httpsPort),
        PERSONA_HTTP_BIND: '127.0.0.1',
        PERSONA_HTTP_PORT: String(httpPort),
        PERSONA_SMTP_HOST: 'relay.mail.test',
        PERSONA_SMTP_PORT: '1025',
        PERSONA_EMAIL_FROM: 'Persona <no-reply@persona.test>',
        PERSONA_RELAY_PORT: String(relayPort),
        PERSONA_RELAY_IMAGE: `persona.localhost/persona-mailcatcher:${version}`,
      })
      await composeRun(['down', '-v', '--remove-orphans'], 120_000)
      const pulled = await composeRun(['pull', '--quiet', ...SERVICES_FROM_REGISTRY], 900_000)
      assert.equal(pulled.code, 0, `compose pull: ${pulled.stderr}`)
      const up = await composeRun(['up', '-d', '--no-build'], 900_000)
      assert.equal(up.code, 0, `compose up: ${up.stderr}`)
      const healthy = await sh('bash', [join(ROOT, 'docker/wait-healthy.sh'), PROJECT, '300'], 330_000)
      assert.equal(healthy.code, 0, `stack healthy: ${healthy.stderr}`)
      ids = await projectContainers(PROJECT)
    },
    { timeout: 35 * 60_000 },
  )

  after(async () => {
    if (compose.length > 0) await composeRun(['down', '-v', '--remove-orphans', '-t', '5'], 180_000)
    for (const image of IMAGES) await docker(['rmi', `${reg}/${repositoryName(image)}:${version}`])
    registry?.stop()
    await agent?.close()
    rmSync(work, { recursive: true, force: true })
  })

  it('holds every deployable image in the registry as persona-<part>:<version>, never latest', async () => {
    const catalog = (await (await fetch(`http://${reg}/v2/_catalog`)).json()) as { repositories: string[] }
    assert.deepEqual(catalog.repositories.sort(), IMAGES.map(repositoryName).sort())
    for (const repo of catalog.repositories) {
      const tags = (await (await fetch(`http://${reg}/v2/${repo}/tags/list`)).json()) as { tags: string[] }
      assert.deepEqual(tags.tags, [version], repo)
    }
    assert.notEqual(version, 'latest')
    assert.match(version, /^[0-9a-f]{7,}|^v?\d/, 'a git describe version')
  })

  it('ran the stack from the pulled images', async () => {
    for (const [service, id] of ids) {
      if (service === 'relay') continue
      const image = String(path(await inspect(id), 'Config', 'Image'))
      assert.match(image, new RegExp(`^${reg.replace('.', '\\.')}/persona-[a-z-]+:${version}$`), service)
      const digests = (await docker(['image', 'inspect', image, '--format', '{{json .RepoDigests}}'])).stdout
      assert.ok(digests.includes(`${reg}/persona-`), `${service} came from the registry: ${digests}`)
    }
    assert.ok(!ids.has('mailcatcher'), 'no mail catcher in production')
  })

  it("resolves the Helm chart's image references in the same registry", async () => {
    const manifests = await template([], [`image.registry=${reg}`, `image.tag=${version}`])
    const images = new Set<string>()
    for (const m of manifests) {
      const spec = path(m, 'spec', 'template', 'spec')
      for (const c of [
        ...((path(spec, 'containers') as unknown[]) ?? []),
        ...((path(spec, 'initContainers') as unknown[]) ?? []),
      ]) {
        images.add(String(path(c, 'image')))
      }
    }
    images.delete('undefined')
    assert.ok(images.size >= 9, [...images].join(' '))
    for (const ref of images) {
      const m = new RegExp(`^${reg.replace('.', '\\.')}/(persona-[a-z-]+):(.+)$`).exec(ref)
      assert.ok(m, `${ref} is in the registry`)
      const head = await fetch(`http://${reg}/v2/${m[1]}/manifests/${m[2]}`, {
        method: 'HEAD',
        headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json' },
      })
      assert.equal(head.status, 200, `${ref} resolves`)
    }
  })

  it('answers over TLS only: https with HSTS, plain http redirecting, the load balancer heartbeat', async () => {
    const hb = await get(`${base}/__heartbeat__`)
    assert.equal(hb.status, 403, 'the heartbeat is for monitoring only')
    const page = await get(`${base}/sign_in`)
    assert.equal(page.status, 200)
    assert.match(String(page.headers.get('strict-transport-security')), /max-age=\d+/)
    // node:http, which sends the Host header it is given (fetch would not).
    const plain = await new Promise<{ status: number; location: string }>((resolve, reject) => {
      const r = httpGet(
        { host: '127.0.0.1', port: httpPort, path: '/sign_in', headers: { host: HOST } },
        (res) => {
          res.resume()
          resolve({ status: res.statusCode ?? 0, location: String(res.headers.location) })
        },
      )
      r.on('error', reject)
    })
    assert.equal(plain.status, 301)
    assert.equal(plain.location, `https://${HOST}/sign_in`)
    const lb = await docker(['exec', ids.get('nginx') ?? '', '/usr/local/bin/healthcheck'])
    assert.equal(lb.code, 0, 'the heartbeat a load balancer asks (no host name) answers')
  })

  it('runs in production mode: secure cookies, NODE_ENV=production, the relay gets the mail', async () => {
    const b = new WsapiClient(base, agent)
    await b.context()
    assert.ok(b.setCookies.length > 0)
    for (const c of b.setCookies) assert.match(c, /;\s*Secure/i, c)
    for (const svc of ['reader', 'writer', 'certifier']) {
      const e = path(await inspect(ids.get(svc) ?? ''), 'Config', 'Env')
      assert.ok(Array.isArray(e) && e.includes('NODE_ENV=production'), svc)
    }
  })

  it('signs a user up over TLS, the mail through the relay, and the verifier accepts their assertion', async () => {
    await signUpAndVerify({
      base,
      verifyUrl: `https://${VERIFIER}:${httpsPort}/verify`,
      mailUrl: `http://127.0.0.1:${relayPort}`,
      email: EMAIL,
      pass: PASS,
      site: SITE,
      ...(agent === undefined ? {} : { dispatcher: agent }),
    })
  })

  it('refuses a development secret at once, one line naming it', async () => {
    const dir = join(work, 'dev-secrets')
    mkdirSync(dir)
    writeFileSync(join(dir, 'WRITER_TOKEN'), `dev-${'x'.repeat(30)}\n`)
    writeFileSync(join(dir, 'DB_WRITER_PASSWORD'), `${randomBytes(24).toString('hex')}\n`)
    chmodSync(dir, 0o755)
    for (const f of ['WRITER_TOKEN', 'DB_WRITER_PASSWORD']) chmodSync(join(dir, f), 0o644)
    const t0 = Date.now()
    const r = await docker(
      [
        'run',
        '--rm',
        '--network',
        'none',
        '-v',
        `${dir}:/run/secrets/persona:ro`,
        `${reg}/persona-writer:${version}`,
      ],
      120_000,
    )
    assert.notEqual(r.code, 0)
    const lines = r.stderr
      .trim()
      .split('\n')
      .filter((l) => l.includes('WRITER_TOKEN'))
    assert.equal(lines.length, 1, r.stderr)
    assert.match(lines[0] ?? '', /development secret/)
    assert.ok(Date.now() - t0 < 60_000, 'at once')
  })
})

/** The services whose image comes from the registry (the relay is the test's own stand-in). */
const SERVICES_FROM_REGISTRY = [
  'init-secrets',
  'init',
  'db-master',
  'db-replica',
  'router',
  'static',
  'reader',
  'writer',
  'certifier',
  'verifier',
  'proxy',
  'nginx',
]
