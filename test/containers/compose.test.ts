// SPDX-License-Identifier: MPL-2.0
// Static checks of docker-compose.yml and the Dockerfile against the topology table
// (services/kit/src/topology.ts): containers share a network exactly when a flow allows it, only the
// proxy has a way out, only nginx (and the mail catcher's UI) publish, on 127.0.0.1, secrets reach only
// their holders; plus the Compose subset both Compose v2 and docker-compose 1.29 read. No Docker needed.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { imageEnv } from '@persona/deploy/env'
import { CONTAINER_PATHS, NODE_IMAGE_ENV, ONE_SHOT_FLOWS, RUN_AS } from '@persona/deploy/parts'
import {
  EXTERNAL_PORTS,
  FLOWS,
  MONITORING_FLOWS,
  MONITORING_PARTS,
  MONITORING_SPECS,
  type MonitoringPart,
  type NodeName,
  SECRET_NAMES,
  SECRETS,
  SERVICE_SPECS,
  SERVICES,
} from '@persona/kit'
import { parse } from 'yaml'
import { accountsSql, nativePasswordHash } from '../../docker/init/init.ts'
import { importsOf, packageName, plan, TARGETS } from '../../docker/plan.ts'
import {
  composeConfig,
  environmentOf,
  isObj,
  mountsOf,
  networksOf,
  type Obj,
  PRODUCTION_FILES,
  portsOf,
  productionEnv,
  strings,
} from './compose-render.ts'

const root = join(import.meta.dirname, '../..')
// The files as Compose itself renders them: the development stack, and a real host's override.
const dev = await composeConfig(['docker-compose.yml'])
const prod = await composeConfig(PRODUCTION_FILES, productionEnv())
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8')

function obj(v: unknown, what: string): Obj {
  assert.ok(isObj(v), `${what} is a mapping`)
  return v
}

const services = dev.services
const networks = dev.networks
const names = Object.keys(services)
const svc = (name: string): Obj => obj(services[name], `service ${name}`)
const netsOf = (name: string): string[] => networksOf(svc(name))

/** Compose service -> node of the topology's flow graph (one-shot init jobs are not in it). */
const NODE_OF: Readonly<Record<string, NodeName>> = {
  ...Object.fromEntries(SERVICES.map((s) => [s, s])),
  nginx: 'nginx',
  'db-master': 'db-master',
  'db-replica': 'db-replica',
  mailcatcher: 'smtp',
}
/** Compose service -> part of the monitoring plane (profile `monitoring`; topology.ts MONITORING_FLOWS). */
const PART_OF: Readonly<Record<string, MonitoringPart | 'alert-receiver'>> = {
  prometheus: 'prometheus',
  alertmanager: 'alertmanager',
  'blackbox-exporter': 'blackbox-exporter',
  'mysqld-exporter-master': 'mysqld-exporter',
  'mysqld-exporter-replica': 'mysqld-exporter',
  // The pager's stand-in: where Alertmanager's webhooks go in development.
  'alert-receiver': 'alert-receiver',
}
/** Flows of the one-shot jobs, which the topology (long-running processes) does not list. */
const INIT_FLOWS: readonly [string, string][] = ONE_SHOT_FLOWS.map((f) => [f.from, f.to])
/** Development-only published ports besides nginx (the mail catcher's, and monitoring's UIs). */
const DEV_PUBLISHERS = ['mailcatcher', 'prometheus', 'alertmanager']

function maySharePair(a: string, b: string): boolean {
  if (INIT_FLOWS.some(([x, y]) => (x === a && y === b) || (x === b && y === a))) return true
  // The monitoring plane is one deployment (a monitoring host): its parts share its network.
  if (PART_OF[a] !== undefined && PART_OF[b] !== undefined) return true
  const na = NODE_OF[a] ?? PART_OF[a]
  const nb = NODE_OF[b] ?? PART_OF[b]
  if (na === undefined || nb === undefined) return false
  return [...FLOWS, ...MONITORING_FLOWS].some(
    (f) => (f.from === na && f.to === nb) || (f.from === nb && f.to === na),
  )
}

