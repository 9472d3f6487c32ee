// SPDX-License-Identifier: MPL-2.0
// The env each local-stack process receives (scripts/dev/env.ts): secrets only where secretsOf() allows,
// upstream URLs only along the flow table, nothing inherited from the launcher's environment but a few
// harmless variables. Also the dev secrets file (0600, reused).
import assert from 'node:assert/strict'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import {
  forbiddenSecretEnv,
  SECRETS,
  SERVICE_SPECS,
  SERVICES,
  type ServiceName,
  secretsOf,
  upstreamEnv,
  upstreamsOf,
} from '@persona/kit'
import { type DevSecrets, plainEnv, type StackLayout, serviceEnv } from '../../scripts/dev/env.ts'
import { ensureDevSecrets } from '../../scripts/dev/secrets.ts'

const secrets: DevSecrets = {
  dbAdminPassword: 'dev-admin-password-0000000000',
  dbWriterPassword: 'dev-writer-password-111111111',
  dbReaderPassword: 'dev-reader-password-222222222',
  sessionSecret: 'dev-session-secret-33333333333333333333333',
  writerToken: 'dev-writer-token-44444444444',
  certifierToken: 'dev-certifier-token-5555555555',
}

const layout: StackLayout = {
  host: '127.0.0.1',
  ports: Object.fromEntries(SERVICES.map((s) => [s, SERVICE_SPECS[s].port + 1000])) as Record<
    ServiceName,
    number
  >,
  publicUrl: 'http://127.0.0.1:18080',
  smtp: { host: '127.0.0.1', port: 11025 },
  db: {
    master: { host: '127.0.0.1', port: 13306 },
    replica: { host: '127.0.0.1', port: 13307 },
    database: 'persona',
  },
  keys: {
    privateKeyFile: '/dev-state/keys/root.secretkey.json',
    publicKeyFile: '/dev-state/keys/root.publickey.json',
  },
  distDir: '/dev-state/web',
  frameSources: ['http://127.0.0.1:10010'],
  shimmedPrimaries: 'idp.test=http://127.0.0.1:10010',
  logLevel: 'info',
  // An extra that tries to hand every service the writer's password: it must be dropped.
  extra: { BCRYPT_ROUNDS: '4', DB_WRITER_PASSWORD: secrets.dbWriterPassword },
}

// A developer shell that exports secrets: none of them may leak through.
const parentEnv = {
  PATH: '/usr/bin',
  HOME: '/home/dev',
  DB_WRITER_PASSWORD: 'shell-writer-password',
  CERTIFIER_PRIVATE_KEY_FILE: '/shell/key',
  SESSION_SECRET: 'shell-session',
  AWS_SECRET_ACCESS_KEY: 'shell-aws',
}

const envs = Object.fromEntries(
  SERVICES.map((s) => [s, serviceEnv(s, layout, secrets, parentEnv)]),
) as Record<ServiceName, Record<string, string>>
const allValues = (env: Record<string, string>) => Object.values(env).join('\n')

test('only writer gets the writer DB password (by name or by value)', () => {
  for (const svc of SERVICES) {
    const env = envs[svc]
    if (svc === 'writer') {
      assert.equal(env.DB_WRITER_PASSWORD, secrets.dbWriterPassword)
    } else {
      assert.equal(env.DB_WRITER_PASSWORD, undefined, svc)
      assert.ok(!allValues(env).includes(secrets.dbWriterPassword), `${svc} must not see the writer password`)
    }
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

test('every service gets exactly the secrets secretsOf() allows, and no admin password at all', () => {
  for (const svc of SERVICES) {
    const env = envs[svc]
    for (const name of forbiddenSecretEnv(svc)) assert.equal(env[name], undefined, `${svc} holds ${name}`)
    for (const s of secretsOf(svc)) assert.ok(env[SECRETS[s].env], `${svc} lacks ${SECRETS[s].env}`)
    assert.ok(!allValues(env).includes(secrets.dbAdminPassword), `${svc} sees the admin password`)
    assert.ok(!allValues(env).includes('shell-'), `${svc} inherited a shell secret`)
  }
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
    assert.equal(envs[svc].BCRYPT_ROUNDS, '4')
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
