// SPDX-License-Identifier: MPL-2.0
// The deployment contract against its four renders: every part's config schema is loaded with exactly
// the environment (and the secret files) each render gives it -- make dev (scripts/dev/env.ts), docker
// compose (the development file and a real host's override, as `compose config` renders them), the
// Helm chart (`helm template`), and the EC2 host boot (the user data Terraform would apply). A missing,
// unknown or misspelt variable fails, naming the render, the part and the variable; so does a secret
// given as an env value, or a secret file a part may not hold. The mutations at the end prove it.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { promisify } from 'node:util'
import { SECRET_NAMES, SECRETS, SERVICE_SPECS, SERVICES } from '@persona/kit'
import { CLUSTERS, type ClusterSpec, SETTINGS } from '../../infra/src/clusters.ts'
import { decodeUserData, resources, synthesize } from '../../infra/test/synthesized.ts'
import { devSecretFiles, devSite, serviceEnv } from '../../scripts/dev/env.ts'
import {
  composeConfig,
  environmentOf,
  mountsOf,
  PRODUCTION_FILES,
  productionEnv,
  ROOT,
} from '../../test/containers/compose-render.ts'
import { template } from '../../test/helm/render.ts'
import { SAMPLE_SECRETS, sampleLayout } from '../../test/stack/sample-layout.ts'
import { checkPart, type RenderedPart } from '../src/check.ts'
import { imageEnv, partEnv, type Site } from '../src/env.ts'
import { CONTAINER_PATHS, isPart, PART_SPECS, PARTS, type PartName } from '../src/parts.ts'

const run = promisify(execFile)

/** Runs the init job's secrets phase into a scratch root: what each holder's directory receives. */
async function initSecretFiles(provided: Record<string, string> = {}): Promise<Map<string, string[]>> {
  const root = await mkdtemp(join(tmpdir(), 'persona-contract-init-'))
  try {
    const holders = [...new Set(SECRET_NAMES.flatMap((s) => [...SECRETS[s].holders]))]
    for (const h of [...holders, 'public', 'provided']) await mkdir(join(root, h), { recursive: true })
    for (const [name, value] of Object.entries(provided)) await writeFile(join(root, 'provided', name), value)
    await run(process.execPath, [join(ROOT, 'docker/init/init.ts'), 'secrets'], {
      env: { PATH: process.env.PATH ?? '', PERSONA_INIT_ROOT: root, PERSONA_SECRETS_DIR: join(root, 'init') },
    })
    const out = new Map<string, string[]>()
    for (const h of holders)
      out.set(
        h,
        (await readdir(join(root, h))).filter((f) => !f.startsWith('.')),
      )
    return out
  } finally {
    await rm(root, { recursive: true, force: true })
  }
}

// ---- make dev ------------------------------------------------------------------------------------------

const layout = sampleLayout({ BCRYPT_ROUNDS: '4' })
const devSecrets = SAMPLE_SECRETS

function devRender(): Map<PartName, RenderedPart> {
  const site = devSite(layout)
  const out = new Map<PartName, RenderedPart>()
  for (const svc of SERVICES) {
    const files = Object.keys(devSecretFiles(svc, devSecrets))
    // The certifier's key is a file of the key setup, named by its path variable.
    if (svc === 'certifier') files.push('root.secretkey.json')
    out.set(svc, {
      env: serviceEnv(svc, layout, { PATH: '/usr/bin' }),
      secretFiles: files,
      expected: partEnv(svc, site),
    })
  }
  return out
}

// ---- docker compose ------------------------------------------------------------------------------------

