// SPDX-License-Identifier: MPL-2.0
// Verification round trips with keys made here: every algorithm verifies, and each rule (validity
// windows, audience, signatures, issuer authority, delegation, disabled domains, forceIssuer,
// allowUnverified, chains, malformed input) fails with its own code, never by throwing.

import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  ALGORITHMS,
  bundleAssertion,
  DEFAULT_SKEW_MS,
  decodeJws,
  FetchedSupportDocument,
  isFailure,
  parseBundle,
  resolveAuthority,
  resolveIssuerKey,
  signAssertion,
  signCertificate,
  signCertificateAsync,
  signJws,
  unbundle,
  type VerifyResult,
  verifyAssertion,
  verifyChainSignatures,
} from '../src/index.ts'
import {
  AUDIENCE,
  b64json,
  FALLBACK,
  HOUR,
  keyPair,
  makeBundle,
  NOW,
  options,
  replaceSegment,
  supportDoc,
} from './fixtures.ts'

const fallback = await keyPair('fallback')
const idp = await keyPair('idp')
const user = await keyPair('user', 'DS128')
const DOCS: Record<string, unknown> = {
  [FALLBACK]: supportDoc(fallback.publicKey),
  'idp.test': supportDoc(idp.publicKey),
  'disabled.test': { disabled: true },
}

function expectFailure(r: VerifyResult, code: string): void {
  assert.equal(r.status, 'failure', `expected ${code}, got okay`)
  assert.ok(isFailure(r))
  assert.equal(r.code, code, r.reason)
  assert.ok(r.reason.length > 0)
}

function expectOkay(r: VerifyResult, email: string, issuer: string): void {
  assert.equal(r.status, 'okay', isFailure(r) ? r.reason : '')
  assert.ok(!isFailure(r))
  assert.equal(r.email, email)
  assert.equal(r.issuer, issuer)
}

