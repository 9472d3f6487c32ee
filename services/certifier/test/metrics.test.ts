// SPDX-License-Identifier: MPL-2.0
// The certifier's metrics: certificates issued, failures by reason, a wrong internal token as a
// security event, and /metrics readable without the token (the scraper has none).
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { generateKeyPair } from '@persona/browserid'
import { INTERNAL_API_HEADER, INTERNAL_API_VERSION, metricSample } from '@persona/kit'
import { buildApp } from '../src/app.ts'
import { loadCertifierConfig } from '../src/config.ts'
import { ensureKeys } from '../src/keygen.ts'

const TOKEN = 'certifier-metrics-token-0123456789'

test('issued and failed certificates are counted; a wrong token is a security event', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'persona-certifier-metrics-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  const files = await ensureKeys(join(dir, 'keys'))
  const app = await buildApp(
    loadCertifierConfig({
      CERTIFIER_PRIVATE_KEY_FILE: files.privateKeyFile,
      CERTIFIER_TOKEN: TOKEN,
      ISSUER_DOMAIN: 'login.example.test',
      CERTIFIER_PORT: '0',
    }),
    { logger: false },
  )
  t.after(() => app.close())
  const pubkey = (await generateKeyPair('RS128')).publicKey.serialize()
  const certKey = (body: Record<string, unknown>, token = TOKEN) =>
    app.inject({
      method: 'POST',
      url: '/wsapi/cert_key',
      headers: { 'x-persona-token': token, [INTERNAL_API_HEADER]: String(INTERNAL_API_VERSION) },
      payload: body,
    })
  assert.equal((await certKey({ email: 'a@example.test', pubkey, ephemeral: false })).statusCode, 200)
  assert.equal((await certKey({ email: 'b@example.test', pubkey, ephemeral: true })).statusCode, 200)
  assert.equal(
    (await certKey({ email: 'c@example.test', pubkey: `x${pubkey}`, ephemeral: false })).statusCode,
    400,
  )
  assert.equal(
    (await certKey({ email: 'd@example.test', pubkey, ephemeral: false }, 'wrong')).statusCode,
    403,
  )
  const res = await app.inject({ url: '/metrics' })
  assert.equal(res.statusCode, 200, 'the scraper needs no internal token')
  assert.equal(metricSample(res.body, 'persona_certifier_certificates_issued_total'), 2)
  assert.equal(
    metricSample(res.body, 'persona_certifier_signing_failures_total', { reason: 'bad_request' }),
    1,
  )
  assert.equal(
    metricSample(res.body, 'persona_certifier_signing_failures_total', { reason: 'unauthorized' }),
    1,
  )
  assert.equal(metricSample(res.body, 'persona_certifier_signing_failures_total', { reason: 'internal' }), 0)
  assert.equal(metricSample(res.body, 'persona_security_events_total', { event: 'internal_auth_failed' }), 1)
})