function composeSite(kind: 'dev' | 'production'): Site {
  const prod = kind === 'production'
  const env = productionEnv()
  return {
    render: `compose:${kind}`,
    containers: true,
    mode: 'production',
    url: (to) => `http://${to}:${SERVICE_SPECS[to].port}`,
    db: { master: { host: 'db-master', port: 3306 }, replica: { host: 'db-replica', port: 3306 } },
    smtp: prod
      ? { host: env.PERSONA_SMTP_HOST ?? '', port: Number(env.PERSONA_SMTP_PORT), secure: false }
      : { host: 'mailcatcher', port: 1025 },
    publicUrl: prod ? (env.PERSONA_PUBLIC_URL ?? '') : 'http://127.0.0.1:8080',
    issuerDomain: prod ? (env.PERSONA_HOSTNAME ?? '') : '127.0.0.1',
    trustProxy: 'uniquelocal',
    edge: prod
      ? {
          mode: 'production',
          listen: '0.0.0.0:443',
          httpRedirectPort: 8080,
          serverNames: [env.PERSONA_HOSTNAME ?? ''],
          verifierHost: env.PERSONA_VERIFIER_HOSTNAME ?? '',
          trustedProxies: [],
        }
      : { mode: 'local', listen: '0.0.0.0:8080', serverNames: [], verifierHost: '' },
    settings: { 'db-master': { PERSONA_DB_SERVER_ID: '1' }, 'db-replica': { PERSONA_DB_SERVER_ID: '2' } },
  }
}

async function composeRender(kind: 'dev' | 'production'): Promise<Map<PartName, RenderedPart>> {
  const files = kind === 'dev' ? ['docker-compose.yml'] : [...PRODUCTION_FILES]
  const cfg = await composeConfig(files, kind === 'dev' ? {} : productionEnv())
  const held = await initSecretFiles(
    kind === 'dev' ? {} : { SMTP_USER: 'relay-user', SMTP_PASS: 'relay-password' },
  )
  const site = composeSite(kind)
  const out = new Map<PartName, RenderedPart>()
  for (const [name, s] of Object.entries(cfg.services)) {
    if (!isPart(name)) continue // init-secrets (the maker), the mail catcher and example site
    // The secrets volume a part mounts where the contract says, and what init put in it.
    const vol = mountsOf(s).find(
      (m) => m.target === imageEnv(name).PERSONA_SECRETS_DIR || m.target === CONTAINER_PATHS.secretsDir,
    )
    const holder = vol?.source.replace(/^secrets-/, '')
    out.set(name, {
      env: environmentOf(s),
      imageEnv: imageEnv(name),
      secretFiles: holder === undefined ? [] : (held.get(holder) ?? []),
      expected: partEnv(name, site),
    })
  }
  return out
}

// ---- the Helm chart ------------------------------------------------------------------------------------

const HELM_FULLNAME = 'persona'

function helmSite(): Site {
  return {
    render: 'helm',
    containers: true,
    mode: 'production',
    url: (to) => `http://${HELM_FULLNAME}-${to}:${SERVICE_SPECS[to].port}`,
    db: {
      master: { host: 'mariadb-primary', port: 3306 },
      replica: { host: 'mariadb-secondary', port: 3306 },
    },
    smtp: { host: 'smtp-relay', port: 25 },
    publicUrl: 'https://login.example.org',
    issuerDomain: 'login.example.org',
    trustProxy: '10.0.0.0/8,172.16.0.0/12,192.168.0.0/16',
    logLevel: 'info',
    shutdownGraceMs: 10000,
  }
}

const at = (v: unknown, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>(
      (cur, k) => (typeof cur === 'object' && cur !== null ? Reflect.get(cur, k) : undefined),
      v,
    )
const list = (v: unknown): Record<string, unknown>[] =>
  Array.isArray(v) ? v.filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null) : []