describe('round trips', () => {
  for (const issuerAlg of ALGORITHMS) {
    for (const userAlg of ALGORITHMS) {
      // Every user algorithm under an RS256 issuer, and every issuer algorithm with a DS128 user key.
      if (issuerAlg !== 'RS256' && userAlg !== 'DS128') continue
      test(`${issuerAlg} certificate, ${userAlg} assertion`, async () => {
        const iss = await keyPair('issuer', issuerAlg)
        const u = await keyPair('user', userAlg)
        const docs = { ...DOCS, [FALLBACK]: supportDoc(iss.publicKey) }
        const bundle = makeBundle({ issuerKey: iss.secretKey, user: u })
        const r = await verifyAssertion(bundle, AUDIENCE, options(docs))
        expectOkay(r, 'alice@mail.test', FALLBACK)
        assert.ok(!isFailure(r))
        assert.equal(r.audience, AUDIENCE)
        assert.equal(r.expires, NOW + 120_000)
      })
    }
  }

  test('a primary certifies its own users', async () => {
    const bundle = makeBundle({ issuer: 'idp.test', issuerKey: idp.secretKey, user, email: 'bob@idp.test' })
    expectOkay(await verifyAssertion(bundle, AUDIENCE, options(DOCS)), 'bob@idp.test', 'idp.test')
  })

  test('the certificate payload has the fields jwcrypto writes', () => {
    const { certs } = unbundle(makeBundle({ issuerKey: fallback.secretKey, user }))
    const cert = decodeJws(certs[0] ?? '')
    assert.ok(typeof cert !== 'string')
    assert.deepEqual(Object.keys(cert.payload), ['public-key', 'principal', 'iat', 'exp', 'iss'])
    assert.deepEqual(cert.header, { alg: 'RS256' })
    assert.deepEqual(cert.payload.principal, { email: 'alice@mail.test' })
  })

  test('the phases work on structured clones (worker hand-off)', async () => {
    const bundle = makeBundle({ issuerKey: fallback.secretKey, user })
    const parsed = parseBundle(bundle)
    assert.ok(!isFailure(parsed))
    const key = await resolveIssuerKey(parsed, options(DOCS))
    assert.ok(!isFailure(key))
    const r = verifyChainSignatures(structuredClone(parsed), structuredClone(key.publicKeys), AUDIENCE, NOW)
    expectOkay(r, 'alice@mail.test', FALLBACK)
  })

  test('signCertificateAsync (thread pool) signs exactly as signCertificate', async () => {
    const params = {
      issuer: FALLBACK,
      publicKey: user.publicKey,
      email: 'alice@mail.test',
      iat: NOW,
      exp: NOW + HOUR,
    }
    const rsa = await signCertificateAsync(params, fallback.secretKey)
    // PKCS#1 v1.5 is deterministic: the same bytes as the synchronous path.
    assert.equal(rsa, signCertificate(params, fallback.secretKey))
    const dsIssuer = await keyPair('ds-issuer', 'DS128')
    const ds = await signCertificateAsync(params, dsIssuer.secretKey)
    const assertion = signAssertion({ audience: AUDIENCE, exp: NOW + 60_000 }, user.secretKey)
    const docs = { ...DOCS, [FALLBACK]: supportDoc(dsIssuer.publicKey) }
    expectOkay(
      await verifyAssertion(bundleAssertion([ds], assertion), AUDIENCE, options(docs)),
      'alice@mail.test',
      FALLBACK,
    )
    assert.throws(
      () => signCertificateAsync({ ...params, email: 'nope' }, fallback.secretKey),
      /invalid email/,
    )
  })

  test('certificatesVerified skips only the certificate signatures (a caller cache)', async () => {
    const key = fallback.publicKey.toJSON()
    const parse = (b: string) => {
      const p = parseBundle(b)
      assert.ok(!isFailure(p))
      return p
    }
    const known = { certificatesVerified: true } as const
    // Signed by a key the caller did not pass: only a caller that vouches for the certificate gets okay.
    const foreign = parse(makeBundle({ issuerKey: idp.secretKey, user }))
    expectFailure(verifyChainSignatures(foreign, key, AUDIENCE, NOW), 'ERR_BAD_SIGNATURE')
    expectOkay(verifyChainSignatures(foreign, key, AUDIENCE, NOW, known), 'alice@mail.test', FALLBACK)
    // The assertion is still checked: signature, audience, expiry.
    const other = await keyPair('other', 'DS128')
    const cert = unbundle(makeBundle({ issuerKey: fallback.secretKey, user })).certs[0] ?? ''
    const forged = parse(
      bundleAssertion([cert], signAssertion({ audience: AUDIENCE, exp: NOW + 60_000 }, other.secretKey)),
    )
    expectFailure(verifyChainSignatures(forged, key, AUDIENCE, NOW, known), 'ERR_BAD_SIGNATURE')
    const good = parse(makeBundle({ issuerKey: fallback.secretKey, user }))
    expectFailure(
      verifyChainSignatures(good, key, 'https://elsewhere.test', NOW, known),
      'ERR_AUDIENCE_MISMATCH',
    )
    expectFailure(verifyChainSignatures(good, key, AUDIENCE, NOW + HOUR, known), 'ERR_ASSERTION_EXPIRED')
  })

  test('several fallback keys (rotation): either may have signed', async () => {
    const old = await keyPair('old-fallback')
    const bundle = makeBundle({ issuerKey: old.secretKey, user })
    const opts = options(DOCS, { fallbackPublicKey: [fallback.publicKey.toJSON(), old.publicKey.toJSON()] })
    expectOkay(await verifyAssertion(bundle, AUDIENCE, opts), 'alice@mail.test', FALLBACK)
    expectFailure(await verifyAssertion(bundle, AUDIENCE, options(DOCS)), 'ERR_BAD_SIGNATURE')
  })

  test('signatures with leading zero bytes dropped (as jwcrypto may write them) still verify', async () => {
    const small = await keyPair('small', 'RS64')
    const dsUser = await keyPair('zero', 'DS128')
    for (const u of [small, dsUser]) {
      // Sign until the signature starts with a zero byte (1 in 256), then drop it.
      let found = ''
      for (let i = 0; i < 5000 && !found; i++) {
        const a = signAssertion({ audience: AUDIENCE, exp: NOW + 60_000 + i }, u.secretKey)
        const sig = Buffer.from(a.split('.')[2] ?? '', 'base64url')
        if (sig[0] === 0) found = replaceSegment(a, 2, sig.subarray(1).toString('base64url'))
      }
      assert.ok(found, 'no signature with a leading zero byte found')
      const cert = signCertificate(
        { issuer: FALLBACK, publicKey: u.publicKey, email: 'z@mail.test', iat: NOW, exp: NOW + HOUR },
        fallback.secretKey,
      )
      expectOkay(
        await verifyAssertion(bundleAssertion([cert], found), AUDIENCE, options(DOCS)),
        'z@mail.test',
        FALLBACK,
      )
    }
  })
})

