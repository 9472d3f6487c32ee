// SPDX-License-Identifier: MPL-2.0
// Key rings and rotation: a bare key file reads as a ring; stage, promote and retire write the files in
// the order that keeps every signature verifiable and refuse to run early; a KeyStore picks up a
// rotation without a restart and keeps its keys when the file turns bad; JWK and JWKS (node-jose)
// round-trip the certifier's keys.
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import {
  decodeJws,
  generateKeyPair,
  loadPublicKey,
  PublicKey,
  SecretKey,
  signCertificate,
  verifyJwsSignature,
} from '@persona/browserid'
import { writeAtomically } from '../src/files.ts'
import { fromJwk, jwksOf, toJwk } from '../src/jwk.ts'
import { openPublicKeys, openSecretKeys } from '../src/keystore.ts'
import { parsePublicRing, parseSecretRing, trustedKeys } from '../src/ring.ts'
import { promoteNext, retirePrevious, stageNext } from '../src/rotate.ts'

/** A fresh key pair in `d` as the certifier's key setup writes it (bare keys, 0600/0644). */
async function ensureKeys(d: string) {
  const { mkdir } = await import('node:fs/promises')
  await mkdir(d, { recursive: true })
  const { publicKey, secretKey } = await generateKeyPair('RS256')
  const files = {
    privateKeyFile: join(d, 'root.secretkey.json'),
    publicKeyFile: join(d, 'root.publickey.json'),
  }
  await writeAtomically(files.privateKeyFile, `${secretKey.serialize()}\n`, 0o600)
  await writeAtomically(files.publicKeyFile, `${publicKey.serialize()}\n`, 0o644)
  return files
}

