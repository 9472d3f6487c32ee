// SPDX-License-Identifier: MPL-2.0
// checkSupport: each way a support document can be right or wrong, with an injected fetch.
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { generateKeyPair, type PublicKey } from '../src/index.ts'
import { checkSupport, type SupportFetch } from '../src/support-check.ts'

let key: PublicKey
before(async () => {
  key = (await generateKeyPair('RS256')).publicKey
})

function fetcher(docs: Record<string, SupportFetch>) {
  return async (d: string): Promise<SupportFetch> => docs[d] ?? { kind: 'none' }
}
const codes = (r: { findings: readonly { code: string }[] }) => r.findings.map((f) => f.code)

describe('checkSupport', () => {
  it('a primary: key and absolute page URLs', async () => {
    const r = await checkSupport(
      'IdP.Example',
      fetcher({
        'idp.example': {
          kind: 'found',
          document: { 'public-key': key.toJSON(), authentication: '/auth', provisioning: '/prov' },
        },
      }),
    )
    assert.equal(r.verdict, 'primary')
    assert.equal(r.authentication, 'https://idp.example/auth')
    assert.equal(r.provisioning, 'https://idp.example/prov')
    assert.deepEqual(codes(r), ['supported', 'key', 'pages'])
    assert.match(r.findings[1]?.message ?? '', /RS256, 2048 bits/)
  })

  it('no document: the domain is a secondary', async () => {
    const r = await checkSupport('plain.example', fetcher({}))
    assert.equal(r.verdict, 'secondary')
    assert.deepEqual(codes(r), ['no-document'])
  })

  it('delegation is followed; a loop, a missing delegate and a bad document are errors', async () => {
    const good = await checkSupport(
      'a.example',
      fetcher({
        'a.example': { kind: 'found', document: { authority: 'b.example' } },
        'b.example': {
          kind: 'found',
          document: { 'public-key': key.toJSON(), authentication: '/a', provisioning: '/p' },
        },
      }),
    )
    assert.equal(good.verdict, 'primary')
    assert.deepEqual(good.chain, ['a.example', 'b.example'])
    const loop = await checkSupport(
      'a.example',
      fetcher({
        'a.example': { kind: 'found', document: { authority: 'b.example' } },
        'b.example': { kind: 'found', document: { authority: 'a.example' } },
      }),
    )
    assert.equal(loop.verdict, 'broken')
    assert.ok(codes(loop).includes('delegation-loop'))
    const missing = await checkSupport(
      'a.example',
      fetcher({ 'a.example': { kind: 'found', document: { authority: 'z.example' } } }),
    )
    assert.ok(codes(missing).includes('delegate-missing'))
    const bad = await checkSupport(
      'a.example',
      fetcher({ 'a.example': { kind: 'found', document: { authentication: '/a' } } }),
    )
    assert.equal(bad.verdict, 'broken')
    assert.match(bad.findings[0]?.message ?? '', /provisioning/)
  })

  it('disabled, unreachable and nonsense domains', async () => {
    assert.equal(
      (
        await checkSupport(
          'd.example',
          fetcher({ 'd.example': { kind: 'found', document: { disabled: true } } }),
        )
      ).verdict,
      'disabled',
    )
    const down = await checkSupport(
      'e.example',
      fetcher({ 'e.example': { kind: 'failed', reason: 'could not reach e.example' } }),
    )
    assert.deepEqual([down.verdict, codes(down)], ['broken', ['unreachable']])
    assert.deepEqual(codes(await checkSupport('not a domain', fetcher({}))), ['bad-domain'])
  })
})