describe('validity windows', () => {
  const cases: [string, Partial<Parameters<typeof makeBundle>[0]>, string | null][] = [
    ['expired assertion', { exp: NOW - DEFAULT_SKEW_MS - 1 }, 'ERR_ASSERTION_EXPIRED'],
    ['assertion expired within the skew', { exp: NOW - DEFAULT_SKEW_MS + 1000 }, null],
    ['expired certificate', { certExp: NOW - DEFAULT_SKEW_MS - 1 }, 'ERR_CERTIFICATE_EXPIRED'],
    [
      'certificate issued in the future',
      { certIat: NOW + DEFAULT_SKEW_MS + 1 },
      'ERR_CERTIFICATE_NOT_YET_VALID',
    ],
    ['certificate issued slightly ahead (within skew)', { certIat: NOW + DEFAULT_SKEW_MS - 1000 }, null],
    ['assertion issued in the future', { iat: NOW + DEFAULT_SKEW_MS + 1 }, 'ERR_ASSERTION_NOT_YET_VALID'],
  ]
  for (const [name, spec, code] of cases) {
    test(name, async () => {
      const r = await verifyAssertion(
        makeBundle({ issuerKey: fallback.secretKey, user, ...spec }),
        AUDIENCE,
        options(DOCS),
      )
      if (code) expectFailure(r, code)
      else expectOkay(r, 'alice@mail.test', FALLBACK)
    })
  }

  test('skewMs is configurable', async () => {
    const bundle = makeBundle({ issuerKey: fallback.secretKey, user, exp: NOW - 1000 })
    expectFailure(
      await verifyAssertion(bundle, AUDIENCE, options(DOCS, { skewMs: 0 })),
      'ERR_ASSERTION_EXPIRED',
    )
    expectOkay(
      await verifyAssertion(bundle, AUDIENCE, options(DOCS, { skewMs: 5000 })),
      'alice@mail.test',
      FALLBACK,
    )
  })

  test('an expired assertion is refused before any support document is fetched', async () => {
    const opts = options(DOCS)
    const r = await verifyAssertion(
      makeBundle({ issuerKey: fallback.secretKey, user, exp: NOW - HOUR }),
      AUDIENCE,
      opts,
    )
    expectFailure(r, 'ERR_ASSERTION_EXPIRED')
    assert.deepEqual(opts.fetched, [])
  })
})

describe('audience', () => {
  const cases: [string, string, string | null][] = [
    ['https://rp.test', 'https://rp.test', null],
    ['https://rp.test', 'https://rp.test:443', null],
    ['https://rp.test:443', 'https://rp.test', null],
    ['http://rp.test', 'http://rp.test:80', null],
    ['https://rp.test', 'https://RP.test', null],
    ['https://rp.test', 'rp.test', null],
    ['https://rp.test', 'rp.test:443', null],
    ['app://rp.test', 'app://rp.test', null],
    ['https://rp.test', 'http://rp.test', 'scheme mismatch'],
    ['https://rp.test', 'https://rp.test:8443', 'port mismatch'],
    ['https://rp.test:8443', 'https://rp.test', 'port mismatch'],
    ['https://rp.test', 'rp.test:80', 'port mismatch'],
    ['https://rp.test', 'https://other.test', 'domain mismatch'],
    ['https://rp.test', 'https://rp.test.evil.test', 'domain mismatch'],
    ['https://rp.test', 'rp.test:1:2', 'malformed audience'],
    ['rp.test', 'https://rp.test', 'malformed audience in assertion'],
  ]
  for (const [aud, given, mismatch] of cases) {
    test(`assertion for ${aud}, site says ${given}`, async () => {
      const r = await verifyAssertion(
        makeBundle({ issuerKey: fallback.secretKey, user, audience: aud }),
        given,
        options(DOCS),
      )
      if (mismatch === null) {
        expectOkay(r, 'alice@mail.test', FALLBACK)
        assert.ok(!isFailure(r))
        assert.equal(r.audience, given)
      } else {
        expectFailure(r, 'ERR_AUDIENCE_MISMATCH')
        assert.ok(isFailure(r))
        assert.equal(r.reason, `audience mismatch: ${mismatch}`)
      }
    })
  }

  test('a missing or non-string audience fails', async () => {
    const bundle = makeBundle({ issuerKey: fallback.secretKey, user })
    for (const a of ['', undefined, 42, null]) {
      expectFailure(await verifyAssertion(bundle, a, options(DOCS)), 'ERR_BAD_AUDIENCE')
    }
  })
})

