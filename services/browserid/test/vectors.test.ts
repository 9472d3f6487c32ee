// SPDX-License-Identifier: MPL-2.0
// Interop: every case of /work/shared/vectors/browserid-interop.json (made by Mozilla's browserid-crypto
// 0.9.1) must give its expected outcome at the file's `now`, with a fetcher serving its `wellKnown`.

import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import { isFailure, parseBundle, verifyAssertion } from '../src/index.ts'

const VECTORS_URL = new URL('../../../../shared/vectors/browserid-interop.json', import.meta.url)

interface VectorCase {
  name: string
  assertion: string
  audience: string
  expect: { status: 'okay' | 'failure'; email?: string; issuer?: string }
}
interface Vectors {
  now: number
  fallback: string
  wellKnown: Record<string, unknown>
  cases: VectorCase[]
}

function load(): Vectors {
  const raw: unknown = JSON.parse(readFileSync(VECTORS_URL, 'utf8'))
  assert.ok(typeof raw === 'object' && raw !== null)
  assert.ok('now' in raw && typeof raw.now === 'number')
  assert.ok('fallback' in raw && typeof raw.fallback === 'string')
  assert.ok('wellKnown' in raw && typeof raw.wellKnown === 'object' && raw.wellKnown !== null)
  assert.ok('cases' in raw && Array.isArray(raw.cases))
  const wellKnown: Record<string, unknown> = Object.fromEntries(Object.entries(raw.wellKnown))
  const cases: VectorCase[] = raw.cases.map((c: unknown): VectorCase => {
    assert.ok(typeof c === 'object' && c !== null)
    assert.ok('name' in c && typeof c.name === 'string')
    assert.ok('assertion' in c && typeof c.assertion === 'string')
    assert.ok('audience' in c && typeof c.audience === 'string')
    assert.ok('expect' in c && typeof c.expect === 'object' && c.expect !== null)
    const e = c.expect
    assert.ok('status' in e && (e.status === 'okay' || e.status === 'failure'))
    const email = 'email' in e && typeof e.email === 'string' ? e.email : undefined
    const issuer = 'issuer' in e && typeof e.issuer === 'string' ? e.issuer : undefined
    return {
      name: c.name,
      assertion: c.assertion,
      audience: c.audience,
      expect: { status: e.status, ...(email ? { email } : {}), ...(issuer ? { issuer } : {}) },
    }
  })
  return { now: raw.now, fallback: raw.fallback, wellKnown, cases }
}

const vectors = load()

describe('browserid-crypto interop vectors', () => {
  test('the file has both outcomes', () => {
    assert.ok(vectors.cases.some((c) => c.expect.status === 'okay'))
    assert.ok(vectors.cases.some((c) => c.expect.status === 'failure'))
  })

  for (const c of vectors.cases) {
    test(c.name, async () => {
      const fetched: string[] = []
      const result = await verifyAssertion(c.assertion, c.audience, {
        now: vectors.now,
        fallbackIssuer: vectors.fallback,
        fetchSupportDocument: async (domain) => {
          fetched.push(domain)
          return vectors.wellKnown[domain] ?? null
        },
      })
      assert.equal(result.status, c.expect.status, `reason: ${'reason' in result ? result.reason : ''}`)
      if (result.status === 'okay') {
        assert.equal(result.email, c.expect.email)
        assert.equal(result.issuer, c.expect.issuer)
        assert.equal(result.audience, c.audience)
        const parsed = parseBundle(c.assertion)
        assert.ok(!isFailure(parsed))
        assert.equal(result.expires, parsed.expires)
      } else {
        assert.equal(typeof result.reason, 'string')
        assert.ok(result.reason.length > 0)
      }
    })
  }

  test('the fallback key may be given instead of fetched', async () => {
    const c = vectors.cases.find((x) => x.expect.status === 'okay' && x.expect.issuer === vectors.fallback)
    assert.ok(c)
    const doc = vectors.wellKnown[vectors.fallback]
    assert.ok(typeof doc === 'object' && doc !== null && 'public-key' in doc)
    const pk = doc['public-key']
    assert.ok(typeof pk === 'object' && pk !== null && 'algorithm' in pk && pk.algorithm === 'RS')
    assert.ok('n' in pk && typeof pk.n === 'string' && 'e' in pk && typeof pk.e === 'string')
    const result = await verifyAssertion(c.assertion, c.audience, {
      now: vectors.now,
      fallbackIssuer: vectors.fallback,
      fallbackPublicKey: { algorithm: 'RS', n: pk.n, e: pk.e },
      fetchSupportDocument: async (domain) =>
        domain === vectors.fallback ? null : (vectors.wellKnown[domain] ?? null),
    })
    assert.equal(result.status, 'okay')
  })
})