function masqueradeOff(net: string): boolean {
  const n = networks[net]
  const opts = isObj(n) && isObj(n.driver_opts) ? n.driver_opts : {}
  return String(opts['com.docker.network.bridge.enable_ip_masquerade']) === 'false'
}

function internal(net: string): boolean {
  const n = networks[net]
  return isObj(n) && n.internal === true
}

/** An internal network whose bridge has no host address: its members cannot reach the Docker host. */
function hostless(net: string): boolean {
  const n = networks[net]
  const opts = isObj(n) && isObj(n.driver_opts) ? n.driver_opts : {}
  return internal(net) && String(opts['com.docker.network.bridge.inhibit_ipv4']) === 'true'
}

describe('docker-compose.yml networks follow the topology', () => {
  it('has a service for every process of the topology', () => {
    for (const s of [
      ...SERVICES,
      'nginx',
      'db-master',
      'db-replica',
      'mailcatcher',
      'init',
      'init-secrets',
    ]) {
      assert.ok(names.includes(s), `service ${s} in docker-compose.yml`)
    }
  })

  it('puts two containers on a common network exactly when a flow allows one to call the other', () => {
    for (const a of names) {
      for (const b of names) {
        if (a >= b) continue
        const shared = netsOf(a).filter((n) => netsOf(b).includes(n))
        if (shared.length > 0) {
          assert.ok(maySharePair(a, b), `${a} and ${b} share ${shared.join(', ')} but no flow allows it`)
        }
      }
    }
    const internalFlows = FLOWS.filter((f) => f.from !== 'internet' && f.to !== 'internet')
    for (const f of internalFlows) {
      const a = names.find((n) => NODE_OF[n] === f.from)
      const b = names.find((n) => NODE_OF[n] === f.to)
      assert.ok(a !== undefined && b !== undefined, `flow ${f.from} -> ${f.to} has both ends in compose`)
      assert.ok(
        netsOf(a).some((n) => netsOf(b).includes(n)),
        `flow ${f.from} -> ${f.to} (${f.why}) needs a common network`,
      )
    }
  })

  it('gives a way out only to the services the topology lets reach the internet', () => {
    const outbound = new Set<string>(
      [...FLOWS, ...MONITORING_FLOWS].filter((f) => f.to === 'internet').map((f) => f.from),
    )
    const nodeOf = (n: string): string | undefined => NODE_OF[n] ?? PART_OF[n]
    for (const net of Object.keys(networks)) {
      const members = names.filter((n) => netsOf(n).includes(net))
      if (internal(net)) {
        assert.ok(hostless(net), `internal network ${net} gives the host no address (inhibit_ipv4)`)
        continue
      }
      if (masqueradeOff(net)) {
        // The way in only: one publishing container, nothing goes out through it.
        assert.equal(members.length, 1, `ingress network ${net} has exactly one member`)
        const [m] = members
        assert.ok(m !== undefined && portsOf(svc(m)).length > 0, `${net} exists for a published port`)
        continue
      }
      for (const m of members) {
        const node = nodeOf(m)
        assert.ok(node !== undefined && outbound.has(node), `${m} is on ${net}, a network with a way out`)
      }
    }
    for (const node of outbound) {
      if (node === 'internet') continue
      const m = names.find((n) => nodeOf(n) === node)
      assert.ok(m !== undefined, `${node} in compose`)
      assert.ok(
        netsOf(m).some((n) => !internal(n) && !masqueradeOff(n)),
        `${m} has a network with a way out`,
      )
    }
  })

  it('keeps the example relying site outside the stack: opt-in, on the host network like a real site', () => {
    const rp = svc('example-rp')
    assert.equal(rp.network_mode, 'host')
    assert.deepEqual(strings(rp.profiles), ['example'])
    assert.equal(rp.volumes, undefined, 'no volume (no secret)')
    for (const n of names) {
      if (n !== 'example-rp')
        assert.equal(svc(n).network_mode ?? 'none', 'none', `${n} uses compose networks`)
    }
  })

  it('declares every network it uses, and every declared network is used', () => {
    const used = new Set(names.flatMap(netsOf))
    assert.deepEqual([...used].sort(), Object.keys(networks).sort())
  })
})

