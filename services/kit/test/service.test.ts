// SPDX-License-Identifier: MPL-2.0
// The kit's service plumbing: config validation, request ids, heartbeats, the error handler, redaction.
import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { test } from 'node:test'
import pino from 'pino'
import { Type } from 'typebox'
import {
  baseConfig,
  ConfigError,
  defineServiceConfig,
  loadConfig,
  refuseDevSecrets,
  undescribedFields,
} from '../src/config.ts'
import { PersonaError } from '../src/errors.ts'
import { loggerOptions } from '../src/logger.ts'
import { createService } from '../src/service.ts'
import { SECRETS, secretsOf } from '../src/topology.ts'

test('config: defaults, coercion, and one clear line for a bad value', () => {
  const schema = Type.Object(baseConfig('reader'))
  const cfg = loadConfig(schema, { READER_PORT: '4321' })
  assert.equal(cfg.READER_PORT, 4321)
  assert.equal(cfg.HOST, '127.0.0.1')
  assert.ok(Object.isFrozen(cfg))
  assert.throws(
    () => loadConfig(schema, { READER_PORT: 'eighty' }),
    (e: unknown) => e instanceof ConfigError && /READER_PORT/.test(e.message) && !e.message.includes('\n'),
  )
  const required = Type.Object({ SESSION_SECRET: Type.String({ minLength: 32 }) })
  assert.throws(() => loadConfig(required, {}), /SESSION_SECRET/)
})

test('config: production refuses the development secrets a service holds (topology SECRETS)', () => {
  assert.throws(
    () => refuseDevSecrets('reader', { SESSION_SECRET: 'dev-secret' }),
    (e: unknown) => e instanceof ConfigError && /SESSION_SECRET/.test(e.message) && !e.message.includes('\n'),
  )
  assert.throws(() => refuseDevSecrets('writer', { WRITER_TOKEN: 'dev-token-0123456789' }), /WRITER_TOKEN/)
  assert.doesNotThrow(() => refuseDevSecrets('reader', { SESSION_SECRET: 'k8Jx0...real' }))
  // A variable the service may not hold is not its secret: the topology decides what is checked.
  assert.doesNotThrow(() => refuseDevSecrets('verifier', { SESSION_SECRET: 'dev-secret' }))
})

test('config: defineServiceConfig types its fields, derives upstream URLs from the topology, refuses dev secrets in production', () => {
  const def = defineServiceConfig('reader', {
    ...Object.fromEntries(
      secretsOf('reader').map((s) => [SECRETS[s].env, Type.String({ description: SECRETS[s].description })]),
    ),
    EXTRA_MS: Type.Integer({ default: 5, description: 'an own field' }),
  })
  const secrets = Object.fromEntries(secretsOf('reader').map((s) => [SECRETS[s].env, `real-${s}`]))
  const cfg = def.load({ ...secrets, READER_PORT: '4321', WRITER_URL: 'http://writer.internal:1' })
  assert.equal(cfg.port, 4321)
  assert.equal(cfg.EXTRA_MS, 5)
  assert.equal(cfg.upstream.writer, 'http://writer.internal:1')
  assert.equal(cfg.upstream.proxy, 'http://127.0.0.1:10008')
  assert.deepEqual(Object.keys(cfg.upstream).sort(), ['certifier', 'proxy', 'writer'])
  assert.equal(cfg.production, false)
  assert.ok(Object.isFrozen(cfg))
  const devSession = { ...secrets, SESSION_SECRET: 'dev-abc' }
  assert.equal(def.load(devSession).production, false)
  assert.throws(
    () => def.load({ ...devSession, NODE_ENV: 'production' }),
    (e: unknown) => e instanceof ConfigError && /SESSION_SECRET/.test(e.message),
  )
  assert.equal(def.load({ ...secrets, NODE_ENV: 'production' }).production, true)
  assert.deepEqual(undescribedFields(def.schema), [])
})

test('config: a definition must declare exactly the secrets the topology lets the service hold', () => {
  assert.throws(() => defineServiceConfig('reader', {}), /topology lets it hold DB_READER_PASSWORD/)
  assert.throws(
    () => defineServiceConfig('verifier', { SESSION_SECRET: Type.String({ description: 'x' }) }),
    /does not let it hold/,
  )
})