describe('signatures', () => {
  test('tampered certificate signature', async () => {
    const { certs, assertion } = unbundle(makeBundle({ issuerKey: fallback.secretKey, user }))
    const cert = certs[0] ?? ''
    const sig = Buffer.from(cert.split('.')[2] ?? '', 'base64url')
    sig[10] = (sig[10] ?? 0) ^ 1
    const bad = bundleAssertion([replaceSegment(cert, 2, sig.toString('base64url'))], assertion)
    expectFailure(await verifyAssertion(bad, AUDIENCE, options(DOCS)), 'ERR_BAD_SIGNATURE')
  })

  test('tampered assertion signature', async () => {
    const { certs, assertion } = unbundle(makeBundle({ issuerKey: fallback.secretKey, user }))
    const sig = Buffer.from(assertion.split('.')[2] ?? '', 'base64url')
    sig[5] = (sig[5] ?? 0) ^ 0x80
    const bad = bundleAssertion(certs, replaceSegment(assertion, 2, sig.toString('base64url')))
    expectFailure(await verifyAssertion(bad, AUDIENCE, options(DOCS)), 'ERR_BAD_SIGNATURE')
  })

  test('a certificate whose payload was edited (email changed) fails', async () => {
    const { certs, assertion } = unbundle(makeBundle({ issuerKey: fallback.secretKey, user }))
    const cert = decodeJws(certs[0] ?? '')
    assert.ok(typeof cert !== 'string')
    const edited = replaceSegment(
      certs[0] ?? '',
      1,
      b64json({ ...cert.payload, principal: { email: 'mallory@mail.test' } }),
    )
    expectFailure(
      await verifyAssertion(bundleAssertion([edited], assertion), AUDIENCE, options(DOCS)),
      'ERR_BAD_SIGNATURE',
    )
  })

  test('a certificate signed by the wrong key of the right algorithm', async () => {
    const rogue = await keyPair('rogue')
    expectFailure(
      await verifyAssertion(makeBundle({ issuerKey: rogue.secretKey, user }), AUDIENCE, options(DOCS)),
      'ERR_BAD_SIGNATURE',
    )
  })

  test('an assertion signed by a key other than the certified one', async () => {
    const other = await keyPair('other-user', 'DS128')
    const cert = unbundle(makeBundle({ issuerKey: fallback.secretKey, user })).certs[0] ?? ''
    const assertion = signAssertion({ audience: AUDIENCE, exp: NOW + 60_000 }, other.secretKey)
    expectFailure(
      await verifyAssertion(bundleAssertion([cert], assertion), AUDIENCE, options(DOCS)),
      'ERR_BAD_SIGNATURE',
    )
  })

  test('a header naming another algorithm than the key is refused', async () => {
    const { certs, assertion } = unbundle(makeBundle({ issuerKey: fallback.secretKey, user }))
    const relabeled = replaceSegment(assertion, 0, b64json({ alg: 'DS256' }))
    expectFailure(
      await verifyAssertion(bundleAssertion(certs, relabeled), AUDIENCE, options(DOCS)),
      'ERR_ALGORITHM_MISMATCH',
    )
  })

  test('an oversized signature fails', async () => {
    const { certs, assertion } = unbundle(makeBundle({ issuerKey: fallback.secretKey, user }))
    const sig = Buffer.from(assertion.split('.')[2] ?? '', 'base64url')
    const longer = Buffer.concat([Buffer.from([1]), sig]).toString('base64url')
    expectFailure(
      await verifyAssertion(
        bundleAssertion(certs, replaceSegment(assertion, 2, longer)),
        AUDIENCE,
        options(DOCS),
      ),
      'ERR_BAD_SIGNATURE',
    )
  })
})

