// SPDX-License-Identifier: MPL-2.0
// Support documents (/.well-known/browserid), audience normalisation and email rules.

import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  BrowserIdError,
  compareAudiences,
  domainFromEmail,
  generateKeyPair,
  isValidEmail,
  normalizeAudience,
  parseSupportDocument,
  parseSupportDocumentResult,
  type SupportDocumentProblem,
} from '../src/index.ts'

const key = (await generateKeyPair('RS64')).publicKey

describe('support documents', () => {
  test('a supporting document parses, from text or value, and re-parses', () => {
    const raw = { 'public-key': key.toJSON(), authentication: '/sign_in', provisioning: '/provision' }
    const doc = parseSupportDocument(JSON.stringify(raw))
    assert.deepEqual(doc, {
      type: 'supported',
      publicKey: key.toJSON(),
      authentication: '/sign_in',
      provisioning: '/provision',
    })
    assert.deepEqual(parseSupportDocument(raw), doc)
    assert.deepEqual(parseSupportDocument(doc), doc)
  })

  test('delegation and disabled documents', () => {
    assert.deepEqual(parseSupportDocument({ authority: 'Auth.Example.test' }), {
      type: 'delegation',
      authority: 'auth.example.test',
    })
    assert.deepEqual(parseSupportDocument({ disabled: true }), { type: 'disabled' })
    // Persona: disabled wins over everything else, then authority.
    assert.deepEqual(parseSupportDocument({ disabled: true, authority: 'x.test' }), { type: 'disabled' })
    assert.equal(parseSupportDocument({ authority: 'x.test', 'public-key': key.toJSON() }).type, 'delegation')
  })

  const bad: [string, unknown, RegExp, SupportDocumentProblem][] = [
    ['invalid json', '{', /invalid json/, 'not-json'],
    ['not an object', '[1]', /json object/, 'not-object'],
    ['a number', 5, /json object/, 'not-object'],
    ['authority not a hostname', { authority: 'https://x.test/' }, /malformed authority/, 'bad-authority'],
    ['authority not a string', { authority: 7 }, /malformed authority/, 'bad-authority'],
    [
      'missing authentication',
      { 'public-key': key.toJSON(), provisioning: '/p' },
      /'authentication'/,
      'missing-authentication',
    ],
    [
      'missing provisioning',
      { 'public-key': key.toJSON(), authentication: '/a' },
      /'provisioning'/,
      'missing-provisioning',
    ],
    [
      'path not absolute',
      { 'public-key': key.toJSON(), authentication: 'http://evil/', provisioning: '/p' },
      /malformed 'authentication'/,
      'bad-authentication-path',
    ],
    ['missing key', { authentication: '/a', provisioning: '/p' }, /'public-key'/, 'missing-public-key'],
    [
      'bad key',
      { 'public-key': { algorithm: 'RS', n: '1', e: '3' }, authentication: '/a', provisioning: '/p' },
      /mal-formed public key/,
      'bad-public-key',
    ],
    ['too large', `{"x":"${'a'.repeat(70_000)}"}`, /too large/, 'too-large'],
  ]
  for (const [name, input, reason, problem] of bad) {
    test(`refused: ${name}`, () => {
      const r = parseSupportDocumentResult(input)
      assert.equal(r.ok, false)
      assert.ok(!r.ok)
      assert.equal(r.code, 'ERR_BAD_SUPPORT_DOCUMENT')
      assert.match(r.reason, reason)
      assert.equal(r.problem, problem)
      assert.throws(
        () => parseSupportDocument(input),
        (e: unknown) => e instanceof BrowserIdError && e.code === 'ERR_BAD_SUPPORT_DOCUMENT',
      )
    })
  }
})

describe('audiences', () => {
  test('normalizeAudience', () => {
    assert.equal(normalizeAudience('https://RP.test'), 'https://rp.test:443')
    assert.equal(normalizeAudience('https://rp.test:443/path?q'), 'https://rp.test:443')
    assert.equal(normalizeAudience('http://rp.test'), 'http://rp.test:80')
    assert.equal(normalizeAudience('http://rp.test:8080'), 'http://rp.test:8080')
    assert.equal(normalizeAudience('app://game.test'), 'app://game.test:80')
    assert.equal(normalizeAudience('rp.test'), 'rp.test')
    assert.equal(normalizeAudience('rp.test:0443'), 'rp.test:443')
    assert.equal(normalizeAudience('ftp://rp.test'), null)
    assert.equal(normalizeAudience('https://user:pw@rp.test'), null)
    assert.equal(normalizeAudience('rp.test:99999'), null)
    assert.equal(normalizeAudience(''), null)
    assert.equal(normalizeAudience(7), null)
  })

  test('compareAudiences compares only what the site gave', () => {
    assert.equal(compareAudiences('https://rp.test:8443', 'rp.test'), null)
    assert.equal(compareAudiences('https://rp.test:8443', 'rp.test:8443'), null)
    assert.equal(compareAudiences('https://rp.test', 'http://rp.test:443'), 'scheme mismatch')
  })
})

describe('email addresses', () => {
  const good = [
    'a@b.test',
    'first.last+tag@sub.example.co',
    "o'neil@x.test",
    'a_b@[192.168.0.1]',
    'x@a-b.test',
  ]
  const badOnes = [
    '',
    'a',
    'a@b',
    'a@.test',
    'a@b..test',
    '.a@b.test',
    'a.@b.test',
    'a b@c.test',
    'a@-b.test',
    'a@b-.test',
    'a@[300.1.1.1]',
    `${'a'.repeat(250)}@b.test`,
  ]
  for (const e of good) test(`valid: ${e}`, () => assert.ok(isValidEmail(e)))
  for (const e of badOnes) test(`invalid: ${e.slice(0, 30)}`, () => assert.ok(!isValidEmail(e)))
  test('domainFromEmail lower-cases', () => {
    assert.equal(domainFromEmail('Bob@IDP.Test'), 'idp.test')
    assert.equal(domainFromEmail('nope'), null)
  })
})
