// SPDX-License-Identifier: MPL-2.0
// Two clusters on this machine (scripts/multi), under load from clients that resolve the service name
// through the simulation's DNS on every request: (4) an account and a certificate made in one cluster
// work in the other; (1) a deploy upgrades both clusters with no failed request; (2) a broken release
// fails its smoke test, is rolled back and left out of DNS, with no failed request; (3) the master is
// killed: no failed read, writes back within 30 s (automatic failover), no acknowledged write lost.
// Prints what it measured. Needs root, iproute2, PowerDNS, nginx and MariaDB (scripts/deps.sh test).
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it, type TestContext } from 'node:test'
import { decodeJws, type PublicKey, verifyJwsSignature } from '@persona/browserid'
import { renderHostClass } from '@persona/deploy/env'
import { parsePublicRing, promoteNext, stageNext } from '@persona/keys'
import { freePort } from '@persona/kit'
import { rootKnex } from '@persona/store/launcher'
import mysql from 'mysql2/promise'
import { dnsAgent, pinnedAgent } from '../../scripts/multi/client.ts'
import { socketOf } from '../../scripts/multi/db.ts'
import { DeployError, deploy } from '../../scripts/multi/deploy.ts'
import { resolverFor } from '../../scripts/multi/dns.ts'
import { MAIL_HTTP_PORT } from '../../scripts/multi/hosts.ts'
import { type Account, describeStats, Load } from '../../scripts/multi/load.ts'
import { freeOctet, teardown } from '../../scripts/multi/net.ts'
import { hostNamed, hostsOf, paths, replicaName, SERVICE_NAME } from '../../scripts/multi/plan.ts'
import { alive } from '../../scripts/multi/procs.ts'
import { makeRelease, releaseDir } from '../../scripts/multi/releases.ts'
import { down, missingForSimulation, planOf, type SimState, up } from '../../scripts/multi/sim.ts'
import { simRejoin, watchMaster } from '../../scripts/multi/sim-failover.ts'
import { simTarget } from '../../scripts/multi/sim-target.ts'
import { simFiles, simSite } from '../../scripts/multi/site.ts'
import { field, freshEmail, signIn, signUp, verifyOkay, WebClient } from '../../scripts/multi/web-client.ts'

const SKIP = missingForSimulation() ?? false
const prefix = `pt${randomBytes(2).toString('hex')}`
const figures: string[] = []
const report = (t: TestContext, line: string) => {
  figures.push(line)
  t.diagnostic(line)
}