describe('key rings and rotation', () => {
  let dir = ''
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'persona-keys-'))
  })
  after(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('reads a bare key file as a ring with only a current key', async () => {
    const files = await ensureKeys(join(dir, 'bare'))
    const pub = parsePublicRing(await readFile(files.publicKeyFile, 'utf8'))
    const sec = parseSecretRing(await readFile(files.privateKeyFile, 'utf8'))
    assert.ok(pub.current.equals(sec.current.publicKey))
    assert.equal(pub.next, undefined)
    assert.deepEqual(trustedKeys(pub), [pub.current])
  })

  it('stages, promotes and retires a key; every step keeps every signed certificate verifiable', async () => {
    const files = await ensureKeys(join(dir, 'rotate'))
    const t0 = 1_800_000_000_000
    const first = parseSecretRing(await readFile(files.privateKeyFile, 'utf8')).current
    const user = await generateKeyPair('RS256')
    const certBy = (k: SecretKey) =>
      signCertificate(
        {
          issuer: 'login.example',
          publicKey: user.publicKey,
          email: 'a@b.example',
          iat: t0,
          exp: t0 + 3600_000,
        },
        k,
      )
    const trusted = async () => trustedKeys(parsePublicRing(await readFile(files.publicKeyFile, 'utf8')))
    const verifies = async (cert: string) => {
      const d = decodeJws(cert)
      assert.ok(typeof d !== 'string')
      return (await trusted()).some((k) => verifyJwsSignature(d, k))
    }
    const oldCert = await certBy(first)

    const staged = await stageNext(files, t0)
    assert.ok(staged.next !== undefined)
    const pubStaged = parsePublicRing(await readFile(files.publicKeyFile, 'utf8'))
    assert.ok(pubStaged.current.equals(first.publicKey), 'still signing with the current key')
    assert.ok(pubStaged.next?.equals(staged.next.publicKey), 'the next key is published')
    assert.ok(await verifies(oldCert))
    assert.ok(await verifies(await certBy(staged.next)), 'trusted before anything signs with it')
    await assert.rejects(stageNext(files, t0 + 1), /already staged/)
    await assert.rejects(promoteNext(files, { now: t0 + 1000 }), /promote after 3600 s/)

    const promoted = await promoteNext(files, { now: t0 + 3_600_000 })
    assert.ok(promoted.current.publicKey.equals(staged.next.publicKey))
    assert.equal(promoted.next, undefined)
    const pubPromoted = parsePublicRing(await readFile(files.publicKeyFile, 'utf8'))
    assert.ok(pubPromoted.current.equals(staged.next.publicKey))
    assert.ok(pubPromoted.previous?.equals(first.publicKey), 'the old key stays trusted')
    assert.ok(await verifies(oldCert), 'certificates signed before the promotion still verify')
    await assert.rejects(retirePrevious(files, { now: t0 + 3_600_000 + 1000 }), /may be valid for/)

    await retirePrevious(files, { now: t0 + 3_600_000 + 25 * 3_600_000 })
    const pubRetired = parsePublicRing(await readFile(files.publicKeyFile, 'utf8'))
    assert.equal(pubRetired.previous, undefined)
    assert.equal(await verifies(oldCert), false, 'the retired key is trusted no more')
    assert.equal((await stat(files.privateKeyFile)).mode & 0o777, 0o600)
  })

  it('a KeyStore picks up a rotation without a restart and keeps its keys when the file turns bad', async () => {
    const files = await ensureKeys(join(dir, 'reload'))
    const errors: unknown[] = []
    const pub = await openPublicKeys(files.publicKeyFile, { reloadMs: 20, onError: (e) => errors.push(e) })
    const sec = await openSecretKeys(files.privateKeyFile, { reloadMs: 20 })
    const before = sec.ring.current
    const staged = await stageNext(files, Date.now())
    await promoteNext(files, { minStagedMs: 0 })
    const until = Date.now() + 3000
    while (
      !sec.ring.current.publicKey.equals(staged.next?.publicKey ?? before.publicKey) &&
      Date.now() < until
    ) {
      await new Promise((r) => setTimeout(r, 20))
    }
    assert.ok(
      sec.ring.current.publicKey.equals(staged.next?.publicKey ?? before.publicKey),
      'signs with the promoted key',
    )
    while (pub.ring.previous === undefined && Date.now() < until) await new Promise((r) => setTimeout(r, 20))
    assert.ok(pub.ring.previous?.equals(before.publicKey))
    const good = pub.ring
    await writeFile(files.publicKeyFile, '{"current": "not a key"}')
    while (errors.length === 0 && Date.now() < until + 2000) await new Promise((r) => setTimeout(r, 20))
    assert.ok(errors.length > 0, 'the bad file is reported')
    assert.equal(pub.ring, good, 'and the keys it had are kept')
    pub.close()
    sec.close()
  })

  it('refuses a secret key file that others may read', async () => {
    const files = await ensureKeys(join(dir, 'mode'))
    const { chmod } = await import('node:fs/promises')
    await chmod(files.privateKeyFile, 0o644)
    await assert.rejects(openSecretKeys(files.privateKeyFile), /must not be readable by others/)
  })

  it('exports and imports the certifier key as a JWK (node-jose), and publishes a JWKS of current and next', async () => {
    const { secretKey, publicKey } = await generateKeyPair('RS256')
    const priv = await toJwk(secretKey, { private: true })
    assert.equal(priv.kty, 'RSA')
    assert.equal(priv.alg, 'RS256')
    assert.match(priv.kid, /^[A-Za-z0-9_-]{43}$/, 'an RFC 7638 SHA-256 thumbprint')
    assert.ok(typeof priv.d === 'string')
    const pub = await toJwk(publicKey)
    assert.equal(pub.d, undefined, 'no private part unless asked')
    assert.equal(pub.kid, priv.kid)
    const back = await fromJwk(priv)
    assert.ok(back instanceof SecretKey)
    assert.deepEqual(back.toJSON(), secretKey.toJSON())
    const backPub = await fromJwk(pub)
    assert.ok(backPub instanceof PublicKey)
    assert.ok(backPub.equals(publicKey))
    const next = await generateKeyPair('RS256')
    const jwks = await jwksOf({ current: publicKey, next: next.publicKey })
    assert.deepEqual(
      jwks.keys.map((k) => k.kid),
      [pub.kid, (await toJwk(next.publicKey)).kid],
    )
    assert.ok(jwks.keys.every((k) => k.d === undefined))
    await assert.rejects(toJwk((await generateKeyPair('DS128')).publicKey), /RSA only/)
    assert.ok(loadPublicKey(backPub.toJSON()))
  })
})