describe('issuer authority', () => {
  test('the fallback may not certify a domain with a support document', async () => {
    const bundle = makeBundle({ issuerKey: fallback.secretKey, user, email: 'bob@idp.test' })
    expectFailure(await verifyAssertion(bundle, AUDIENCE, options(DOCS)), 'ERR_ISSUER_NOT_AUTHORIZED')
  })

  test('an unrelated primary may not certify another domain', async () => {
    const bundle = makeBundle({
      issuer: 'idp.test',
      issuerKey: idp.secretKey,
      user,
      email: 'alice@mail.test',
    })
    expectFailure(await verifyAssertion(bundle, AUDIENCE, options(DOCS)), 'ERR_ISSUER_NOT_AUTHORIZED')
  })

  test('a domain without a support document can not certify itself', async () => {
    const bundle = makeBundle({ issuer: 'mail.test', issuerKey: idp.secretKey, user })
    expectFailure(await verifyAssertion(bundle, AUDIENCE, options(DOCS)), 'ERR_NO_SUPPORT_DOCUMENT')
  })

  test('no fallback configured: domains without documents fail', async () => {
    const bundle = makeBundle({ issuerKey: fallback.secretKey, user })
    const opts = options(DOCS)
    const { fallbackIssuer: _drop, ...noFallback } = opts
    expectFailure(await verifyAssertion(bundle, AUDIENCE, noFallback), 'ERR_ISSUER_NOT_AUTHORIZED')
  })

  test('a disabled domain can not certify; the fallback may (Persona: disabled means secondary)', async () => {
    const own = makeBundle({
      issuer: 'disabled.test',
      issuerKey: idp.secretKey,
      user,
      email: 'eve@disabled.test',
    })
    expectFailure(await verifyAssertion(own, AUDIENCE, options(DOCS)), 'ERR_DOMAIN_DISABLED')
    const byFallback = makeBundle({ issuerKey: fallback.secretKey, user, email: 'eve@disabled.test' })
    expectOkay(await verifyAssertion(byFallback, AUDIENCE, options(DOCS)), 'eve@disabled.test', FALLBACK)
  })

  test('a failed fetch is a failure value, not an exception', async () => {
    const bundle = makeBundle({ issuerKey: fallback.secretKey, user })
    expectFailure(
      await verifyAssertion(bundle, AUDIENCE, options(DOCS, {}, ['mail.test'])),
      'ERR_SUPPORT_DOCUMENT_FETCH',
    )
  })

  test('a fetcher that throws synchronously or returns garbage is contained', async () => {
    const bundle = makeBundle({ issuerKey: fallback.secretKey, user })
    const throwing = options(DOCS, {
      fetchSupportDocument: () => {
        throw new Error('boom')
      },
    })
    expectFailure(await verifyAssertion(bundle, AUDIENCE, throwing), 'ERR_SUPPORT_DOCUMENT_FETCH')
    for (const junk of ['<html>', '[1,2]', 17, { 'public-key': { algorithm: 'RS', n: '5', e: '3' } }]) {
      const r = await verifyAssertion(bundle, AUDIENCE, options({ ...DOCS, 'mail.test': junk }))
      expectFailure(r, 'ERR_BAD_SUPPORT_DOCUMENT')
    }
  })

  test('the fallback key is fetched from its support document when not given', async () => {
    const opts = options(DOCS)
    expectOkay(
      await verifyAssertion(makeBundle({ issuerKey: fallback.secretKey, user }), AUDIENCE, opts),
      'alice@mail.test',
      FALLBACK,
    )
    assert.deepEqual(opts.fetched, ['mail.test', FALLBACK])
  })
})

