// SPDX-License-Identifier: MPL-2.0
// Mozilla's own interop vectors (browserid-crypto 0.9.1), re-made live: their support documents served
// by local IdPs through the proxy's SHIMMED_PRIMARIES, every case posted to the verifier over HTTP with
// the verifier's clock at the file's `now`.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, test } from 'node:test'
import { type Harness, post, startHarness } from './harness.ts'

interface Vectors {
  now: number
  fallback: string
  wellKnown: Record<string, { 'public-key'?: unknown }>
  cases: {
    name: string
    assertion: string
    audience: string
    expect: { status: string; email?: string; issuer?: string }
  }[]
}
const vectors: Vectors = JSON.parse(
  readFileSync(new URL('../../../../shared/vectors/browserid-interop.json', import.meta.url), 'utf8'),
)

let h: Harness
before(async () => {
  const { [vectors.fallback]: own, ...others } = vectors.wellKnown
  // mail.test has no support document: its IdP answers 404, so only the fallback may certify it.
  h = await startHarness({
    fallbackDomain: vectors.fallback,
    fallbackPublicKey: own?.['public-key'],
    documents: { ...others, 'mail.test': null },
    now: () => vectors.now,
  })
})
after(() => h.close())

for (const c of vectors.cases) {
  test(`vector: ${c.name}`, async () => {
    const body = new URLSearchParams({ assertion: c.assertion, audience: c.audience }).toString()
    const res = await post(`${h.url}/verify`, body, 'application/x-www-form-urlencoded')
    const expectedHttp = c.assertion === '' ? 400 : 200
    assert.equal(res.status, expectedHttp, JSON.stringify(res.json))
    assert.equal(res.json.status, c.expect.status, JSON.stringify(res.json))
    if (c.expect.status === 'okay') {
      assert.equal(res.json.email, c.expect.email)
      assert.equal(res.json.issuer, c.expect.issuer)
      assert.equal(res.json.audience, c.audience)
      assert.equal(typeof res.json.expires, 'number')
    } else {
      assert.equal(typeof res.json.reason, 'string')
      assert.ok(String(res.json.reason).length > 0)
    }
  })
}
