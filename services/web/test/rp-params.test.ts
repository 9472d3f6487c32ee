// SPDX-License-Identifier: MPL-2.0
// Unit tests of the dialog's check of what a relying site passes to request(): only well-formed
// colours, URLs on http(s), Terms and Privacy only together, returnTo only on the site's own origin.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { validateRpParams } from '../src/dialog/rp-params.ts'

const ORIGIN = 'https://rp.example'

describe('validateRpParams', () => {
  it('keeps good values and normalises the colour', () => {
    const p = validateRpParams(
      {
        siteName: 'Example',
        backgroundColor: 'abc',
        termsOfService: '/tos',
        privacyPolicy: 'https://rp.example/privacy',
        returnTo: '/after',
        email: 'a@b.example',
      },
      ORIGIN,
    )
    assert.deepEqual(p, {
      siteName: 'Example',
      backgroundColor: '#abc',
      termsOfService: 'https://rp.example/tos',
      privacyPolicy: 'https://rp.example/privacy',
      returnTo: 'https://rp.example/after',
      email: 'a@b.example',
    })
  })

  it('drops scripts, bad colours, lone legal links and foreign returnTo', () => {
    const p = validateRpParams(
      {
        siteName: 42,
        backgroundColor: 'red;background:url(x)',
        termsOfService: 'javascript:alert(1)',
        privacyPolicy: '/privacy',
        returnTo: 'https://evil.example/',
        email: 'not an email',
      },
      ORIGIN,
    )
    assert.deepEqual(p, {})
  })

  it('takes an https logo, a language and the experimental options', () => {
    const p = validateRpParams(
      {
        siteLogo: '/logo.png',
        lang: 'pt-BR',
        experimental_forceIssuer: 'Marketplace.Example',
        experimental_allowUnverified: true,
        experimental_forceAuthentication: 'true',
      },
      ORIGIN,
    )
    assert.deepEqual(p, {
      siteLogo: 'https://rp.example/logo.png',
      lang: 'pt-BR',
      forceIssuer: 'marketplace.example',
      allowUnverified: true,
      forceAuthentication: true,
    })
  })

  it('refuses a logo that is not https, a malformed language or issuer', () => {
    const p = validateRpParams(
      {
        siteLogo: 'http://rp.example/logo.png',
        lang: 'de"><script>',
        experimental_forceIssuer: 'https://issuer.example/',
        experimental_allowUnverified: 'yes',
      },
      ORIGIN,
    )
    assert.deepEqual(p, {})
    // A path on a site served over plain http would be an http logo.
    assert.deepEqual(validateRpParams({ siteLogo: '/logo.png' }, 'http://rp.example'), {})
    assert.deepEqual(validateRpParams({ siteLogo: 'data:image/png;base64,AAAA' }, ORIGIN), {})
  })

  it('accepts anything that is not an object as no parameters', () => {
    assert.deepEqual(validateRpParams(null, ORIGIN), {})
    assert.deepEqual(validateRpParams('x', ORIGIN), {})
  })
})