describe('docker-compose.yml exposure and hardening', () => {
  it('publishes ports only from nginx (and the mail catcher UI), on 127.0.0.1', () => {
    for (const n of names) {
      const ports = portsOf(svc(n))
      if (ports.length === 0) continue
      assert.ok(n === 'nginx' || DEV_PUBLISHERS.includes(n), `${n} publishes ${ports.join(', ')}`)
      for (const p of ports) assert.match(p, /^127\.0\.0\.1:/, `${n} publishes ${p} on loopback only`)
    }
    const nginxPorts = portsOf(svc('nginx'))
    assert.ok(
      nginxPorts.some((p) => p.endsWith(':8080')),
      'nginx publishes its port 8080',
    )
  })

  it('runs every container read-only, without capabilities, with no-new-privileges', () => {
    for (const n of names) {
      const s = svc(n)
      assert.equal(s.read_only, true, `${n} read_only`)
      assert.deepEqual(strings(s.cap_drop), ['ALL'], `${n} cap_drop ALL`)
      assert.ok(strings(s.security_opt).includes('no-new-privileges:true'), `${n} no-new-privileges`)
      assert.notEqual(s.privileged, true, `${n} not privileged`)
      assert.equal(String(s.user), `${RUN_AS.uid}:${RUN_AS.gid}`, `${n} runs as the contract's user`)
    }
  })

  it('keeps state in named volumes only (no host paths)', () => {
    const declared = Object.keys(dev.volumes)
    for (const n of names) {
      for (const m of mountsOf(svc(n))) {
        assert.ok(declared.includes(m.source), `${n} mounts named volume ${m.source} (not a host path)`)
      }
    }
  })

  it('starts services only after the one-shot init jobs succeeded', () => {
    const conds = new Set(['service_started', 'service_healthy', 'service_completed_successfully'])
    for (const n of names) {
      const deps = svc(n).depends_on
      if (deps === undefined) continue
      for (const [dep, spec] of Object.entries(obj(deps, `${n}.depends_on`))) {
        assert.ok(names.includes(dep), `${n} depends on existing ${dep}`)
        const s = obj(spec, `${n}.depends_on.${dep}`)
        assert.ok(conds.has(String(s.condition)), `${n}.depends_on.${dep}.condition`)
      }
    }
    const needs = (n: string, dep: string) => isObj(svc(n).depends_on) && dep in obj(svc(n).depends_on, n)
    assert.ok(needs('db-master', 'init-secrets'))
    assert.ok(needs('init', 'db-master'))
    for (const s of ['reader', 'writer']) assert.ok(needs(s, 'init'), `${s} waits for init`)
  })

  it('stays within the subset docker-compose 1.29 and Compose v2 both read', () => {
    for (const file of ['docker-compose.yml', 'docker-compose.production.yml']) {
      const text = readFileSync(join(root, file), 'utf8')
      assert.doesNotMatch(text, /^(name|version):/m, `${file}: no top-level name or version`)
      const code = text
        .split('\n')
        .filter((l) => !l.trimStart().startsWith('#'))
        .join('\n')
      for (const bad of ['start_interval', 'required:', 'subpath', 'develop:', '!reset', '!override']) {
        assert.ok(!code.includes(bad), `${file}: no ${bad}`)
      }
    }
  })
})

