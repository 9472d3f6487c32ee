// SPDX-License-Identifier: MPL-2.0
// discover(): which domains are primaries, following delegation, with the support-document lookups
// answered by an in-memory table (a unit test of this one module; the proxy itself is tested apart).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { generateKeyPair } from '@persona/browserid'
import type { SupportLookup } from '@persona/proxy/client'
import { discover } from '../src/primary.ts'

const OWN_DOMAIN = 'login.example'
const OWN = {
  domain: OWN_DOMAIN,
  supportDocument: {
    'public-key': (await generateKeyPair('RS256')).publicKey.toJSON(),
    authentication: '/sign_in',
    provisioning: '/provision',
  },
}

async function lookups(table: Record<string, Record<string, unknown> | null>) {
  const asked: string[] = []
  const proxy = {
    supportDocument: async (domain: string): Promise<SupportLookup> => {
      asked.push(domain)
      const doc = table[domain]
      if (doc === undefined || doc === null) return { kind: 'none', reason: 'no document' }
      return { kind: 'document', document: doc, origin: `https://${domain}` }
    },
  }
  return { proxy, asked }
}

test('a domain that delegates to us is ours, without fetching our own document', async () => {
  const { proxy, asked } = await lookups({ 'corp.example': { authority: OWN_DOMAIN } })
  const d = await discover(proxy, 'corp.example', { own: OWN })
  assert.equal(d.kind, 'secondary')
  assert.deepEqual(asked, ['corp.example'])
})

test('our own domain is ours', async () => {
  const { proxy, asked } = await lookups({})
  assert.equal((await discover(proxy, 'LOGIN.example', { own: OWN })).kind, 'secondary')
  assert.deepEqual(asked, [])
})

test('delegation to another IdP gives that IdP, with its pages at the origin its document came from', async () => {
  const { publicKey } = await generateKeyPair('RS256')
  const { proxy } = await lookups({
    'corp.example': { authority: 'idp.example' },
    'idp.example': { 'public-key': publicKey.toJSON(), authentication: '/auth', provisioning: '/prov' },
  })
  const d = await discover(proxy, 'corp.example', { own: OWN })
  assert.equal(d.kind, 'primary')
  if (d.kind === 'primary') {
    assert.equal(d.authority, 'idp.example')
    assert.equal(d.auth, 'https://idp.example/auth')
    assert.equal(d.prov, 'https://idp.example/prov')
  }
})

test('loops, disabled domains and missing documents are secondary', async () => {
  const { proxy } = await lookups({
    'a.example': { authority: 'b.example' },
    'b.example': { authority: 'a.example' },
    'off.example': { disabled: true },
  })
  const loop = await discover(proxy, 'a.example', { own: OWN })
  assert.equal(loop.kind, 'secondary')
  assert.match(String(loop.kind === 'secondary' ? loop.reason : ''), /circular reference/)
  assert.deepEqual(await discover(proxy, 'off.example', { own: OWN }), {
    kind: 'secondary',
    disabled: true,
  })
  assert.equal((await discover(proxy, 'none.example', { own: OWN })).kind, 'secondary')
})

test("a primary's pages live where its document came from; a failed fetch or a long chain is secondary", async () => {
  const { publicKey } = await generateKeyPair('RS256')
  const doc = { 'public-key': publicKey.toJSON(), authentication: '/in', provisioning: '/prov' }
  const proxy = {
    supportDocument: async (domain: string): Promise<SupportLookup> => {
      if (domain === 'shimmed.example')
        return { kind: 'document', document: doc, origin: 'http://127.0.0.1:9' }
      if (domain === 'down.example') return { kind: 'error', reason: 'could not reach down.example' }
      const hop = /^h(\d+)\.example$/.exec(domain)
      if (hop !== null)
        return { kind: 'document', document: { authority: `h${Number(hop[1]) + 1}.example` }, origin: '' }
      return { kind: 'none', reason: 'no document' }
    },
  }
  const d = await discover(proxy, 'shimmed.example', { own: OWN })
  assert.deepEqual(d.kind === 'primary' ? [d.auth, d.prov] : d, [
    'http://127.0.0.1:9/in',
    'http://127.0.0.1:9/prov',
  ])
  const down = await discover(proxy, 'down.example', { own: OWN })
  assert.equal(down.kind, 'secondary')
  assert.match(String(down.kind === 'secondary' ? down.reason : ''), /could not reach/)
  const long = await discover(proxy, 'h0.example', { own: OWN })
  assert.match(String(long.kind === 'secondary' ? long.reason : ''), /too many hops/)
})