describe('delegation of authority', () => {
  const auth = 'auth.idp.test'
  // d0 -> d1 -> ... -> dN, where dN is the authority with a key.
  function chainDocs(hops: number): Record<string, unknown> {
    const docs: Record<string, unknown> = { ...DOCS }
    for (let i = 0; i < hops; i++)
      docs[`d${i}.test`] = { authority: i + 1 === hops ? auth : `d${i + 1}.test` }
    docs[auth] = supportDoc(idp.publicKey)
    return docs
  }

  for (const hops of [1, 6]) {
    test(`${hops} hop(s) of delegation are followed`, async () => {
      const bundle = makeBundle({ issuer: auth, issuerKey: idp.secretKey, user, email: 'dan@d0.test' })
      expectOkay(await verifyAssertion(bundle, AUDIENCE, options(chainDocs(hops))), 'dan@d0.test', auth)
    })
  }

  test('7 hops are too many', async () => {
    const bundle = makeBundle({ issuer: auth, issuerKey: idp.secretKey, user, email: 'dan@d0.test' })
    expectFailure(await verifyAssertion(bundle, AUDIENCE, options(chainDocs(7))), 'ERR_DELEGATION_TOO_DEEP')
  })

  test('a loop is detected', async () => {
    const docs = {
      ...DOCS,
      'a.test': { authority: 'b.test' },
      'b.test': { authority: 'c.test' },
      'c.test': { authority: 'a.test' },
    }
    const bundle = makeBundle({ issuer: 'b.test', issuerKey: idp.secretKey, user, email: 'x@a.test' })
    const r = await verifyAssertion(bundle, AUDIENCE, options(docs))
    expectFailure(r, 'ERR_DELEGATION_LOOP')
    assert.ok(isFailure(r))
    assert.match(r.reason, /a\.test > b\.test > c\.test > a\.test/)
    const self = await verifyAssertion(bundle, AUDIENCE, options({ 'a.test': { authority: 'a.test' } }))
    expectFailure(self, 'ERR_DELEGATION_LOOP')
  })

  test('the delegating domain itself may not certify, nor may the fallback', async () => {
    const docs = chainDocs(1)
    const own = makeBundle({ issuer: 'd0.test', issuerKey: idp.secretKey, user, email: 'dan@d0.test' })
    expectFailure(await verifyAssertion(own, AUDIENCE, options(docs)), 'ERR_ISSUER_NOT_AUTHORIZED')
    const fb = makeBundle({ issuerKey: fallback.secretKey, user, email: 'dan@d0.test' })
    expectFailure(await verifyAssertion(fb, AUDIENCE, options(docs)), 'ERR_ISSUER_NOT_AUTHORIZED')
  })

  test("resolveAuthority reports the authority's pages and the origin its document came from", async () => {
    const docs = chainDocs(2)
    const plain = await resolveAuthority('d0.test', async (d) => docs[d] ?? null)
    assert.ok(!isFailure(plain) && plain.kind === 'supported')
    assert.deepEqual(
      [plain.authority, plain.origin, plain.authentication, plain.provisioning, plain.chain],
      [auth, `https://${auth}`, '/sign_in', '/provision', ['d0.test', 'd1.test', auth]],
    )
    // A fetcher that knows where a document really came from (a development shim) says so.
    const shimmed = await resolveAuthority('d0.test', async (d) =>
      d === auth ? new FetchedSupportDocument(docs[d], 'http://127.0.0.1:9') : (docs[d] ?? null),
    )
    assert.ok(!isFailure(shimmed) && shimmed.kind === 'supported')
    assert.equal(shimmed.origin, 'http://127.0.0.1:9')
  })

  test('a delegation to a domain with no document fails', async () => {
    const bundle = makeBundle({ issuer: 'gone.test', issuerKey: idp.secretKey, user, email: 'x@a.test' })
    const r = await verifyAssertion(
      bundle,
      AUDIENCE,
      options({ ...DOCS, 'a.test': { authority: 'gone.test' } }),
    )
    expectFailure(r, 'ERR_NO_SUPPORT_DOCUMENT')
  })
})

describe('forceIssuer and allowUnverified', () => {
  const forced = 'forced.example'
  test('forceIssuer checks that issuer against the fallback key, for any domain', async () => {
    const bundle = makeBundle({ issuer: forced, issuerKey: fallback.secretKey, user, email: 'bob@idp.test' })
    expectFailure(await verifyAssertion(bundle, AUDIENCE, options(DOCS)), 'ERR_ISSUER_NOT_AUTHORIZED')
    expectOkay(
      await verifyAssertion(bundle, AUDIENCE, options(DOCS, { forceIssuer: forced })),
      'bob@idp.test',
      forced,
    )
    expectOkay(
      await verifyAssertion(
        bundle,
        AUDIENCE,
        options(DOCS, { forceIssuer: forced, forcibleIssuers: [forced] }),
      ),
      'bob@idp.test',
      forced,
    )
    expectFailure(
      await verifyAssertion(
        bundle,
        AUDIENCE,
        options(DOCS, { forceIssuer: forced, forcibleIssuers: ['other.example'] }),
      ),
      'ERR_FORCE_ISSUER_REFUSED',
    )
    // The forced issuer's certificate must still carry the fallback's signature.
    const rogue = await keyPair('rogue')
    const forged = makeBundle({ issuer: forced, issuerKey: rogue.secretKey, user, email: 'bob@idp.test' })
    expectFailure(
      await verifyAssertion(forged, AUDIENCE, options(DOCS, { forceIssuer: forced })),
      'ERR_BAD_SIGNATURE',
    )
  })

  test('unverified-email certificates need allowUnverified, and come back as unverified-email', async () => {
    const bundle = makeBundle({ issuerKey: fallback.secretKey, user, unverified: true })
    expectFailure(await verifyAssertion(bundle, AUDIENCE, options(DOCS)), 'ERR_UNVERIFIED_EMAIL')
    const r = await verifyAssertion(bundle, AUDIENCE, options(DOCS, { allowUnverified: true }))
    assert.equal(r.status, 'okay', isFailure(r) ? r.reason : '')
    assert.ok(!isFailure(r))
    assert.equal(r['unverified-email'], 'alice@mail.test')
    assert.equal(r.email, undefined)
    assert.ok(!('email' in r))
  })

  test('a verified certificate under allowUnverified still reports email', async () => {
    const bundle = makeBundle({ issuerKey: fallback.secretKey, user })
    const r = await verifyAssertion(bundle, AUDIENCE, options(DOCS, { allowUnverified: true }))
    expectOkay(r, 'alice@mail.test', FALLBACK)
    assert.ok(!('unverified-email' in r))
  })
})

