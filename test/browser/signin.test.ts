// SPDX-License-Identifier: MPL-2.0
// Persona's sign-in flows in Chromium, the relying site and Persona on different sites (cross-site.ts):
// one stack for every run; the flows (flows.ts) with third-party cookies allowed and with them blocked,
// FedCM off as in browsers without it (the popup and the communication iframe); and the FedCM flows
// (fedcm-flows.ts) with third-party cookies blocked. The three runs use their own browsers and
// addresses on the one stack; they run one after the other, as two or three Chromiums at once on a
// two-core machine made every step a race against the clock.
import { existsSync } from 'node:fs'
import { after, before, describe } from 'node:test'
import { CHROMIUM, type CrossSite, startCrossSite } from './cross-site.ts'
import { fedcmFlows } from './fedcm-flows.ts'
import { signinFlows } from './flows.ts'

const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed`

describe('sign-in flows in Chromium, relying site and Persona on different sites', { skip }, () => {
  let env: CrossSite | undefined
  const site = (): CrossSite => {
    if (!env) throw new Error('the stack did not start')
    return env
  }

  before(
    async () => {
      env = await startCrossSite({
        env: {
          // Every dialog is sampled for interaction data (the default rate, 0, sends none).
          KPI_SAMPLE_RATE: '1',
          // bcrypt's cost and the per-address rate limits are other tests' subjects; here three runs
          // share one address (127.0.0.1) and one stack.
          BCRYPT_ROUNDS: '4',
          RATE_SIGNIN_PER_MIN: '600',
          RATE_EMAIL_PER_HOUR: '600',
        },
      })
    },
    { timeout: 300_000 },
  )
  after(async () => {
    await env?.stop()
  })

  describe('third-party cookies allowed', () => {
    signinFlows(site, { thirdPartyCookies: 'allowed', fedcm: false })
  })
  describe('third-party cookies blocked', () => {
    signinFlows(site, { thirdPartyCookies: 'blocked', fedcm: false })
  })
  describe('FedCM, third-party cookies blocked', () => {
    fedcmFlows(site, { thirdPartyCookies: 'blocked', fedcm: true })
  })
})
