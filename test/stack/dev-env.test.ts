// SPDX-License-Identifier: MPL-2.0
// The env each local-stack process receives (scripts/dev/env.ts): no secret in any env, each service's
// secret files exactly what secretsOf() allows, upstream URLs only along the flow table, nothing
// inherited from the launcher's environment but a few harmless variables. Also the dev secrets file
// (0600, reused) and the per-service secret directories (0700, files 0600, nothing stale).
import assert from 'node:assert/strict'
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import {
  SECRET_NAMES,
  SECRETS,
  SERVICE_SPECS,
  SERVICES,
  type ServiceName,
  secretsOf,
  upstreamEnv,
  upstreamsOf,
} from '@persona/kit'
import { devSecretFiles, devSecretsDir, plainEnv, serviceEnv } from '../../scripts/dev/env.ts'
import { ensureDevSecrets, writeSecretFiles } from '../../scripts/dev/secrets.ts'
import { SAMPLE_SECRETS, sampleLayout } from './sample-layout.ts'

const secrets = SAMPLE_SECRETS
// An extra that tries to hand every service the writer's password: it must be dropped.
const layout = sampleLayout({ BCRYPT_ROUNDS: '4', DB_WRITER_PASSWORD: secrets.dbWriterPassword })

// A developer shell that exports secrets: none of them may leak through.
const parentEnv = {
  PATH: '/usr/bin',
  HOME: '/home/dev',
  DB_WRITER_PASSWORD: 'shell-writer-password',
  CERTIFIER_PRIVATE_KEY_FILE: '/shell/key',
  SESSION_SECRET: 'shell-session',
  AWS_SECRET_ACCESS_KEY: 'shell-aws',
}

const envs = Object.fromEntries(SERVICES.map((s) => [s, serviceEnv(s, layout, parentEnv)])) as Record<
  ServiceName,
  Record<string, string>
>
const allValues = (env: Record<string, string>) => Object.values(env).join('\n')

const files = Object.fromEntries(SERVICES.map((s) => [s, devSecretFiles(s, secrets)])) as Record<
  ServiceName,
  Record<string, string>
>
const secretValues = Object.values(secrets)

test('no service gets a secret in its env (by name or by value)', () => {
  for (const svc of SERVICES) {
    const env = envs[svc]
    for (const name of SECRET_NAMES) {
      if (SECRETS[name].form === 'value') assert.equal(env[SECRETS[name].env], undefined, `${svc} ${name}`)
    }
    for (const v of secretValues) assert.ok(!allValues(env).includes(v), `${svc} env holds a secret value`)
    assert.ok(!allValues(env).includes('shell-'), `${svc} inherited a shell secret`)
  }
})

test("each service's secret files are exactly its own, in its own directory", () => {
  for (const svc of SERVICES) {
    const own = secretsOf(svc).filter((s) => SECRETS[s].form === 'value' && !('provided' in SECRETS[s]))
    assert.deepEqual(Object.keys(files[svc]).sort(), own.map((s) => SECRETS[s].env).sort(), svc)
    const dir = devSecretsDir(svc, layout)
    assert.equal(dir, `/dev-state/secrets/${svc}`)
    if (own.length > 0) assert.equal(envs[svc].PERSONA_SECRETS_DIR, dir, svc)
  }
  assert.equal(files.writer.DB_WRITER_PASSWORD, secrets.dbWriterPassword)
  assert.equal(files.reader.SESSION_SECRET, secrets.sessionSecret)
  for (const svc of SERVICES) {
    const held = Object.values(files[svc]).join('\n')
    assert.equal(held.includes(secrets.dbAdminPassword), false, `${svc} holds the admin password`)
    assert.equal(held.includes(secrets.dbWriterPassword), svc === 'writer', `${svc} and the writer password`)
  }
})