describe("docker-compose.yml's monitoring profile", () => {
  const prometheusYml = parse(readFileSync(join(root, 'monitoring/compose/prometheus.yml'), 'utf8')) as {
    scrape_configs: {
      job_name: string
      metrics_path?: string
      static_configs?: { targets: string[]; labels?: Record<string, string> }[]
      relabel_configs?: { target_label?: string; replacement?: string }[]
    }[]
  }
  /** The port each container listens on. */
  const portOf = (n: string): number | undefined => {
    if ((SERVICES as readonly string[]).includes(n))
      return SERVICE_SPECS[n as keyof typeof SERVICE_SPECS].port
    if (n === 'nginx') return EXTERNAL_PORTS.nginx.http
    if (n === 'db-master' || n === 'db-replica') return EXTERNAL_PORTS[n].mysql
    const part = PART_OF[n]
    return part === undefined || part === 'alert-receiver' ? undefined : MONITORING_SPECS[part].port
  }
  const reaches = (a: string, b: string) => netsOf(a).some((n) => netsOf(b).includes(n))
  /** host:port of a target (a probe's URL too). */
  const hostPort = (t: string): [string, number] => {
    const m = /^(?:https?:\/\/)?([^:/]+):(\d+)/.exec(t)
    assert.ok(m !== null, `target ${t}`)
    return [m[1] ?? '', Number(m[2])]
  }

  it('runs every monitoring part, in the monitoring profile only', () => {
    const profiled = names.filter((n) => strings(svc(n).profiles).includes('monitoring'))
    assert.deepEqual(profiled.sort(), Object.keys(PART_OF).sort())
    for (const p of MONITORING_PARTS)
      assert.ok(
        profiled.some((n) => PART_OF[n] === p),
        `${p} in compose`,
      )
    assert.deepEqual(
      ['mysqld-exporter-master', 'mysqld-exporter-replica'].map((n) => environmentOf(svc(n)).MYSQLD_HOST),
      ['db-master', 'db-replica'],
      'a mysqld exporter beside each database',
    )
    assert.deepEqual(portsOf(svc('prometheus')), ['127.0.0.1:9090:9090'])
    assert.deepEqual(portsOf(svc('alertmanager')), ['127.0.0.1:9093:9093'])
  })

  it('scrapes every process and exporter, and probes nginx and each database, over networks the stack gives it', () => {
    const scraped: string[] = []
    for (const job of prometheusYml.scrape_configs) {
      const probe = job.metrics_path === '/probe'
      const via = probe
        ? hostPort(job.relabel_configs?.find((r) => r.target_label === '__address__')?.replacement ?? '')[0]
        : 'prometheus'
      if (probe) assert.ok(reaches('prometheus', via), `${job.job_name}: Prometheus reaches ${via}`)
      for (const t of (job.static_configs ?? []).flatMap((c) => c.targets)) {
        const [host, port] = hostPort(t)
        if (host === 'localhost') continue // Prometheus itself
        assert.ok(names.includes(host), `${job.job_name}: ${t} is a compose service`)
        assert.equal(port, portOf(host), `${job.job_name}: ${host} listens on ${port}`)
        assert.ok(reaches(via, host), `${job.job_name}: ${via} shares a network with ${host}`)
        scraped.push(`${job.job_name}/${host}`)
      }
    }
    for (const s of SERVICES) assert.ok(scraped.includes(`persona/${s}`), `${s} scraped`)
    for (const n of ['mysqld-exporter-master', 'mysqld-exporter-replica'])
      assert.ok(scraped.includes(`persona-mysqld/${n}`), `${n} scraped`)
    assert.ok(scraped.includes('persona-nginx/nginx'))
    assert.ok(scraped.includes('persona-db/db-master') && scraped.includes('persona-db/db-replica'))
    assert.ok(scraped.includes('persona-db-master/db-master'), 'the master probed as the master')
    assert.ok(scraped.includes('alertmanager/alertmanager'))
  })

  it("sends alerts to Alertmanager, and Alertmanager's webhooks to the recording receiver", () => {
    const am = parse(readFileSync(join(root, 'monitoring/compose/alertmanager.yml'), 'utf8')) as {
      receivers: { name: string; webhook_configs?: { url: string }[] }[]
    }
    const urls = am.receivers.flatMap((r) => (r.webhook_configs ?? []).map((w) => w.url))
    assert.ok(urls.length >= 2)
    for (const u of urls) {
      const [host] = hostPort(u)
      assert.equal(host, 'alert-receiver', u)
    }
    assert.ok(reaches('alertmanager', 'alert-receiver') && reaches('prometheus', 'alertmanager'))
  })
})

