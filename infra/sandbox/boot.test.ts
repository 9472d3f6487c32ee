// SPDX-License-Identifier: MPL-2.0
// Host boot tested by running it: the global stack and one cluster stack applied against the AWS
// emulator, then that cluster booted in the sandbox (infra/src/sandbox) from nothing but what Terraform
// applied -- each host class's user data from its launch template in the emulator, every AWS call
// answered by moto, the images pulled from the local registry `make push` filled. The whole cluster comes
// up (webheads, dbwriter, certifier, the master and its replicas, after the init host filled Secrets
// Manager), and a sign-up, cert_key and a /verify okay pass through its load balancer and nginx over
// HTTPS. Prints the time from apply to a healthy cluster. Needs Docker.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { partsOfClass, RUN_AS, secretFilesOf } from '@persona/deploy/parts'
import { Agent } from 'undici'
import { path, sh, signUpAndVerify, WsapiClient } from '../../test/containers/docker.ts'
import { buildImages } from '../../test/containers/images.ts'
import { makePush, type Registry, startRegistry } from '../../test/containers/registry.ts'
import { CLUSTERS, SETTINGS } from '../src/clusters.ts'
import { applyAll, prepare } from '../src/emulator/cycle.ts'
import { type Moto, motoMissing, startMoto } from '../src/emulator/moto.ts'
import { bootCluster, type Sandbox } from '../src/sandbox/sandbox.ts'

const ROOT = join(import.meta.dirname, '../..')
const SITE = 'https://rp.example.com'
const EMAIL = `sandbox-${randomBytes(4).toString('hex')}@example.test`
const PASS = 'a sandbox password'
/** Hosts booted per class (moto made them all; this machine runs these). */
const BOOT = { init: 1, db: 3, dbwriter: 1, certifier: 1, webhead: 2 }
const cluster = CLUSTERS[0]

