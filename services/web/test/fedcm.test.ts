// SPDX-License-Identifier: MPL-2.0
// Unit tests of include.js's FedCM helpers (src/lib/fedcm.ts) that need no browser: when Persona
// counts as another site (FedCM is for those), and the address a token's certificate names.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { emailOfToken, sameSite } from '../src/lib/fedcm.ts'

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url')

describe('FedCM helpers', () => {
  it('the same host or a subdomain is the same site; anything else is another', () => {
    assert.equal(sameSite('127.0.0.1', '127.0.0.1'), true)
    assert.equal(sameSite('login.example.com', 'example.com'), true)
    assert.equal(sameSite('example.com', 'www.example.com'), true)
    assert.equal(sameSite('persona.test', 'rp.test'), false)
    assert.equal(sameSite('evilexample.com', 'example.com'), false)
  })

  it("reads the address from the token's certificate, and nothing from anything else", () => {
    const cert = `${b64({ alg: 'DS128' })}.${b64({ principal: { email: 'a@b.example' }, iss: 'persona.test' })}.sig`
    assert.equal(
      emailOfToken(`${cert}~${b64({ alg: 'DS128' })}.${b64({ aud: 'https://rp.test' })}.sig`),
      'a@b.example',
    )
    assert.equal(emailOfToken('not a token'), undefined)
    assert.equal(
      emailOfToken(`x.${b64({ principal: { 'unverified-email': 'a@b.example' } })}.y~z`),
      undefined,
    )
    assert.equal(emailOfToken('x.!!!.y~z'), undefined)
  })
})