describe('secrets reach only their holders', () => {
  const secretEnv = new Set<string>(SECRET_NAMES.map((s) => SECRETS[s].env))

  it('puts no secret value in any environment (only the certifier key path, in the certifier)', () => {
    for (const n of names) {
      for (const k of Object.keys(environmentOf(svc(n)))) {
        if (!secretEnv.has(k)) continue
        const name = SECRET_NAMES.find((s) => SECRETS[s].env === k)
        assert.ok(name !== undefined && k.endsWith('_FILE'), `${n} gets secret ${k} in its environment`)
        const holders: readonly string[] = SECRETS[name].holders
        assert.ok(holders.includes(n), `${n} may hold ${name}`)
      }
    }
  })

  it("mounts each holder's secrets volume only in that holder (read-only) and init-secrets", () => {
    const holders = new Set(SECRET_NAMES.flatMap((s) => [...SECRETS[s].holders]))
    for (const n of names) {
      for (const v of mountsOf(svc(n))) {
        const m = /^secrets-(.+)$/.exec(v.source)
        if (m === null) continue
        const owner = m[1] ?? ''
        if (n === 'init-secrets') {
          assert.equal(v.target, `/run/persona/${owner}`, `init-secrets writes ${owner}'s secrets`)
          continue
        }
        assert.ok(owner === n || owner === PART_OF[n], `${n} mounts ${v.source}`)
        assert.ok(v.readOnly, `${n} mounts ${v.source} read-only`)
        if (n !== 'init')
          assert.equal(v.target, CONTAINER_PATHS.secretsDir, `${n}: the contract's secrets dir`)
      }
    }
    for (const h of holders) {
      // A monitoring part may run as several containers (a mysqld exporter beside each database).
      const containers = h === 'init' ? ['init'] : names.filter((n) => n === h || PART_OF[n] === h)
      assert.ok(containers.length > 0, `${h} runs in compose`)
      for (const c of containers)
        assert.ok(
          mountsOf(svc(c)).some((v) => v.source === `secrets-${h}`),
          `${c} mounts the secrets volume of ${h}`,
        )
    }
  })

  it("writes the master's accounts as MariaDB password hashes, never the passwords", () => {
    // MariaDB: SELECT PASSWORD('password') = '*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19'
    assert.equal(nativePasswordHash('password'), '*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19')
    const sql = accountsSql('dba-password-0123', 'repl-password-4567')
    assert.ok(!sql.includes('dba-password-0123') && !sql.includes('repl-password-4567'))
    assert.match(sql, /'persona_dba'@'%' IDENTIFIED BY PASSWORD '\*[0-9A-F]{40}'/)
  })

  it('gives the public key (not the private one) to the reader and the verifier', () => {
    for (const n of ['reader', 'verifier']) {
      const vols = mountsOf(svc(n))
      assert.ok(
        vols.some(
          (v) => v.source === 'public-key' && v.readOnly && v.target === CONTAINER_PATHS.publicKeyDir,
        ),
        `${n} public key read-only at the contract's path`,
      )
      assert.ok(!vols.some((v) => v.source.startsWith('secrets-certifier')), `${n} has no private key`)
    }
  })
})

