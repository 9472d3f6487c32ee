// SPDX-License-Identifier: MPL-2.0
// The certifier over real HTTP: key setup (modes, idempotence), the internal token, and certificates
// that verify with the published public key, with Persona's lifetimes and issuer rules.
import assert from 'node:assert/strict'
import { chmod, mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { decodeJws, generateKeyPair, loadPublicKey, verifyJwsSignature } from '@persona/browserid'
import { INTERNAL_API_HEADER, INTERNAL_API_VERSION } from '@persona/kit'
import { request } from 'undici'
import { buildApp } from '../src/app.ts'
import { loadCertifierConfig } from '../src/config.ts'
import { ensureKeys } from '../src/keygen.ts'
import { loadSigner } from '../src/signer.ts'

const TOKEN = 'certifier-test-token-0123456789'

describe('certifier', () => {
  let dir = ''
  let base = ''
  let app: Awaited<ReturnType<typeof buildApp>> | undefined
  let userKey = ''

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'persona-certifier-'))
    const files = await ensureKeys(join(dir, 'keys'))
    const cfg = loadCertifierConfig({
      CERTIFIER_PRIVATE_KEY_FILE: files.privateKeyFile,
      CERTIFIER_TOKEN: TOKEN,
      ISSUER_DOMAIN: 'login.example.test',
      FORCIBLE_ISSUERS: 'fxos.example.test',
      CERTIFIER_PORT: '0',
    })
    app = await buildApp(cfg, { logger: false })
    await app.listen({ host: '127.0.0.1', port: 0 })
    const addr = app.server.address()
    assert.ok(addr !== null && typeof addr === 'object')
    base = `http://127.0.0.1:${addr.port}`
    userKey = (await generateKeyPair('RS128')).publicKey.serialize()
  })
  after(async () => {
    await app?.close()
    if (dir !== '') await rm(dir, { recursive: true, force: true })
  })

  const certKey = (body: Record<string, unknown>, token: string | null = TOKEN) =>
    request(`${base}/wsapi/cert_key`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [INTERNAL_API_HEADER]: String(INTERNAL_API_VERSION),
        ...(token !== null ? { 'x-persona-token': token } : {}),
      },
      body: JSON.stringify(body),
    })

  it('refuses to certify a 512-bit RSA key (RS64), and still certifies DS128 as Persona did', async () => {
    const weak = (await generateKeyPair('RS64')).publicKey.serialize()
    const r = await certKey({ email: 'weak@example.test', pubkey: weak, ephemeral: false })
    assert.equal(r.statusCode, 400)
    assert.match(String(((await r.body.json()) as { reason?: unknown }).reason), /bad public key/)
    const ds = (await generateKeyPair('DS128')).publicKey.serialize()
    const ok = await certKey({ email: 'ds@example.test', pubkey: ds, ephemeral: false })
    assert.equal(ok.statusCode, 200)
    await ok.body.text()
  })

  it('loads a key its group may read (Kubernetes fsGroup, 0440), refuses one others may read', async () => {
    const keys = join(dir, 'modes')
    const files = await ensureKeys(keys)
    await chmod(files.privateKeyFile, 0o440)
    await loadSigner(files.privateKeyFile)
    for (const mode of [0o444, 0o604, 0o460]) {
      await chmod(files.privateKeyFile, mode)
      await assert.rejects(
        loadSigner(files.privateKeyFile),
        /must not be readable by others or writable by its group/,
      )
    }
  })

  it('writes the secret key mode 0600 and does nothing the second time', async () => {
    const keys = join(dir, 'keys')
    const first = await readFile(join(keys, 'root.secretkey.json'), 'utf8')
    const again = await ensureKeys(keys)
    assert.equal(await readFile(again.privateKeyFile, 'utf8'), first)
    assert.equal((await stat(again.privateKeyFile)).mode & 0o777, 0o600)
    const pub = JSON.parse(await readFile(again.publicKeyFile, 'utf8'))
    assert.equal(pub.algorithm, 'RS')
    assert.equal(pub.e, '65537')
    assert.equal(pub.d, undefined)
  })

  it('refuses calls without the token or with a wrong one (403)', async () => {
    const body = { email: 'a@example.com', pubkey: userKey, ephemeral: false }
    const none = await certKey(body, null)
    assert.equal(none.statusCode, 403)
    await none.body.dump()
    const wrong = await certKey(body, 'not-the-token-at-all-xxxxxx')
    assert.equal(wrong.statusCode, 403)
    await wrong.body.dump()
  })

  it('still answers heartbeats without the token', async () => {
    const res = await request(`${base}/__heartbeat__?deep=1`)
    assert.equal(res.statusCode, 200)
    await res.body.dump()
  })

  it('signs a 24 h certificate that verifies with the public key file', async () => {
    const t0 = Date.now()
    const res = await certKey({ email: 'alice@example.com', pubkey: userKey, ephemeral: false })
    assert.equal(res.statusCode, 200)
    assert.match(String(res.headers['content-type']), /^text\/plain/)
    const cert = await res.body.text()
    assert.equal(cert.split('.').length, 3)
    const jws = decodeJws(cert)
    assert.ok(typeof jws !== 'string', String(jws))
    const pub = loadPublicKey(await readFile(join(dir, 'keys', 'root.publickey.json'), 'utf8'))
    assert.equal(verifyJwsSignature(jws, pub), true)
    const p = jws.payload
    assert.equal(p.iss, 'login.example.test')
    assert.deepEqual(p.principal, { email: 'alice@example.com' })
    assert.deepEqual(p['public-key'], JSON.parse(userKey))
    assert.ok(typeof p.iat === 'number' && typeof p.exp === 'number')
    assert.ok(p.iat >= t0 - 1000)
    assert.equal(p.exp - p.iat, 86_400_000)
  })

  it('gives ephemeral sessions a 1 h certificate', async () => {
    const res = await certKey({ email: 'alice@example.com', pubkey: userKey, ephemeral: true })
    const jws = decodeJws(await res.body.text())
    assert.ok(typeof jws !== 'string')
    const { iat, exp } = jws.payload
    assert.ok(typeof iat === 'number' && typeof exp === 'number')
    assert.equal(exp - iat, 3_600_000)
  })

  it('honours only listed forced issuers', async () => {
    const ok = await certKey({
      email: 'a@example.com',
      pubkey: userKey,
      ephemeral: false,
      forceIssuer: 'fxos.example.test',
    })
    const jws = decodeJws(await ok.body.text())
    assert.ok(typeof jws !== 'string')
    assert.equal(jws.payload.iss, 'fxos.example.test')
    const bad = await certKey({
      email: 'a@example.com',
      pubkey: userKey,
      ephemeral: false,
      forceIssuer: 'evil.example',
    })
    assert.equal(bad.statusCode, 400)
    assert.match(String(((await bad.body.json()) as { reason: string }).reason), /Invalid issuer/)
  })

  it('answers 400 for a bad public key or missing arguments', async () => {
    const badKey = await certKey({
      email: 'a@example.com',
      pubkey: JSON.stringify({ algorithm: 'RS', n: 'x'.repeat(60), e: '3' }),
      ephemeral: false,
    })
    assert.equal(badKey.statusCode, 400)
    await badKey.body.dump()
    const missing = await certKey({ email: 'a@example.com', ephemeral: false })
    assert.equal(missing.statusCode, 400)
    assert.equal(
      ((await missing.body.json()) as { reason: string }).reason,
      "missing required parameter: 'pubkey'",
    )
  })
})