async function helmRender(): Promise<Map<PartName, RenderedPart>> {
  const manifests = await template()
  const site = helmSite()
  const out = new Map<PartName, RenderedPart>()
  for (const m of manifests) {
    if (m.kind !== 'Deployment' && m.kind !== 'Job') continue
    const labels = at(m, 'spec.template.metadata.labels')
    const component = String(
      typeof labels === 'object' && labels !== null ? Reflect.get(labels, 'app.kubernetes.io/component') : '',
    )
    // The chart's nginx is configured by its own ConfigMap (upstreams by Service name); the migrate and
    // key-setup Jobs are the init part.
    const part = component === 'migrate' || component === 'key-setup' ? 'init' : component
    if (!isPart(part) || part === 'nginx') continue
    const spec = at(m, 'spec.template.spec')
    const c = list(at(spec, 'containers'))[0]
    const env: Record<string, string> = {}
    for (const e of list(c?.env))
      env[String(e.name)] = e.value === undefined ? '<valueFrom>' : String(e.value)
    const dir = part === 'init' ? imageEnv('init').PERSONA_SECRETS_DIR : CONTAINER_PATHS.secretsDir
    const mount = list(c?.volumeMounts).find((v) => v.mountPath === dir)
    const vol = list(at(spec, 'volumes')).find((v) => v.name === mount?.name)
    const files = list(at(vol, 'projected.sources')).flatMap((src) =>
      list(at(src, 'secret.items')).map((i) => String(i.path)),
    )
    const key = `${part}${component === 'key-setup' ? ':key-setup' : ''}`
    out.set(part === 'init' ? (key as PartName) : part, {
      env,
      imageEnv: imageEnv(part),
      secretFiles: files,
      ...(part === 'init' ? {} : { expected: partEnv(part, site) }),
    })
  }
  return out
}

// ---- the EC2 host boot ---------------------------------------------------------------------------------

/** Terraform references in a user data script, as sample values (the host site below uses the same). */
function sampleRefs(v: string): string {
  return v
    .replace(/\$\{aws_lb\.lb-([a-z]+)\.dns_name\}/g, 'lb-$1.example')
    .replace(/\$\{aws_vpc_endpoint\.vpce-smtp\.dns_entry\[0\]\.dns_name\}/g, 'smtp-endpoint.example')
}

function hostSite(cluster: ClusterSpec): Site {
  return {
    render: `host:${cluster.name}`,
    containers: true,
    mode: 'production',
    url: (to, from) => {
      const port = SERVICE_SPECS[to].port
      const cls = SERVICE_SPECS[to].hostClass
      return PART_SPECS[from].hostClass === cls
        ? `http://127.0.0.1:${port}`
        : `http://lb-${cls}.example:${port}`
    },
    db: {
      // One master for every cluster, by one name (infra/src/data-plane.ts).
      master: { host: 'db-master.persona.internal', port: 3306 },
      replica: { host: `db-replica.${cluster.name}.persona.internal`, port: 3306 },
    },
    smtp: { host: 'smtp-endpoint.example', port: SETTINGS.smtpRelay.port, secure: false },
    publicUrl: `https://${SETTINGS.mainName}`,
    issuerDomain: SETTINGS.mainName,
    edge: {
      mode: 'production',
      listen: '0.0.0.0:443',
      serverNames: [SETTINGS.mainName],
      verifierHost: SETTINGS.verifierName,
      trustedProxies: [cluster.vpcCidr],
      monitorAllow: ['127.0.0.1', '::1', cluster.vpcCidr],
    },
    // The boot script computes it from the host's address.
    settings: {
      'db-master': { PERSONA_DB_SERVER_ID: '167772165' },
      'db-replica': { PERSONA_DB_SERVER_ID: '167772166' },
    },
  }
}

