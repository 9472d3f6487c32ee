// SPDX-License-Identifier: MPL-2.0
// Static checks of docker-compose.yml and the Dockerfile against the topology table
// (services/kit/src/topology.ts): containers share a network exactly when a flow allows it, only the
// proxy has a way out, only nginx (and the mail catcher's UI) publish, on 127.0.0.1, secrets reach only
// their holders; plus the Compose subset both Compose v2 and docker-compose 1.29 read. No Docker needed.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { FLOWS, type NodeName, SECRET_NAMES, SECRETS, SERVICE_SPECS, SERVICES } from '@persona/kit'
import { parse } from 'yaml'
import { nativePasswordHash } from '../../docker/init/init.ts'
import { importsOf, packageName, plan, TARGETS } from '../../docker/plan.ts'

const root = join(import.meta.dirname, '../..')
const compose: unknown = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true })
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8')

type Obj = Record<string, unknown>
function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
function obj(v: unknown, what: string): Obj {
  assert.ok(isObj(v), `${what} is a mapping`)
  return v
}
function strings(v: unknown): string[] {
  if (v === undefined) return []
  if (Array.isArray(v)) return v.map(String)
  if (isObj(v)) return Object.keys(v)
  return [String(v)]
}

const top = obj(compose, 'docker-compose.yml')
const services = obj(top.services, 'services')
const networks = obj(top.networks, 'networks')
const names = Object.keys(services)
const svc = (name: string): Obj => obj(services[name], `service ${name}`)
const netsOf = (name: string): string[] => strings(svc(name).networks)

/** Compose service -> node of the topology's flow graph (one-shot init jobs are not in it). */
const NODE_OF: Readonly<Record<string, NodeName>> = {
  ...Object.fromEntries(SERVICES.map((s) => [s, s])),
  nginx: 'nginx',
  'db-master': 'db-master',
  'db-replica': 'db-replica',
  mailcatcher: 'smtp',
}
/** Flows of the one-shot jobs, which the topology (long-running processes) does not list. */
const INIT_FLOWS: readonly [string, string][] = [['init', 'db-master']]
/** Development-only published ports besides nginx. */
const DEV_PUBLISHERS = ['mailcatcher']

function maySharePair(a: string, b: string): boolean {
  if (INIT_FLOWS.some(([x, y]) => (x === a && y === b) || (x === b && y === a))) return true
  const na = NODE_OF[a]
  const nb = NODE_OF[b]
  if (na === undefined || nb === undefined) return false
  return FLOWS.some((f) => (f.from === na && f.to === nb) || (f.from === nb && f.to === na))
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
    const outbound = new Set(FLOWS.filter((f) => f.to === 'internet').map((f) => f.from))
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
        assert.ok(m !== undefined && strings(svc(m).ports).length > 0, `${net} exists for a published port`)
        continue
      }
      for (const m of members) {
        const node = NODE_OF[m]
        assert.ok(node !== undefined && outbound.has(node), `${m} is on ${net}, a network with a way out`)
      }
    }
    for (const node of outbound) {
      if (node === 'internet') continue
      const m = names.find((n) => NODE_OF[n] === node)
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
      const ports = strings(svc(n).ports)
      if (ports.length === 0) continue
      assert.ok(n === 'nginx' || DEV_PUBLISHERS.includes(n), `${n} publishes ${ports.join(', ')}`)
      for (const p of ports) assert.match(p, /^127\.0\.0\.1:/, `${n} publishes ${p} on loopback only`)
    }
    const nginxPorts = strings(svc('nginx').ports)
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
      assert.equal(s.user, undefined, `${n} keeps its image's non-root user`)
    }
  })

  it('keeps state in named volumes only (no host paths)', () => {
    const declared = Object.keys(obj(top.volumes, 'volumes'))
    for (const n of names) {
      for (const v of strings(svc(n).volumes)) {
        const source = v.split(':')[0] ?? ''
        assert.ok(declared.includes(source), `${n} mounts named volume ${source} (not a host path)`)
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
    assert.equal(top.name, undefined, 'no top-level name')
    assert.equal(top.version, undefined, 'no version key (obsolete in v2)')
    const text = readFileSync(join(root, 'docker-compose.yml'), 'utf8')
      .split('\n')
      .filter((l) => !l.trimStart().startsWith('#'))
      .join('\n')
    for (const bad of ['start_interval', 'required:', 'subpath', 'develop:', '!reset', '!override']) {
      assert.ok(!text.includes(bad), `no ${bad}`)
    }
  })
})

describe('secrets reach only their holders', () => {
  const secretEnv = new Set<string>(SECRET_NAMES.map((s) => SECRETS[s].env))

  it('puts no secret value in any environment (only the certifier key path, in the certifier)', () => {
    for (const n of names) {
      const env = svc(n).environment
      const keys = isObj(env) ? Object.keys(env) : strings(env).map((e) => e.split('=')[0] ?? '')
      for (const k of keys) {
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
      for (const v of strings(svc(n).volumes)) {
        const [source = '', , mode] = v.split(':')
        const m = /^secrets-(.+)$/.exec(source)
        if (m === null) continue
        const owner = m[1] ?? ''
        if (n === 'init-secrets') continue
        assert.ok(owner === n, `${n} mounts ${source}`)
        assert.equal(mode, 'ro', `${n} mounts ${source} read-only`)
      }
    }
    for (const h of holders) {
      const mount = h === 'init' ? 'init' : h
      assert.ok(
        strings(svc(mount).volumes).some((v) => v.startsWith(`secrets-${h}:`)),
        `${h} mounts its own secrets volume`,
      )
    }
  })

  it("writes the master's accounts as MariaDB password hashes, never the passwords", () => {
    // MariaDB: SELECT PASSWORD('password') = '*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19'
    assert.equal(nativePasswordHash('password'), '*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19')
  })

  it('gives the public key (not the private one) to the reader and the verifier', () => {
    for (const n of ['reader', 'verifier']) {
      const vols = strings(svc(n).volumes)
      assert.ok(
        vols.some((v) => v.startsWith('public-key:') && v.endsWith(':ro')),
        `${n} public key read-only`,
      )
      assert.ok(!vols.some((v) => v.startsWith('secrets-certifier')), `${n} has no private key`)
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
    for (const s of ['init', 'nginx', 'mariadb', 'mailcatcher', 'example-rp']) assert.ok(stages.includes(s))
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