describe('certificate chains', () => {
  async function chain(): Promise<{ certs: string[]; assertion: string }> {
    const mid = await keyPair('mid', 'RS64')
    const c1 = signCertificate(
      {
        issuer: FALLBACK,
        publicKey: mid.publicKey,
        email: 'intermediate@mail.test',
        iat: NOW,
        exp: NOW + HOUR,
      },
      fallback.secretKey,
    )
    const c2 = signCertificate(
      { issuer: FALLBACK, publicKey: user.publicKey, email: 'alice@mail.test', iat: NOW, exp: NOW + HOUR },
      mid.secretKey,
    )
    return {
      certs: [c1, c2],
      assertion: signAssertion({ audience: AUDIENCE, exp: NOW + 60_000 }, user.secretKey),
    }
  }

  test('refused by default, as Persona did', async () => {
    const { certs, assertion } = await chain()
    expectFailure(
      await verifyAssertion(bundleAssertion(certs, assertion), AUDIENCE, options(DOCS)),
      'ERR_CHAIN_TOO_LONG',
    )
  })

  test('with maxCertificates, every link is verified', async () => {
    const { certs, assertion } = await chain()
    const opts = options(DOCS, { maxCertificates: 2 })
    expectOkay(
      await verifyAssertion(bundleAssertion(certs, assertion), AUDIENCE, opts),
      'alice@mail.test',
      FALLBACK,
    )
    const [c1, c2] = certs
    assert.ok(c1 && c2)
    const otherMid = await keyPair('other-mid', 'RS64')
    const c2bad = signCertificate(
      { issuer: FALLBACK, publicKey: user.publicKey, email: 'alice@mail.test', iat: NOW, exp: NOW + HOUR },
      otherMid.secretKey,
    )
    expectFailure(
      await verifyAssertion(bundleAssertion([c1, c2bad], assertion), AUDIENCE, opts),
      'ERR_BAD_SIGNATURE',
    )
    expectFailure(
      await verifyAssertion(bundleAssertion([c1, c2, c2], assertion), AUDIENCE, opts),
      'ERR_CHAIN_TOO_LONG',
    )
  })
})