describe('docker-compose.production.yml: a real host', () => {
  const p = (name: string): Obj => obj(prod.services[name], `production service ${name}`)

  it("renders with .env.example's variables, and names the one that is missing", async () => {
    assert.ok(Object.keys(prod.services).length >= names.length)
    const env = productionEnv()
    for (const v of ['PERSONA_HOSTNAME', 'PERSONA_PUBLIC_URL', 'PERSONA_TLS_DIR', 'PERSONA_SMTP_HOST']) {
      const { [v]: _, ...without } = env
      await assert.rejects(composeConfig(PRODUCTION_FILES, without), new RegExp(v), `without ${v}`)
    }
    const example = readFileSync(join(root, '.env.example'), 'utf8')
    for (const v of Object.keys(env))
      assert.match(example, new RegExp(`^#?${v}=`, 'm'), `.env.example documents ${v}`)
  })

  it("serves TLS on 443 with the operator's certificate, plain http only redirecting", () => {
    const env = environmentOf(p('nginx'))
    assert.equal(env.NGINX_MODE, 'production')
    assert.equal(env.NGINX_SERVER_NAMES, 'login.example.com')
    assert.equal(env.NGINX_VERIFIER_HOST, 'verifier.login.example.com')
    assert.ok(portsOf(p('nginx')).includes('0.0.0.0:443:443'), portsOf(p('nginx')).join(' '))
    assert.ok(env.NGINX_HTTP_REDIRECT_PORT !== undefined)
    const tls = mountsOf(p('nginx')).find((m) => m.target === CONTAINER_PATHS.tlsDir)
    assert.ok(tls?.readOnly && tls.source === '/etc/persona/tls', 'the TLS directory, read-only')
  })

  it('runs in production mode: secure cookies, the https origin, no mail catcher, mail to the relay', () => {
    assert.equal(environmentOf(p('reader')).COOKIE_SECURE, 'true')
    for (const s of ['reader', 'writer'])
      assert.equal(environmentOf(p(s)).PUBLIC_URL, 'https://login.example.com')
    for (const s of ['certifier', 'verifier'])
      assert.equal(environmentOf(p(s)).ISSUER_DOMAIN, 'login.example.com')
    assert.ok(strings(p('mailcatcher').profiles).includes('development'), 'the mail catcher is off')
    assert.equal(environmentOf(p('writer')).SMTP_HOST, 'smtp.example.com')
    // The writer, and only the writer and proxy, gets a network with a way out (to the relay).
    const open = (n: string) =>
      networksOf(p(n)).filter((net) => !(isObj(prod.networks[net]) && prod.networks[net]?.internal === true))
    assert.deepEqual(open('writer'), ['mail-out'])
    for (const n of Object.keys(prod.services)) {
      if (n !== 'writer') assert.ok(!networksOf(p(n)).includes('mail-out'), `${n} is not on mail-out`)
    }
    // No image in production is the node's default: every one is named by the registry and version.
    for (const n of Object.keys(prod.services)) {
      assert.match(String(p(n).image), /^registry\.example\.com\/persona\/persona-[a-z-]+:v1\.0\.0$/, n)
    }
  })

  it("passes the relay's account from the operator's files to init, never through the environment", () => {
    const mounts = mountsOf(p('init-secrets')).filter((m) => m.target.startsWith('/run/persona/provided/'))
    assert.deepEqual(mounts.map((m) => m.target).sort(), [
      '/run/persona/provided/SMTP_PASS',
      '/run/persona/provided/SMTP_USER',
    ])
    for (const n of Object.keys(prod.services)) {
      const env = environmentOf(p(n))
      assert.equal(env.SMTP_PASS, undefined, n)
      assert.equal(env.SMTP_USER, undefined, n)
    }
  })
})