test('request ids: a safe incoming id is kept and echoed, an unsafe one replaced', async (t) => {
  const app = createService({ name: 'test', logger: false })
  app.get('/id', async (req) => ({ id: req.id }))
  t.after(() => app.close())
  const kept = await app.inject({ url: '/id', headers: { 'x-request-id': 'abc-123-def-456' } })
  assert.equal(kept.json().id, 'abc-123-def-456')
  assert.equal(kept.headers['x-request-id'], 'abc-123-def-456')
  const replaced = await app.inject({ url: '/id', headers: { 'x-request-id': 'bad id\nforged log line' } })
  assert.notEqual(replaced.json().id, 'bad id\nforged log line')
  assert.match(String(replaced.headers['x-request-id']), /^[0-9a-f-]{36}$/)
})

test('heartbeat: shallow always ok, deep names the failing dependency with 503', async (t) => {
  const app = createService({
    name: 'test',
    logger: false,
    deepChecks: [
      { name: 'good', check: async () => true },
      {
        name: 'db',
        check: async () => {
          throw new Error('connection refused')
        },
      },
    ],
  })
  t.after(() => app.close())
  const shallow = await app.inject({ url: '/__heartbeat__' })
  assert.equal(shallow.statusCode, 200)
  assert.equal(shallow.json().status, 'ok')
  const deep = await app.inject({ url: '/__heartbeat__?deep=1' })
  assert.equal(deep.statusCode, 503)
  const body = deep.json()
  assert.equal(body.checks.good.ok, true)
  assert.equal(body.checks.db.ok, false)
  assert.equal(body.checks.db.error, 'connection refused')
})

test('errors: PersonaError keeps its code, validation speaks Persona, a bug hides its detail', async (t) => {
  const app = createService({ name: 'test', logger: false })
  t.after(() => app.close())
  app.get('/conflict', async () => {
    throw new PersonaError('ERR_CONFLICT', 'email already registered')
  })
  app.post(
    '/args',
    { schema: { body: Type.Object({ email: Type.String() }, { additionalProperties: false }) } },
    async () => ({ ok: true }),
  )
  app.get('/bug', async () => {
    throw new Error('secret internal detail')
  })
  const c = await app.inject({ url: '/conflict' })
  assert.equal(c.statusCode, 409)
  assert.deepEqual(c.json(), { success: false, code: 'ERR_CONFLICT', reason: 'email already registered' })
  const missing = await app.inject({ method: 'POST', url: '/args', payload: {} })
  assert.equal(missing.statusCode, 400)
  assert.equal(missing.json().reason, "missing required parameter: 'email'")
  const extra = await app.inject({ method: 'POST', url: '/args', payload: { email: 'a@b.c', x: 1 } })
  assert.equal(extra.statusCode, 400)
  assert.equal(extra.json().reason, 'extra parameters are not allowed: x')
  const bug = await app.inject({ url: '/bug' })
  assert.equal(bug.statusCode, 500)
  assert.doesNotMatch(bug.body, /secret internal detail/)
  assert.match(bug.json().reason, /internal error \(ref [0-9a-f]{12}\)/)
  const nf = await app.inject({ url: '/nope?token=x' })
  assert.equal(nf.statusCode, 404)
  assert.equal(nf.json().code, 'ERR_NOT_FOUND')
})

test('logging: passwords, assertions and tokens never reach a log line', () => {
  const lines: string[] = []
  const sink = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk))
      cb()
    },
  })
  const log = pino(loggerOptions('test', 'info'), sink)
  log.info({ body: { email: 'a@b.c', pass: 'hunter2hunter2', assertion: 'eyJ...', csrf: 'c5rf' } }, 'x')
  log.info(
    { password: 'topsecret', req: { headers: { cookie: 'session=abc', 'x-persona-token': 'tok' } } },
    'y',
  )
  const out = lines.join('')
  for (const secret of ['hunter2hunter2', 'eyJ...', 'c5rf', 'topsecret', 'session=abc', 'tok"']) {
    assert.ok(!out.includes(secret), `${secret} leaked into logs`)
  }
  assert.ok(out.includes('a@b.c'))
})

test('logging: a request line keeps its path only, even with a query encoded into the path', async (t) => {
  const lines: string[] = []
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk))
      cb()
    },
  })
  const app = createService({ name: 'test', logLevel: 'info', logger: { level: 'info', stream } })
  app.get('/*', async () => ({ ok: true }))
  t.after(() => app.close())
  for (const url of [
    '/a?token=SECRET1x',
    '/b%3Ftoken%3DSECRET2x',
    '/c%3ftoken=SECRET3x',
    '/d/x%3F?t=SECRET4x',
  ]) {
    await app.inject({ url })
  }
  const out = lines.join('')
  for (const s of ['SECRET1x', 'SECRET2x', 'SECRET3x', 'SECRET4x']) assert.ok(!out.includes(s), s)
  assert.match(out, /"path":"\/b"/)
})