describe('malformed input never throws', () => {
  const good = makeBundle({ issuerKey: fallback.secretKey, user })
  const { certs, assertion } = unbundle(good)
  const cert = certs[0] ?? ''
  const certPayload = decodeJws(cert)
  assert.ok(typeof certPayload !== 'string')
  const withCertPayload = (p: unknown) => bundleAssertion([replaceSegment(cert, 1, b64json(p))], assertion)
  const withAssertionPayload = (p: unknown) =>
    bundleAssertion([cert], replaceSegment(assertion, 1, b64json(p)))

  const cases: [string, unknown, string][] = [
    ['garbage', 'not-an-assertion', 'ERR_MALFORMED_BUNDLE'],
    ['empty', '', 'ERR_MALFORMED_BUNDLE'],
    ['a number', 42, 'ERR_MALFORMED_BUNDLE'],
    ['null', null, 'ERR_MALFORMED_BUNDLE'],
    ['an object', { assertion: good }, 'ERR_MALFORMED_BUNDLE'],
    ['huge', `${good}~${'a'.repeat(40_000)}`, 'ERR_MALFORMED_BUNDLE'],
    ['only tildes', '~~~', 'ERR_CHAIN_TOO_LONG'],
    ['one tilde', '~', 'ERR_MALFORMED_CERTIFICATE'],
    ['too many tildes', `${good}~${assertion}`, 'ERR_CHAIN_TOO_LONG'],
    ['trailing tilde', `${good}~`, 'ERR_CHAIN_TOO_LONG'],
    ['no certificate', assertion, 'ERR_MALFORMED_BUNDLE'],
    ['two-part certificate', `a.b~${assertion}`, 'ERR_MALFORMED_CERTIFICATE'],
    ['four-part certificate', `${cert}.x~${assertion}`, 'ERR_MALFORMED_CERTIFICATE'],
    [
      'bad base64 in header',
      bundleAssertion([replaceSegment(cert, 0, '%%%')], assertion),
      'ERR_MALFORMED_CERTIFICATE',
    ],
    [
      'bad base64 length',
      bundleAssertion([replaceSegment(cert, 2, 'abcde')], assertion),
      'ERR_MALFORMED_CERTIFICATE',
    ],
    [
      'padding in base64url',
      bundleAssertion([replaceSegment(cert, 0, 'eyJhbGciOiJSUzI1NiJ9==')], assertion),
      'ERR_MALFORMED_CERTIFICATE',
    ],
    [
      'bad JSON in payload',
      bundleAssertion([replaceSegment(cert, 1, Buffer.from('{nope').toString('base64url'))], assertion),
      'ERR_MALFORMED_CERTIFICATE',
    ],
    ['JSON array payload', withCertPayload([1, 2]), 'ERR_MALFORMED_CERTIFICATE'],
    [
      'header without alg',
      bundleAssertion([replaceSegment(cert, 0, b64json({ typ: 'JWT' }))], assertion),
      'ERR_MALFORMED_CERTIFICATE',
    ],
    [
      'unknown alg',
      bundleAssertion([cert], replaceSegment(assertion, 0, b64json({ alg: 'none' }))),
      'ERR_ALGORITHM_MISMATCH',
    ],
    [
      'exp as a string',
      withCertPayload({ ...certPayload.payload, exp: String(NOW + HOUR) }),
      'ERR_MALFORMED_CERTIFICATE',
    ],
    [
      'iss not a hostname',
      withCertPayload({ ...certPayload.payload, iss: 'https://x' }),
      'ERR_MALFORMED_CERTIFICATE',
    ],
    [
      'no public-key',
      withCertPayload({ ...certPayload.payload, 'public-key': undefined }),
      'ERR_MALFORMED_CERTIFICATE',
    ],
    [
      'no principal',
      withCertPayload({ ...certPayload.payload, principal: undefined }),
      'ERR_MALFORMED_CERTIFICATE',
    ],
    [
      'email a number',
      withCertPayload({ ...certPayload.payload, principal: { email: 5 } }),
      'ERR_INVALID_EMAIL',
    ],
    [
      'invalid email',
      withCertPayload({ ...certPayload.payload, principal: { email: 'no-at-sign' } }),
      'ERR_INVALID_EMAIL',
    ],
    ['empty principal', withCertPayload({ ...certPayload.payload, principal: {} }), 'ERR_INVALID_EMAIL'],
    ['aud a number', withAssertionPayload({ aud: 5, exp: NOW + 1000 }), 'ERR_MALFORMED_ASSERTION'],
    ['assertion without exp', withAssertionPayload({ aud: AUDIENCE }), 'ERR_MALFORMED_ASSERTION'],
    [
      'assertion exp NaN-like',
      withAssertionPayload({ aud: AUDIENCE, exp: 'soon' }),
      'ERR_MALFORMED_ASSERTION',
    ],
  ]
  for (const [name, input, code] of cases) {
    test(name, async () => {
      const r = await verifyAssertion(input, AUDIENCE, options(DOCS))
      expectFailure(r, code)
    })
  }

  test('a certified public key that is garbage (but validly signed) fails cleanly', async () => {
    const bad = signJws(
      {
        'public-key': { algorithm: 'RS', n: '12', e: '3' },
        principal: { email: 'a@mail.test' },
        iat: NOW,
        exp: NOW + HOUR,
        iss: FALLBACK,
      },
      fallback.secretKey,
    )
    expectFailure(
      await verifyAssertion(bundleAssertion([bad], assertion), AUDIENCE, options(DOCS)),
      'ERR_MALFORMED_CERTIFICATE',
    )
  })

  test('bad options are failures too', async () => {
    expectFailure(
      await verifyAssertion(good, AUDIENCE, options(DOCS, { now: Number.NaN })),
      'ERR_BAD_ARGUMENT',
    )
    expectFailure(
      await verifyAssertion(
        good,
        AUDIENCE,
        options(DOCS, { fallbackPublicKey: { algorithm: 'RS', n: 'x', e: '3' } }),
      ),
      'ERR_BAD_KEY',
    )
  })
})