describe('two clusters behind DNS, one data plane', { skip: SKIP, timeout: 600_000 }, () => {
  let dir = ''
  let state: SimState
  let ca = ''
  let mailUrl = ''
  const accounts: Account[] = []
  const lb = (c: string) => hostsOf(planOf(state), 'lb', c)[0]?.address ?? ''

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'persona-multi-'))
    const started = await up(
      { dir, prefix, octet: await freeOctet(), dnsPort: await freePort(), bcryptRounds: 4 },
      () => {},
    )
    state = started.state
    figures.push(`simulation up in ${(started.ms / 1000).toFixed(1)} s: ${started.line}`)
    ca = await readFile(join(paths(dir).tls, 'ca.pem'), 'utf8')
    mailUrl = `http://${hostsOf(planOf(state), 'mail')[0]?.address}:${MAIL_HTTP_PORT}`
    // The releases the deploys go to: the same code again, and one whose certifier cannot sign.
    await makeRelease(paths(dir).releases, 'v2')
    const broken = releaseDir(paths(dir).releases, 'broken')
    await makeRelease(paths(dir).releases, 'broken')
    const signer = join(broken, 'services', 'certifier', 'src', 'signer.ts')
    const code = await readFile(signer, 'utf8')
    assert.ok(code.includes('async sign(r) {'), 'the broken release patches the certifier')
    await writeFile(
      signer,
      code.replace('async sign(r) {', "async sign(r) {\n      throw new Error('broken release')"),
    )
    const { agent } = dnsAgent(resolverFor(planOf(state)), ca)
    for (let i = 0; i < 4; i++) {
      const a = { email: freshEmail('load'), pass: `load-pass-${i}-${randomBytes(4).toString('hex')}` }
      await signUp(agent, mailUrl, a.email, a.pass)
      accounts.push(a)
    }
  })

  after(async () => {
    if (dir !== '') await down(dir, () => {}).catch(() => {})
    await teardown(prefix)
    for (const f of figures) process.stdout.write(`# multi: ${f}\n`)
    if (dir !== '') await rm(dir, { recursive: true, force: true })
  })

  it('every host runs what the deployment contract renders for its class, as its user, with secrets only as files', async (t) => {
    const plan = planOf(state)
    const files = simFiles(plan)
    const secretValues: string[] = []
    for (const holder of await readdir(paths(dir).secrets)) {
      for (const f of await readdir(join(paths(dir).secrets, holder))) {
        const v = (await readFile(join(paths(dir).secrets, holder, f), 'utf8')).trim()
        if (v.length >= 16) secretValues.push(v)
      }
    }
    assert.ok(secretValues.length >= 8, `the init job made the secrets (${secretValues.length})`)
    let parts = 0
    for (const host of plan.hosts) {
      if (host.kind !== 'webhead' && host.kind !== 'dbwriter' && host.kind !== 'certifier') continue
      const rendered = renderHostClass(host.kind, simSite(plan, files, host))
      const running = Object.keys(state.pids).filter((k) => k.startsWith(`${host.name}/`))
      assert.deepEqual(
        running.map((k) => k.split('/')[1]).sort(),
        rendered.map((r) => r.part).sort(),
        host.name,
      )
      for (const r of rendered) {
        const pid = state.pids[`${host.name}/${r.part}`]
        const environ = (await readFile(`/proc/${pid}/environ`, 'utf8')).split('\0')
        const env = Object.fromEntries(
          environ.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
        )
        // nginx's start-up renders its configuration from the contract's env, then becomes nginx.
        if (r.part !== 'nginx') {
          for (const [k, v] of Object.entries(r.env)) assert.equal(env[k], v, `${host.name}/${r.part} ${k}`)
          assert.equal(env.NODE_ENV, 'production', `${host.name}/${r.part}`)
        }
        for (const v of secretValues) {
          assert.ok(!environ.some((l) => l.includes(v)), `${host.name}/${r.part}: a secret value in its env`)
        }
        if (state.runAs !== undefined) {
          const status = await readFile(`/proc/${pid}/status`, 'utf8')
          assert.match(
            status,
            new RegExp(`^Uid:\\s+${state.runAs.uid}\\s`, 'm'),
            `${host.name}/${r.part} runs as its user`,
          )
          assert.match(status, /^CapEff:\s+0+$/m, `${host.name}/${r.part} has no capabilities`)
          assert.match(status, /^NoNewPrivs:\s+1$/m, `${host.name}/${r.part}`)
        }
        parts++
      }
    }
    report(
      t,
      `contract: ${parts} parts on ${plan.hosts.filter((h) => ['webhead', 'dbwriter', 'certifier'].includes(h.kind)).length} hosts run as rendered (${state.runAs === undefined ? 'as root' : `uid ${state.runAs.uid}, no capabilities`}); ${secretValues.length} secret values, none in any env`,
    )
  })

  it('answers the service name with both clusters, and nothing is left of a cluster that is down', async () => {
    const answer = (await resolverFor(planOf(state)).resolve4(SERVICE_NAME)).sort()
    assert.deepEqual(answer, [lb('a'), lb('b')].sort())
  })

  it('database connections cross regions over TLS only: writers to the master, replicas to the master', async (t) => {
    const plan = planOf(state)
    const master = hostNamed(plan, state.master)
    const writerPassword = await readFile(join(paths(dir).secrets, 'writer', 'DB_WRITER_PASSWORD'), 'utf8')
    const connect = (ssl: boolean) =>
      mysql.createConnection({
        host: master.address,
        port: 3306,
        user: 'persona_writer',
        password: writerPassword.trim(),
        connectTimeout: 5000,
        ...(ssl ? { ssl: { ca, rejectUnauthorized: true } } : {}),
      })
    await assert.rejects(connect(false), /Access denied/, 'the writer account refuses a connection in clear')
    const c = await connect(true)
    const [rows] = await c.query("SHOW SESSION STATUS LIKE 'Ssl_version'")
    await c.end()
    assert.match(JSON.stringify(rows), /TLSv1\.[23]/)
    for (const h of hostsOf(plan, 'db').filter((x) => x !== master)) {
      const k = rootKnex(socketOf(plan, h))
      const st = ((await k.raw('SHOW SLAVE STATUS')) as unknown as [Record<string, unknown>[]])[0][0]
      await k.destroy()
      assert.equal(st?.Master_SSL_Allowed, 'Yes', `${h.name} replicates over TLS`)
      assert.equal(st?.Master_SSL_Verify_Server_Cert, 'Yes', `${h.name} checks the master's certificate`)
    }
    report(
      t,
      'database: writer account refuses clear connections; writer and replication connections use TLS',
    )
  })

  it('(4) an account made through one cluster signs in through the other; a certificate from one verifies at the other', async (t) => {
    const a = pinnedAgent(lb('a'), ca)
    const b = pinnedAgent(lb('b'), ca)
    const email = freshEmail('cross')
    await signUp(a, mailUrl, email, 'cross-cluster-pass')
    const fromB = await signIn(b, email, 'cross-cluster-pass')
    await verifyOkay(a, fromB.assertion, email)
    const fromA = await signIn(a, email, 'cross-cluster-pass')
    await verifyOkay(b, fromA.assertion, email)
    // One session secret: the session made in cluster a is signed in at cluster b.
    const atB = fromA.client.via(b)
    const ctx = await atB.send('GET', '/wsapi/session_context')
    assert.equal(ctx.status, 200)
    assert.equal(field(ctx, 'authenticated'), true, 'the session from cluster a is signed in at cluster b')
    const emails = await atB.send('GET', '/wsapi/list_emails')
    assert.equal(emails.status, 200, emails.text)
    assert.ok(emails.text.includes(email))
    report(t, 'cross-cluster: sign-up via a, sign-in via b, certificates verified across clusters: ok')
    await Promise.all([a.close(), b.close()])
  })

  it('(1) a deploy upgrades both clusters one after the other with 0 failed requests', async (t) => {
    const { agent, stats } = dnsAgent(resolverFor(planOf(state)), ca)
    const load = new Load({ dispatcher: agent, accounts, scenario: 'sign-in', workers: 2, pauseMs: 150 })
    load.start()
    const reports = await deploy(simTarget(state), 'v2')
    const s = await load.stop()
    for (const r of reports) {
      report(
        t,
        `deploy v2, cluster ${r.cluster}: ${(r.ms.total / 1000).toFixed(1)} s (drain ${r.ms.drain} ms, upgrade ${r.ms.upgrade} ms, smoke ${r.ms.smoke} ms, back in DNS ${r.ms.undrain} ms)`,
      )
    }
    report(
      t,
      `deploy under load: ${s.requests} operations, ${s.failures} failed, ${stats.queries} DNS queries; ${describeStats(s)}`,
    )
    assert.deepEqual(
      reports.map((r) => [r.cluster, r.outcome]),
      [
        ['a', 'upgraded'],
        ['b', 'upgraded'],
      ],
    )
    assert.deepEqual(state.releases, { a: 'v2', b: 'v2' })
    for (const [k, pid] of Object.entries(state.pids)) {
      if (!k.startsWith('a-web') && !k.startsWith('b-web')) continue
      if (k.endsWith('/nginx')) continue
      const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8')
      assert.ok(cmd.includes(releaseDir(paths(dir).releases, 'v2')), `${k} runs release v2`)
    }
    assert.ok(s.requests > 20, `enough load to mean something (${s.requests})`)
    assert.equal(s.failures, 0, describeStats(s))
    // Both clusters served traffic: the load followed DNS while each was out.
    assert.ok((stats.connects.get(lb('a')) ?? 0) > 0 && (stats.connects.get(lb('b')) ?? 0) > 0)
    await agent.close()
  })

  it('(2) a broken release fails its smoke test: rolled back, out of DNS, deploy stopped, 0 failed requests', async (t) => {
    const { agent } = dnsAgent(resolverFor(planOf(state)), ca)
    const load = new Load({ dispatcher: agent, accounts, scenario: 'sign-in', workers: 2, pauseMs: 150 })
    load.start()
    const t0 = performance.now()
    let failure: DeployError | undefined
    try {
      await deploy(simTarget(state), 'broken')
    } catch (e) {
      if (e instanceof DeployError) failure = e
      else throw e
    }
    const s = await load.stop()
    assert.ok(failure !== undefined, 'the deploy reports the failure')
    report(t, `broken release: "${failure.message}" after ${((performance.now() - t0) / 1000).toFixed(1)} s`)
    report(
      t,
      `broken release under load: ${s.requests} operations, ${s.failures} failed; ${describeStats(s)}`,
    )
    assert.match(failure.message, /cluster a failed its smoke test \(cert_key: 400/)
    assert.match(failure.message, /runs v2 again, the rollback passes the smoke test/)
    assert.deepEqual(state.releases, { a: 'v2', b: 'v2' }, 'a rolled back, b never touched')
    const answer = await resolverFor(planOf(state)).resolve4(SERVICE_NAME)
    assert.deepEqual(answer, [lb('b')], 'the failed cluster stays out of DNS')
    assert.equal(s.failures, 0, describeStats(s))
    // The operator puts it back.
    const target = simTarget(state)
    await target.setDrained('a', false)
    await target.waitDns('a', true)
    await agent.close()
  })

  it('(3) the master is killed: 0 failed reads, writes back within 30 s, 0 acknowledged writes lost', async (t) => {
    const plan = planOf(state)
    const resolver = resolverFor(plan)
    const { agent } = dnsAgent(resolver, ca)
    const assertions = []
    for (const a of accounts.slice(0, 2))
      assertions.push({ ...(await signIn(agent, a.email, a.pass)), email: a.email })
    const reads = new Load({
      dispatcher: agent,
      accounts,
      scenario: 'reads',
      assertions,
      workers: 2,
      pauseMs: 50,
    })
    const acknowledged: string[] = []
    let writesFailed = 0
    let killedAt = 0
    let backAt = 0
    let writing = true
    const writer = (async () => {
      for (let i = 0; writing && i < 400; i++) {
        const email = freshEmail('w')
        try {
          await signUp(agent, mailUrl, email, 'write-pass-0123')
          acknowledged.push(email)
          if (killedAt > 0 && backAt === 0) backAt = performance.now()
        } catch {
          writesFailed++
        }
        await new Promise((r) => setTimeout(r, 100))
      }
    })()
    const watcher = watchMaster(state, () => {}, { intervalMs: 500, misses: 3 })
    reads.start()
    await new Promise((r) => setTimeout(r, 3000))
    const old = hostNamed(plan, state.master)
    const pid = state.pids[`${old.name}/mariadbd`]
    assert.ok(pid !== undefined && alive(pid))
    const ackedBefore = acknowledged.length
    killedAt = performance.now()
    process.kill(pid, 'SIGKILL')
    const fo = await watcher.failedOver
    const until = Date.now() + 40_000
    while (backAt === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 200))
    await new Promise((r) => setTimeout(r, 2000))
    writing = false
    await writer
    const s = await reads.stop()
    const downtime = backAt === 0 ? Number.POSITIVE_INFINITY : Math.round(backAt - killedAt)
    report(
      t,
      `master ${old.name} killed: failover to ${fo.promoted} (detected after ${fo.detectedAfterMs} ms, fence ${fo.ms.fence} ms, promote ${fo.ms.promote} ms, total ${fo.ms.total} ms); writes back after ${downtime} ms`,
    )
    report(
      t,
      `during the master's loss: ${s.requests} read operations, ${s.failures} failed; ${describeStats(s)}; writes: ${acknowledged.length} acknowledged (${ackedBefore} before the kill), ${writesFailed} failed`,
    )
    assert.notEqual(fo.promoted, old.name)
    assert.equal(state.master, fo.promoted)
    assert.equal(s.failures, 0, describeStats(s))
    assert.ok(downtime <= 30_000, `writes back within 30 s (${downtime} ms)`)
    assert.ok(acknowledged.length > ackedBefore, 'writes were acknowledged after the failover')
    // Every acknowledged account exists, seen through each cluster.
    const missing: string[] = []
    for (const c of ['a', 'b']) {
      const p = new WebClient(pinnedAgent(lb(c), ca))
      for (const email of acknowledged) {
        const r = await p.get('have_email', { email })
        if (field(r, 'email_known') !== true) missing.push(`${email} via ${c}`)
      }
    }
    report(t, `acknowledged writes lost: ${missing.length} of ${acknowledged.length}`)
    assert.deepEqual(missing, [])
    await agent.close()
  })

  it('(3b) the fenced old master rejoins as a read-only replica of the new master (make rejoin)', async (t) => {
    const plan = planOf(state)
    const [oldName] = state.fenced
    assert.ok(oldName !== undefined, 'a master was fenced by (3)')
    const old = hostNamed(plan, oldName)
    const [r] = await simRejoin(state, () => {}, { rebuild: true })
    assert.ok(r)
    report(
      t,
      `old master ${old.name} rejoined as a replica of ${state.master} in ${r.ms} ms (${r.how === 'gtid' ? 'by GTID, from what it held' : `rebuilt from a copy of the master: it held ${r.discarded}, which no replica had received`})`,
    )
    assert.equal(r.host, old.name)
    assert.deepEqual(state.fenced, [])
    const k = rootKnex(socketOf(plan, old))
    try {
      const ro = (await k.raw('SELECT @@GLOBAL.read_only AS ro'))[0][0] as { ro: number }
      assert.equal(Number(ro.ro), 1, 'read-only: never a second writable master')
      // A write made now, through DNS, reaches it by replication from the new master.
      const { agent } = dnsAgent(resolverFor(plan), ca)
      const email = freshEmail('rejoin')
      await signUp(agent, mailUrl, email, 'rejoin-pass-0123')
      await agent.close()
      const until = Date.now() + 20_000
      let seen = 0
      while (seen === 0 && Date.now() < until) {
        const rows = (
          await k.raw('SELECT COUNT(*) AS n FROM persona.emails WHERE address = ?', [email])
        )[0] as {
          n: number
        }[]
        seen = Number(rows[0]?.n ?? 0)
        if (seen === 0) await new Promise((res) => setTimeout(res, 200))
      }
      assert.equal(seen, 1, 'the rejoined server replicates the new master')
      const status = (await k.raw('SHOW SLAVE STATUS'))[0][0] as Record<string, string>
      assert.equal(status.Master_Host, hostNamed(plan, state.master).address)
      assert.equal(status.Slave_IO_Running, 'Yes')
      assert.equal(status.Slave_SQL_Running, 'Yes')
    } finally {
      await k.destroy()
    }
    // Back under its cluster's replica name.
    const named = await resolverFor(plan).resolve4(replicaName(old.cluster ?? ''))
    assert.ok(named.includes(old.address) || hostsOf(plan, 'db', old.cluster).length > 2, named.join(' '))
  })

  it('(5) the signing key rotates with 0 failed requests: the next key is published and trusted everywhere before it signs', async (t) => {
    // The key pair the init job made: one secret every cluster's certifier reads, and its public half.
    const files = {
      privateKeyFile: join(paths(dir).secrets, 'certifier', 'root.secretkey.json'),
      publicKeyFile: join(paths(dir).secrets, 'public', 'root.publickey.json'),
    }
    const signedBy = (assertion: string, key: PublicKey) => {
      const d = decodeJws(assertion.split('~')[0] ?? '')
      return typeof d !== 'string' && verifyJwsSignature(d, key)
    }
    const { agent } = dnsAgent(resolverFor(planOf(state)), ca)
    const acct = accounts[0]
    assert.ok(acct !== undefined)
    const before = await signIn(agent, acct.email, acct.pass)
    const load = new Load({ dispatcher: agent, accounts, scenario: 'sign-in', workers: 2, pauseMs: 150 })
    load.start()
    const t0 = performance.now()
    const staged = await stageNext(files)
    const next = staged.next?.publicKey
    assert.ok(next !== undefined)
    // Every cluster publishes the next key before anything signs with it.
    const nextJson = JSON.stringify(next.toJSON())
    for (const c of ['a', 'b']) {
      const w = new WebClient(pinnedAgent(lb(c), ca))
      const until = Date.now() + 20_000
      for (;;) {
        const doc = await w.send('GET', '/.well-known/browserid')
        if (JSON.stringify(field(doc, 'next-public-key')) === nextJson) break
        assert.ok(Date.now() < until, `cluster ${c} publishes the next key`)
        await new Promise((r) => setTimeout(r, 250))
      }
    }
    const published = Math.round(performance.now() - t0)
    await promoteNext(files, { minStagedMs: 0 })
    // Each cluster's certifier signs with the new key within its reload interval.
    for (const c of ['a', 'b']) {
      const until = Date.now() + 20_000
      for (;;) {
        const a = await signIn(pinnedAgent(lb(c), ca), acct.email, acct.pass)
        if (signedBy(a.assertion, next)) {
          await verifyOkay(pinnedAgent(lb(c === 'a' ? 'b' : 'a'), ca), a.assertion, acct.email)
          break
        }
        assert.ok(Date.now() < until, `cluster ${c} signs with the promoted key`)
        await new Promise((r) => setTimeout(r, 250))
      }
    }
    const promoted = Math.round(performance.now() - t0 - published)
    // A certificate signed before the rotation still verifies everywhere (the previous key is trusted).
    for (const c of ['a', 'b']) await verifyOkay(pinnedAgent(lb(c), ca), before.assertion, acct.email)
    const s = await load.stop()
    const jwks = await new WebClient(pinnedAgent(lb('b'), ca)).send('GET', '/.well-known/jwks.json')
    const kids = field(jwks, 'keys')
    assert.ok(
      Array.isArray(kids) && kids.length === 2,
      `JWKS lists current and previous: ${jwks.text.slice(0, 200)}`,
    )
    const ring = parsePublicRing(await readFile(files.publicKeyFile, 'utf8'))
    assert.ok(ring.current.equals(next) && ring.previous !== undefined)
    report(
      t,
      `key rotation: next key published by both clusters ${published} ms after staging, signing with it everywhere ${promoted} ms after promotion; ${s.requests} operations, ${s.failures} failed`,
    )
    assert.equal(s.failures, 0, describeStats(s))
    await agent.close()
  })
})