test('only certifier gets the private key path', () => {
  for (const svc of SERVICES) {
    const env = envs[svc]
    if (svc === 'certifier') assert.equal(env.CERTIFIER_PRIVATE_KEY_FILE, layout.keys.privateKeyFile)
    else {
      assert.equal(env.CERTIFIER_PRIVATE_KEY_FILE, undefined, svc)
      assert.ok(!allValues(env).includes('secretkey'), `${svc} must not see the private key path`)
    }
  }
})

test('secret directories: 0700, files 0600, stale files removed', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'persona-dev-secret-dir-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  const own = join(dir, 'writer')
  await writeSecretFiles(own, { A: 'one' })
  await writeFile(join(own, 'STALE'), 'x')
  await writeSecretFiles(own, files.writer)
  assert.deepEqual((await readdir(own)).sort(), Object.keys(files.writer).sort())
  assert.equal((await stat(own)).mode & 0o777, 0o700)
  for (const f of await readdir(own)) assert.equal((await stat(join(own, f))).mode & 0o777, 0o600)
})

test('upstream URLs follow the flow table; database roles follow the secret held', () => {
  for (const svc of SERVICES) {
    const urls = Object.keys(envs[svc]).filter((k) => /^[A-Z]+_URL$/.test(k) && k !== 'PUBLIC_URL')
    const expected = upstreamsOf(svc)
      .filter((u): u is ServiceName => (SERVICES as readonly string[]).includes(u))
      .map((u) => upstreamEnv(u))
    assert.deepEqual(urls.sort(), expected.sort(), svc)
  }
  assert.equal(envs.router.READER_URL, `http://127.0.0.1:${layout.ports.reader}`)
  assert.equal(envs.writer.DB_WRITER_PORT, '13306')
  assert.equal(envs.reader.DB_READER_PORT, '13307')
  assert.equal(envs.reader.DB_WRITER_PORT, undefined)
  assert.equal(envs.writer.SMTP_PORT, '11025')
  assert.equal(envs.reader.SMTP_PORT, undefined)
  assert.equal(envs.proxy.SHIMMED_PRIMARIES, 'idp.test=http://127.0.0.1:10010')
  assert.equal(envs.static.STATIC_FRAME_SOURCES, 'https: http://127.0.0.1:10010')
  assert.equal(envs.reader.COOKIE_SECURE, 'false')
  assert.equal(envs.certifier.ISSUER_DOMAIN, '127.0.0.1')
  for (const svc of SERVICES) {
    assert.equal(envs[svc][SERVICE_SPECS[svc].portEnv], String(layout.ports[svc]))
    // An extra setting goes only where the schema declares it.
    assert.equal(envs[svc].BCRYPT_ROUNDS, svc === 'reader' || svc === 'writer' ? '4' : undefined, svc)
    assert.equal(envs[svc].PATH, '/usr/bin')
  }
})

test('plain processes (mail catcher, nginx, fixtures) get no secret', () => {
  const env = plainEnv({ RP_PORT: '1', DB_READER_PASSWORD: 'x', WRITER_TOKEN: 'y' }, parentEnv)
  for (const spec of Object.values(SECRETS)) assert.equal(env[spec.env], undefined)
  assert.equal(env.RP_PORT, '1')
  assert.equal(env.AWS_SECRET_ACCESS_KEY, undefined)
})

test('dev secrets are made once, mode 0600, and reused', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'persona-dev-secrets-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  const file = join(dir, 'secrets.json')
  const first = await ensureDevSecrets(file)
  assert.equal(first.created, true)
  assert.equal((await stat(file)).mode & 0o777, 0o600)
  const second = await ensureDevSecrets(file)
  assert.equal(second.created, false)
  assert.deepEqual(second.secrets, first.secrets)
  assert.ok(Object.values(first.secrets).every((v) => v.startsWith('dev-') && v.length >= 30))
  assert.equal(new Set(Object.values(first.secrets)).size, Object.keys(first.secrets).length)
})