describe('a cluster booted from what Terraform applied', { timeout: 50 * 60_000 }, () => {
  const work = mkdtempSync(join(tmpdir(), 'persona-sandbox-test-'))
  let registry: Registry | undefined
  let moto: Moto | undefined
  let sandbox: Sandbox | undefined
  let agent: Agent | undefined
  let base = ''
  const figures: string[] = []
  const say = (l: string) => process.stdout.write(`# ${l}\n`)

  before(
    async () => {
      assert.ok(cluster)
      assert.equal(motoMissing(), undefined, 'moto is installed (bash scripts/deps.sh test)')
      const daemon = await sh('bash', [join(ROOT, 'test/containers/start-dockerd.sh')], 60_000)
      assert.equal(daemon.code, 0, `Docker daemon: ${daemon.stderr}`)
      const bases = await sh('bash', [join(ROOT, 'test/containers/base-images.sh')], 900_000)
      assert.equal(bases.code, 0, `base images: ${bases.stderr}`)
      const version = await buildImages()
      registry = await startRegistry(join(work, 'registry'))
      await makePush(registry.address, version)
      moto = await startMoto()
      const t0 = performance.now()
      const prepared = await prepare(moto, [cluster], version, join(work, 'stacks'))
      const { steps } = await applyAll(prepared, version, say)
      const applied = performance.now()
      figures.push(
        `apply (global + ${cluster.name}): ${steps.reduce((n, s) => n + s.added, 0)} resources in ${((applied - t0) / 1000).toFixed(0)} s`,
      )
      const sb = await bootCluster({
        cluster,
        mainName: SETTINGS.mainName,
        verifierName: SETTINGS.verifierName,
        motoEndpoint: moto.endpoint,
        motoPort: moto.port,
        registryPort: registry.port,
        boot: BOOT,
        log: say,
      })
      sandbox = sb
      // Healthy: every host's boot script done, the load balancers see healthy targets, and a visitor
      // gets a session through the public one.
      const probe = new Agent({
        connect: { ca: sb.ca, lookup: (_h, _o, cb) => cb(null, [{ address: '127.0.0.1', family: 4 }]) },
      })
      const deadline = Date.now() + 20 * 60_000
      for (;;) {
        const statuses = await Promise.all(sb.hosts.map((h) => sb.bootStatus(h)))
        const failed = sb.hosts.filter((_, i) => (statuses[i]?.code ?? 0) !== 0)
        if (failed.length > 0) {
          const logs = await Promise.all(
            failed.map((h) => sb.exec(h, ['tail', '-40', '/var/log/cloud-init-output.log'])),
          )
          assert.fail(
            `boot failed on ${failed.map((h) => h.hostClass).join(', ')}:\n${logs.join('\n----\n')}`,
          )
        }
        const booted = statuses.every((s) => s !== undefined)
        const healthy = await fetchHealthy(sb, probe)
        if (booted && healthy) break
        if (Date.now() > deadline) {
          const logs = await Promise.all(
            sb.hosts.map(
              async (h) =>
                `${h.hostClass} ${h.instance.id}:\n${await sb.exec(h, ['tail', '-15', '/var/log/cloud-init-output.log']).catch(() => '')}`,
            ),
          )
          assert.fail(`the cluster did not come up in 20 minutes:\n${logs.join('\n')}`)
        }
        await new Promise((r) => setTimeout(r, 2000))
      }
      figures.push(
        `apply to a healthy cluster: ${((performance.now() - t0) / 1000).toFixed(0)} s (boot ${((performance.now() - applied) / 1000).toFixed(0)} s, ${sb.hosts.length} hosts)`,
      )
      agent = probe
      base = `https://${SETTINGS.mainName}:${sb.publicLb.port}`
      for (const f of figures) say(f)
    },
    { timeout: 45 * 60_000 },
  )

  after(async () => {
    await sandbox?.stop()
    await moto?.stop()
    registry?.stop()
    await agent?.close()
    rmSync(work, { recursive: true, force: true })
  })

  it('boots every host from its launch template: the contract parts of its class, hardened, healthy', async () => {
    assert.ok(sandbox)
    const sb = sandbox
    for (const h of sb.hosts) {
      const status = await sb.bootStatus(h)
      assert.equal(status?.code, 0, `${h.hostClass} boot script`)
      if (h.hostClass === 'init') {
        const log = await sb.exec(h, ['cat', '/var/log/cloud-init-output.log'])
        assert.match(log, /init done/)
        continue
      }
      const names: string[] = (await sb.exec(h, ['docker', 'ps', '--format', '{{.Names}}']))
        .trim()
        .split('\n')
      const role = h.instance.tags['persona-db-role']
      const want = partsOfClass(h.hostClass as 'webhead').filter(
        (p) => h.hostClass !== 'db' || p === `db-${role}`,
      )
      assert.deepEqual(names.sort(), [...want].sort(), `${h.hostClass} runs its parts`)
      for (const name of names) {
        const info = JSON.parse(await sb.exec(h, ['docker', 'inspect', name])) as unknown[]
        const c = info[0]
        assert.equal(path(c, 'HostConfig', 'ReadonlyRootfs'), true, `${name} read-only`)
        assert.deepEqual(path(c, 'HostConfig', 'CapDrop'), ['ALL'], `${name} no capabilities`)
        assert.ok(JSON.stringify(path(c, 'HostConfig', 'SecurityOpt')).includes('no-new-privileges'), name)
        assert.equal(path(c, 'Config', 'User'), `${RUN_AS.uid}:${RUN_AS.gid}`, name)
        assert.equal(path(c, 'State', 'Health', 'Status') ?? 'healthy', 'healthy', `${name} healthy`)
        assert.doesNotMatch(
          JSON.stringify(path(c, 'Config', 'Env')),
          /PASSWORD=|TOKEN=|SECRET=/,
          `${name}: no secret in its env`,
        )
      }
    }
  })

  it("delivers each secret only to its holders: one file each, in the holding part's tmpfs directory", async () => {
    assert.ok(sandbox)
    const sb = sandbox
    // Where each secret file was found, over every booted host (init removes its own at the end).
    const seen = new Map<string, Set<string>>()
    for (const h of sb.hosts) {
      const listing = await sb.exec(h, ['find', '/run/persona', '-type', 'f', '-path', '*/secrets/*'])
      const files = listing
        .trim()
        .split('\n')
        .filter((l) => l !== '')
      if (h.hostClass === 'init') {
        // Every value it made is in Secrets Manager; the host keeps none (only its env file).
        const left = await sb.exec(h, ['find', '/run/persona', '-type', 'f', '!', '-name', 'env'])
        assert.equal(left.trim(), '', 'init keeps no secret once done')
        continue
      }
      const role = h.instance.tags['persona-db-role']
      const parts = partsOfClass(h.hostClass as 'webhead').filter(
        (p) => h.hostClass !== 'db' || p === `db-${role}`,
      )
      for (const part of parts) {
        const want = secretFilesOf(part).map((f) => f.file)
        const got = files
          .filter((f) => f.startsWith(`/run/persona/${part}/secrets/`))
          .map((f) => f.slice(`/run/persona/${part}/secrets/`.length))
        assert.deepEqual(got.sort(), [...want].sort(), `${h.hostClass} ${part}: exactly its secrets`)
        for (const f of got) {
          const st = (await sb.exec(h, ['stat', '-c', '%u %a', `/run/persona/${part}/secrets/${f}`])).trim()
          assert.equal(st, `${RUN_AS.uid} 400`, `${part} ${f}: the run-as user's alone`)
          seen.set(f, (seen.get(f) ?? new Set()).add(part))
        }
      }
      assert.equal(
        files.filter((f) => !parts.some((p) => f.startsWith(`/run/persona/${p}/secrets/`))).length,
        0,
        `${h.hostClass}: no secret outside its parts' directories`,
      )
    }
    // The SES SMTP account and the replication password: made, and held only by their holders.
    assert.deepEqual([...(seen.get('SMTP_USER') ?? [])], ['writer'])
    assert.deepEqual([...(seen.get('SMTP_PASS') ?? [])], ['writer'])
    assert.deepEqual([...(seen.get('DB_REPLICATION_PASSWORD') ?? [])], ['db-replica'])
    assert.deepEqual([...(seen.get('DB_ACCOUNTS_SQL') ?? [])], ['db-master'])
  })

  it('replicates: every replica has its own server id and both replication threads running', async () => {
    assert.ok(sandbox)
    const ids = new Set<string>()
    for (const h of sandbox.hosts.filter((x) => x.hostClass === 'db')) {
      const role = h.instance.tags['persona-db-role']
      const q = (sql: string) =>
        sandbox?.exec(h, [
          'docker',
          'exec',
          `db-${role}`,
          'mariadb',
          '--socket=/tmp/mysqld.sock',
          '-N',
          '-B',
          '-e',
          sql,
        ]) ?? ''
      ids.add((await q('SELECT @@server_id')).trim())
      if (role === 'replica') {
        const status = await q('SHOW SLAVE STATUS\\G')
        assert.match(status, /Slave_IO_Running: Yes/)
        assert.match(status, /Slave_SQL_Running: Yes/)
      }
    }
    assert.equal(ids.size, BOOT.db, `distinct server ids: ${[...ids].join(' ')}`)
  })

  it('signs a user up, certifies a key and verifies an assertion through the load balancer and nginx over HTTPS', async () => {
    assert.ok(sandbox && agent)
    const visitor = new WsapiClient(base, agent)
    await visitor.context()
    for (const c of visitor.setCookies) assert.match(c, /;\s*Secure/i)
    const { mailId } = await signUpAndVerify({
      base: `https://${SETTINGS.mainName}`,
      verifyUrl: `https://${SETTINGS.verifierName}:${sandbox.publicLb.port}/verify`,
      mailUrl: sandbox.standIns.mail.httpUrl,
      email: EMAIL,
      pass: PASS,
      site: SITE,
      dispatcher: agent,
      // The account reaches the replicas by replication; the reader waits for its GTID, allow a retry.
      signInWithinMs: 30_000,
      via: base,
    })
    // The mail went through the SES endpoint, signed in with the SMTP account init made from a key.
    const caught = sandbox.standIns.mail.messages().find((m) => m.ID === mailId)
    assert.match(String(caught?.AuthUser), /^[A-Z0-9]{16,}$/, 'the SES SMTP user (an access key id)')
    for (const f of figures) process.stdout.write(`# ${f}\n`)
  })
})

/** Every load balancer sees a healthy target, and the site answers a visitor through the public one. */
async function fetchHealthy(s: Sandbox, agent: Agent): Promise<boolean> {
  if (!s.standIns.allHealthy()) return false
  try {
    const r = await fetch(`https://${SETTINGS.mainName}:${s.publicLb.port}/wsapi/session_context`, {
      dispatcher: agent,
      signal: AbortSignal.timeout(3000),
    } as RequestInit)
    await r.arrayBuffer()
    if (r.status !== 200) return false
  } catch {
    return false
  }
  return true
}
