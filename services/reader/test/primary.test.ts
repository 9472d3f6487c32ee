// SPDX-License-Identifier: MPL-2.0
// discover(): which domains are primaries, following delegation, with the support-document lookups
// answered by an in-memory table (a unit test of this one module; the proxy itself is tested apart).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { generateKeyPair } from '@persona/browserid'
import type { SupportLookup } from '@persona/proxy/client'
import { discover } from '../src/primary.ts'

const OWN = 'login.example'

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
  const { proxy, asked } = await lookups({ 'corp.example': { authority: OWN } })
  const d = await discover(proxy, 'corp.example', { ownDomain: OWN })
  assert.equal(d.kind, 'secondary')
  assert.deepEqual(asked, ['corp.example'])
})

test('our own domain is ours', async () => {
  const { proxy, asked } = await lookups({})
  assert.equal((await discover(proxy, 'LOGIN.example', { ownDomain: OWN })).kind, 'secondary')
  assert.deepEqual(asked, [])
})

test('delegation to another IdP gives that IdP, with its pages at the origin its document came from', async () => {
  const { publicKey } = await generateKeyPair('RS256')
  const { proxy } = await lookups({
    'corp.example': { authority: 'idp.example' },
    'idp.example': { 'public-key': publicKey.toJSON(), authentication: '/auth', provisioning: '/prov' },
  })
  const d = await discover(proxy, 'corp.example', { ownDomain: OWN })
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
  assert.deepEqual(await discover(proxy, 'a.example', { ownDomain: OWN }), {
    kind: 'secondary',
    disabled: false,
    reason: 'delegation loop',
  })
  assert.deepEqual(await discover(proxy, 'off.example', { ownDomain: OWN }), {
    kind: 'secondary',
    disabled: true,
  })
  assert.equal((await discover(proxy, 'none.example', { ownDomain: OWN })).kind, 'secondary')
})