/** Each part's section of a boot script: its env file, its -e flags, its secret files. */
function hostParts(script: string, cluster: ClusterSpec): Map<PartName, RenderedPart> {
  const out = new Map<PartName, RenderedPart>()
  for (const section of script.split(/^# ---- /m).slice(1)) {
    const part = section.slice(0, section.indexOf(':'))
    if (!isPart(part)) continue
    const env: Record<string, string> = {}
    const heredoc = /<<'PERSONA_ENV'\n([\s\S]*?)\nPERSONA_ENV/.exec(section)?.[1] ?? ''
    for (const line of heredoc.split('\n').filter((l) => l !== '')) {
      const i = line.indexOf('=')
      env[line.slice(0, i)] = sampleRefs(line.slice(i + 1))
    }
    for (const m of section.matchAll(/ -e ([A-Z_]+)="\$SERVER_ID"/g))
      env[m[1] ?? ''] = part === 'db-master' ? '167772165' : '167772166'
    const files = [...section.matchAll(new RegExp(`/run/persona/${part}/secrets/([A-Za-z_.]+)$`, 'gm'))].map(
      (m) => m[1] ?? '',
    )
    if (files.length > 0) {
      assert.ok(
        section.includes(`-v /run/persona/${part}/secrets:${CONTAINER_PATHS.secretsDir}:ro`),
        `${part}: secrets mounted`,
      )
    }
    out.set(part, {
      env,
      imageEnv: imageEnv(part),
      secretFiles: files,
      ...(part === 'init' ? {} : { expected: partEnv(part, hostSite(cluster)) }),
    })
  }
  return out
}

function hostRender(): Map<string, Map<PartName, RenderedPart>> {
  const app = synthesize()
  try {
    const out = new Map<string, Map<PartName, RenderedPart>>()
    for (const stack of app.stacks) {
      const cluster = CLUSTERS.find((c) => stack.name === `persona-${c.name}`)
      if (cluster === undefined) continue
      const parts = new Map<PartName, RenderedPart>()
      for (const lt of resources(stack, 'aws_launch_template').values()) {
        for (const [p, r] of hostParts(decodeUserData(lt.user_data), cluster)) parts.set(p, r)
      }
      out.set(`host:${cluster.name}`, parts)
    }
    return out
  } finally {
    app.cleanup()
  }
}

// ---- the checks ----------------------------------------------------------------------------------------

function problemsOf(render: string, parts: Map<PartName, RenderedPart>): string[] {
  return [...parts].flatMap(([key, r]) => checkPart(render, key.split(':')[0] as PartName, r))
}

describe('the deployment contract against every render', () => {
  const renders = new Map<string, Map<PartName, RenderedPart>>()
  before(
    async () => {
      renders.set('dev', devRender())
      renders.set('compose:dev', await composeRender('dev'))
      renders.set('compose:production', await composeRender('production'))
      renders.set('helm', await helmRender())
      for (const [name, parts] of hostRender()) renders.set(name, parts)
    },
    { timeout: 120_000 },
  )

  it('make dev: every service starts with exactly what the contract gives it', () => {
    const r = renders.get('dev')
    assert.ok(r)
    assert.deepEqual([...r.keys()].sort(), [...SERVICES].sort())
    assert.deepEqual(problemsOf('dev', r), [])
  })

  for (const kind of ['dev', 'production'] as const) {
    it(`compose (${kind}): every part starts with exactly what the contract gives it`, () => {
      const r = renders.get(`compose:${kind}`)
      assert.ok(r)
      assert.deepEqual([...r.keys()].sort(), [...PARTS].sort())
      assert.deepEqual(problemsOf(`compose:${kind}`, r), [])
    })
  }

  it('helm: every Deployment and Job starts with exactly what the contract gives it', () => {
    const r = renders.get('helm')
    assert.ok(r)
    assert.deepEqual([...r.keys()].sort(), [...SERVICES, 'init', 'init:key-setup'].sort())
    assert.deepEqual(problemsOf('helm', r), [])
  })

  for (const c of CLUSTERS) {
    it(`host (${c.name}): every part each host class runs starts with exactly what the contract gives it`, () => {
      const r = renders.get(`host:${c.name}`)
      assert.ok(r)
      assert.deepEqual([...r.keys()].sort(), [...PARTS].sort())
      assert.deepEqual(problemsOf(`host:${c.name}`, r), [])
    })
  }

  describe('a wrong render fails, naming the render, the part and the variable', () => {
    /** Every (render, part) with the env the render gives it, once the renders are made. */
    const each = (): { render: string; part: PartName; r: RenderedPart }[] =>
      [...renders].flatMap(([render, parts]) =>
        [...parts].map(([key, r]) => ({ render, part: key.split(':')[0] as PartName, r })),
      )
    const named = (problems: string[], render: string, part: PartName, what: RegExp): boolean =>
      problems.some((x) => x.startsWith(`${render}: ${part}: `) && what.test(x))

    it("every render is checked (dev, compose dev and production, helm, each cluster's hosts)", () => {
      assert.deepEqual(
        [...renders.keys()].sort(),
        ['dev', 'compose:dev', 'compose:production', 'helm', ...CLUSTERS.map((c) => `host:${c.name}`)].sort(),
      )
    })

    it('missing: each variable the contract sets, taken away from each part of each render', () => {
      let cases = 0
      for (const { render, part, r } of each()) {
        for (const name of Object.keys(r.expected ?? {})) {
          if (r.env[name] === undefined || r.imageEnv?.[name] !== undefined) continue
          const env = { ...r.env }
          delete env[name]
          const p = checkPart(render, part, { ...r, env })
          assert.ok(
            named(p, render, part, new RegExp(`missing variable ${name}\\b`)),
            `${render} ${part} ${name}: ${p.join('\n')}`,
          )
          cases++
        }
      }
      assert.ok(cases > 100, `${cases} cases`)
    })

    it('unknown: a variable the part does not read, given to each part of each render', () => {
      for (const { render, part, r } of each()) {
        const p = checkPart(render, part, { ...r, env: { ...r.env, PERSONA_NO_SUCH_SETTING: '1' } })
        assert.ok(
          named(p, render, part, /unknown variable PERSONA_NO_SUCH_SETTING\b/),
          `${render} ${part}: ${p.join('\n')}`,
        )
      }
      // A real variable of another part is unknown here too (the router reads no issuer).
      const r = renders.get('compose:dev')?.get('router')
      assert.ok(r)
      const p = checkPart('compose:dev', 'router', { ...r, env: { ...r.env, ISSUER_DOMAIN: 'x' } })
      assert.ok(named(p, 'compose:dev', 'router', /unknown variable ISSUER_DOMAIN/), p.join('\n'))
    })

    it('misspelt: each variable the contract sets, misspelt, in each part of each render', () => {
      let cases = 0
      for (const { render, part, r } of each()) {
        for (const name of Object.keys(r.expected ?? {})) {
          if (r.env[name] === undefined || r.imageEnv?.[name] !== undefined) continue
          const env = { ...r.env }
          const wrong = name.startsWith('PERSONA_') ? name.slice('PERSONA_'.length) : `${name}S`
          env[wrong] = env[name] ?? ''
          delete env[name]
          const p = checkPart(render, part, { ...r, env })
          assert.ok(
            named(p, render, part, new RegExp(`unknown variable ${wrong}\\b`)),
            `${render} ${part} ${wrong}: ${p.join('\n')}`,
          )
          assert.ok(
            named(p, render, part, new RegExp(`missing variable ${name}\\b`)),
            `${render} ${part} ${name}: ${p.join('\n')}`,
          )
          cases++
        }
      }
      assert.ok(cases > 100, `${cases} cases`)
      // The defect the issue found: the db hosts passed DB_ROLE where the image reads PERSONA_DB_ROLE.
      const r = renders.get(`host:${CLUSTERS[0]?.name}`)?.get('db-master')
      assert.ok(r)
      const env: Record<string, string> = { ...r.env, DB_ROLE: r.env.PERSONA_DB_ROLE ?? 'master' }
      delete env.PERSONA_DB_ROLE
      const p = checkPart(`host:${CLUSTERS[0]?.name}`, 'db-master', { ...r, env })
      assert.ok(named(p, `host:${CLUSTERS[0]?.name}`, 'db-master', /unknown variable DB_ROLE/), p.join('\n'))
      assert.ok(
        named(p, `host:${CLUSTERS[0]?.name}`, 'db-master', /missing variable PERSONA_DB_ROLE/),
        p.join('\n'),
      )
    })

    it('a secret as an env value, or a secret file it may not hold, in each render', () => {
      for (const { render, part, r } of each()) {
        if (part !== 'reader') continue
        const p = checkPart(render, part, { ...r, env: { ...r.env, SESSION_SECRET: 'k'.repeat(40) } })
        assert.ok(
          named(p, render, part, /secret SESSION_SECRET is given as an env value/),
          `${render}: ${p.join('\n')}`,
        )
      }
      for (const { render, part, r } of each()) {
        if (part !== 'verifier') continue
        const q = checkPart(render, part, { ...r, secretFiles: [...r.secretFiles, 'WRITER_TOKEN'] })
        assert.ok(
          named(q, render, part, /secret file WRITER_TOKEN it may not hold/),
          `${render}: ${q.join('\n')}`,
        )
      }
    })
  })
})

after(() => {})