describe('Dockerfile', () => {
  const stages = [...dockerfile.matchAll(/^FROM\s+\S+\s+AS\s+(\S+)/gim)].map((m) => m[1])

  it('has a stage for every target compose builds, and a target per process', () => {
    for (const n of names) {
      const build = svc(n).build
      if (build === undefined) continue
      const target = obj(build, `${n}.build`).target
      assert.ok(typeof target === 'string' && stages.includes(target), `${n} builds target ${String(target)}`)
    }
    for (const s of SERVICES) assert.ok(stages.includes(s), `target ${s}`)
    for (const s of ['init', 'nginx', 'mariadb', 'mailcatcher', 'example-rp', 'alert-receiver'])
      assert.ok(stages.includes(s), `target ${s}`)
    for (const p of MONITORING_PARTS) assert.ok(stages.includes(p), `target ${p}`)
  })

  it("sets the contract's image env in every Node image (init: its own secrets directory)", () => {
    const block = (stage: string) =>
      dockerfile.split(/^FROM /m).find((b) => new RegExp(`AS ${stage}\\s*$`, 'm').test(b)) ?? ''
    const envOf = (stage: string) =>
      Object.fromEntries(
        [...block(stage).matchAll(/^ENV (.+)$/gm)].flatMap((m) =>
          (m[1] ?? '').split(/\s+/).map((kv) => kv.split('=') as [string, string]),
        ),
      )
    assert.deepEqual(
      Object.fromEntries(Object.entries(envOf('runtime')).filter(([k]) => k in NODE_IMAGE_ENV)),
      { ...NODE_IMAGE_ENV },
    )
    assert.equal(envOf('init').PERSONA_SECRETS_DIR, imageEnv('init').PERSONA_SECRETS_DIR)
  })

  it('starts every service on its topology port with a heartbeat healthcheck', () => {
    for (const s of SERVICES) {
      const block = dockerfile.split(/^FROM /m).find((b) => new RegExp(`AS ${s}\\s*$`, 'm').test(b)) ?? ''
      assert.match(
        block,
        new RegExp(`HEALTH_URL=http://127\\.0\\.0\\.1:${SERVICE_SPECS[s].port}/__heartbeat__`),
      )
      assert.match(block, new RegExp(`CMD \\["node", "services/${s}/src/server\\.ts"\\]`))
    }
    assert.match(dockerfile, /HEALTHCHECK .*\/app\/docker\/healthcheck\.sh/)
    assert.match(dockerfile, /ENTRYPOINT \["\/usr\/bin\/tini", "--"/)
    assert.match(dockerfile, /^USER node$/m)
  })
})

describe('docker/plan.ts: each image carries only what its process imports', () => {
  it('reads static, dynamic, side-effect imports and worker URLs', () => {
    const src = `import a from './a.ts'\nimport type { B } from '@persona/kit'\nimport './c.ts'\nexport * from "./d.ts"
      const e = await import('./e.ts'); new URL('./worker.ts', import.meta.url)`
    assert.deepEqual(importsOf(src).sort(), [
      './a.ts',
      './c.ts',
      './d.ts',
      './e.ts',
      './worker.ts',
      '@persona/kit',
    ])
  })

  it('names the npm package of a bare import, not builtins, relative paths or text', () => {
    assert.equal(packageName('fastify'), 'fastify')
    assert.equal(packageName('@fastify/static/lib/x.js'), '@fastify/static')
    assert.equal(packageName('node:fs'), undefined)
    assert.equal(packageName('fs'), undefined)
    assert.equal(packageName('./a.ts'), undefined)
    assert.equal(packageName(['$', '{domain}'].join('')), undefined)
  })

  it("brings another package's subpath import as those files only: the proxy's client in reader and verifier", () => {
    for (const s of ['reader', 'verifier']) {
      const p = plan(root, TARGETS[s] ?? '')
      assert.deepEqual(p.borrowed, ['services/proxy'], s)
      const proxyFiles = p.files.filter((f) => f.startsWith('services/proxy/'))
      assert.ok(proxyFiles.includes('services/proxy/src/client.ts'), s)
      assert.ok(
        !proxyFiles.some((f) => /fetcher|address-policy|server/.test(f)),
        `${s}: ${proxyFiles.join(' ')}`,
      )
      assert.ok(!p.packages.includes('ipaddr.js'), `${s} gets none of the proxy's own dependencies`)
    }
  })

  it('plans every service image without any other service', () => {
    for (const s of SERVICES) {
      const p = plan(root, TARGETS[s] ?? '')
      if (p.missingEntry) continue // a service not written yet: its image is empty and the live test fails
      assert.ok(p.workspaces.includes(`services/${s}`), `${s} image has its own package`)
      assert.ok(p.workspaces.includes('services/kit'), `${s} image has the kit`)
      for (const other of SERVICES) {
        if (other !== s) assert.ok(!p.workspaces.includes(`services/${other}`), `${s} image lacks ${other}`)
      }
      assert.ok(!p.workspaces.includes('test') && !p.workspaces.includes('infra'), `${s}: no test/infra code`)
      assert.ok(!p.files.some((f) => f.endsWith('.test.ts')), `${s}: no test files`)
    }
  })
})
