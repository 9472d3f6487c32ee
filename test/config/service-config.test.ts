// SPDX-License-Identifier: MPL-2.0
// Every service's settings are one `defineServiceConfig` (kit): each exports its schema as CONFIG, every
// variable has a description, the upstream URLs and secrets it declares are the topology's; and a service
// started with NODE_ENV=production and a development secret exits at once with one line naming it.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { ensureKeys } from '@persona/certifier'
import {
  freePort,
  SECRET_NAMES,
  SECRETS,
  SERVICE_SPECS,
  SERVICES,
  type ServiceName,
  secretsOf,
  undescribedFields,
  upstreamEnv,
  upstreamsOf,
} from '@persona/kit'
import type { TObject } from 'typebox'

interface Definition {
  readonly service: string
  readonly schema: TObject
}

async function definitionOf(svc: ServiceName): Promise<Definition> {
  const mod: unknown = await import(`@persona/${svc}/config`)
  const def: unknown = Reflect.get(Object(mod), 'CONFIG')
  const service: unknown = Reflect.get(Object(def), 'service')
  const schema: unknown = Reflect.get(Object(def), 'schema')
  assert.equal(typeof service, 'string', `${svc} exports CONFIG`)
  assert.ok(typeof schema === 'object' && schema !== null && 'properties' in schema, `${svc} CONFIG.schema`)
  return { service: String(service), schema: schema as TObject }
}

describe('service configuration', () => {
  for (const svc of SERVICES) {
    it(`${svc}: one definition, every variable described, upstreams and secrets from the topology`, async () => {
      const def = await definitionOf(svc)
      assert.equal(def.service, svc)
      assert.deepEqual(undescribedFields(def.schema), [])
      const names = Object.keys(def.schema.properties)
      assert.ok(names.includes(SERVICE_SPECS[svc].portEnv))
      const urls = names.filter((n) => n.endsWith('_URL') && n !== 'PUBLIC_URL').sort()
      const allowed = upstreamsOf(svc)
        .filter((u): u is ServiceName => SERVICES.some((s) => s === u))
        .map(upstreamEnv)
        .sort()
      assert.deepEqual(urls, allowed, 'upstream URLs are exactly the services it may call')
      const secretEnvs = new Set<string>(SECRET_NAMES.map((s) => SECRETS[s].env))
      assert.deepEqual(
        names.filter((n) => secretEnvs.has(n)).sort(),
        secretsOf(svc)
          .map((s) => SECRETS[s].env)
          .sort(),
      )
    })
  }
})

/** Runs a service's server.ts; resolves with its exit code and stderr, or 'running' once it listens. */
function start(
  svc: ServiceName,
  env: Record<string, string>,
  port: number,
): Promise<{ outcome: number | 'running'; stderr: string }> {
  const child = spawn(process.execPath, [`services/${svc}/src/server.ts`], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString()
  })
  let listened = false
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${svc} neither exited nor listened in 60 s: ${stderr}`))
      // Generous: how fast it starts is the benchmarks' business, and CI machines can be loaded.
    }, 60_000)
    const poll = setInterval(() => {
      fetch(`http://127.0.0.1:${port}/__lbheartbeat__`).then(
        (r) => {
          if (r.status !== 200) return
          clearInterval(poll)
          clearTimeout(deadline)
          listened = true
          child.kill('SIGTERM')
        },
        () => {},
      )
    }, 100)
    child.once('exit', (code) => {
      clearInterval(poll)
      clearTimeout(deadline)
      resolve({ outcome: listened ? 'running' : (code ?? -1), stderr })
    })
  })
}

describe('production refuses development secrets', () => {
  let dir: string
  let keys: { privateKeyFile: string; publicKeyFile: string }
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'persona-config-'))
    keys = await ensureKeys(join(dir, 'keys'))
  })
  after(() => rm(dir, { recursive: true, force: true }))

  /** A complete, valid production environment for `svc` with real-looking secrets. */
  function productionEnv(svc: ServiceName, port: number): Record<string, string> {
    const env: Record<string, string> = {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      [SERVICE_SPECS[svc].portEnv]: String(port),
      LOG_LEVEL: 'silent',
      PUBLIC_KEY_FILE: keys.publicKeyFile,
      ISSUER_DOMAIN: 'login.example',
      // Nothing listens here: the services connect lazily, so start-up does not depend on it.
      DB_READER_HOST: '127.0.0.1',
      DB_WRITER_HOST: '127.0.0.1',
    }
    for (const s of secretsOf(svc)) {
      env[SECRETS[s].env] =
        SECRETS[s].form === 'file' ? keys.privateKeyFile : `prod-${s}-k8Jx0q3VZr7mT2pW9yLc4nHs`
    }
    return env
  }

  for (const svc of ['reader', 'writer', 'certifier'] as const) {
    for (const secret of secretsOf(svc).filter((s) => SECRETS[s].form === 'value')) {
      const name = SECRETS[secret].env
      it(`${svc} with NODE_ENV=production exits at once naming a development ${name}`, async () => {
        const port = await freePort()
        const env = { ...productionEnv(svc, port), [name]: `dev-${'x'.repeat(40)}` }
        const r = await start(svc, env, port)
        assert.equal(r.outcome, 1, r.stderr)
        const lines = r.stderr.trim().split('\n')
        assert.equal(lines.length, 1, r.stderr)
        assert.match(lines[0] ?? '', new RegExp(`${name}.*development`))
      })
    }
    it(`${svc} with NODE_ENV=production and real secrets starts`, async () => {
      const port = await freePort()
      const r = await start(svc, productionEnv(svc, port), port)
      assert.equal(r.outcome, 'running', r.stderr)
    })
  }
})
