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
          kind: 'document',
          document: { 'public-key': key.toJSON(), authentication: '/auth', provisioning: '/prov' },
        },
      }),
    )
    assert.equal(r.verdict, 'primary')
    assert.equal(r.authentication, 'https://idp.example/auth')
    assert.equal(r.provisioning, 'https://idp.example/prov')
    assert.deepEqual(codes(r), ['supported', 'key', 'pages'])
    assert.deepEqual(r.findings[1]?.args, { algorithm: 'RS256', bits: 2048 })
    assert.deepEqual(r.findings[2]?.args, {
      authentication: 'https://idp.example/auth',
      provisioning: 'https://idp.example/prov',
    })
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
        'a.example': { kind: 'document', document: { authority: 'b.example' } },
        'b.example': {
          kind: 'document',
          document: { 'public-key': key.toJSON(), authentication: '/a', provisioning: '/p' },
        },
      }),
    )
    assert.equal(good.verdict, 'primary')
    assert.deepEqual(good.chain, ['a.example', 'b.example'])
    const loop = await checkSupport(
      'a.example',
      fetcher({
        'a.example': { kind: 'document', document: { authority: 'b.example' } },
        'b.example': { kind: 'document', document: { authority: 'a.example' } },
      }),
    )
    assert.equal(loop.verdict, 'broken')
    assert.deepEqual(loop.findings.at(-1), {
      severity: 'error',
      code: 'delegation-loop',
      args: { chain: 'a.example → b.example → a.example' },
    })
    const missing = await checkSupport(
      'a.example',
      fetcher({ 'a.example': { kind: 'document', document: { authority: 'z.example' } } }),
    )
    assert.deepEqual(missing.findings.at(-1)?.args, { domain: 'z.example', from: 'a.example' })
    const bad = await checkSupport(
      'a.example',
      fetcher({ 'a.example': { kind: 'document', document: { authentication: '/a' } } }),
    )
    assert.equal(bad.verdict, 'broken')
    assert.equal(bad.findings[0]?.args.problem, 'missing-provisioning')
    assert.match(String(bad.findings[0]?.args.detail), /'provisioning'/)
  })

  it('disabled, unreachable and nonsense domains', async () => {
    assert.equal(
      (
        await checkSupport(
          'd.example',
          fetcher({ 'd.example': { kind: 'document', document: { disabled: true } } }),
        )
      ).verdict,
      'disabled',
    )
    const down = await checkSupport(
      'e.example',
      fetcher({ 'e.example': { kind: 'error', reason: 'could not reach e.example' } }),
    )
    assert.deepEqual([down.verdict, codes(down)], ['broken', ['unreachable']])
    assert.deepEqual(codes(await checkSupport('not a domain', fetcher({}))), ['bad-domain'])
  })

  it('a weak key, one page for both, and a chain longer than verifiers follow', async () => {
    const weak = (await generateKeyPair('RS64')).publicKey
    const r = await checkSupport(
      'w.example',
      fetcher({
        'w.example': {
          kind: 'document',
          document: { 'public-key': weak.toJSON(), authentication: '/id', provisioning: '/id' },
        },
      }),
    )
    assert.equal(r.verdict, 'primary')
    assert.deepEqual(codes(r), ['supported', 'key', 'weak-key', 'pages', 'same-pages'])
    assert.equal(r.findings[2]?.severity, 'warning')
    assert.equal(r.findings[2]?.args.min, 2048)
    const docs: Record<string, SupportFetch> = {}
    for (let i = 0; i < 9; i++)
      docs[`h${i}.example`] = { kind: 'document', document: { authority: `h${i + 1}.example` } }
    const long = await checkSupport('h0.example', fetcher(docs))
    assert.equal(long.verdict, 'broken')
    assert.equal(long.findings.at(-1)?.code, 'too-many-delegations')
  })
})
