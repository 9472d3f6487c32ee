// SPDX-License-Identifier: MPL-2.0
// One client for the proxy's support-document contract, with one cache, used by the reader and the
// verifier (issue 15 item 8, issue 16 step 3): repeated and concurrent wsapi lookups of a primary
// domain cost the proxy one fetch, as /verify's do; the contract's names live in one file.
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { after, before, describe, it } from 'node:test'
import { PRIMARY_DOMAIN, SKIP, type Stack, startStack } from '../accounts/stack.ts'

const ROOT = new URL('../../', import.meta.url).pathname
const wellknownFetches: string[] = []
const proxyLog = new Writable({
  write(chunk, _e, cb) {
    for (const l of String(chunk).split('\n').filter(Boolean)) {
      const line = JSON.parse(l) as { event?: string; path?: string }
      if (line.event === 'request.summary' && line.path === '/wellknown') wellknownFetches.push(l)
    }
    cb()
  },
})

describe('the shared support-document cache', { skip: SKIP }, () => {
  let stack: Stack
  before(async () => {
    stack = await startStack({ proxyDeps: { logger: { level: 'info', stream: proxyLog } } })
  })
  after(() => stack?.stop())

  it('the reader asks the proxy once for a burst and for repeats of one domain', async () => {
    const b = stack.browser()
    const from = wellknownFetches.length
    const burst = await Promise.all(
      Array.from({ length: 10 }, () => b.get('discovery', { domain: PRIMARY_DOMAIN })),
    )
    for (const r of burst) assert.equal(r.status, 200)
    await b.get('address_info', { email: `pat@${PRIMARY_DOMAIN}` })
    await b.get('discovery', { domain: PRIMARY_DOMAIN })
    assert.equal(wellknownFetches.length - from, 1, wellknownFetches.slice(from).join('\n'))
  })

  it('the reader and the verifier use the one client; the contract is named in one file', () => {
    const sources = (dir: string): string[] =>
      readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.ts'))
        .map((f) => join(ROOT, dir, f))
    for (const svc of ['reader', 'verifier']) {
      const text = sources(`services/${svc}/src`)
        .map((f) => readFileSync(f, 'utf8'))
        .join('\n')
      assert.match(text, /from '@persona\/proxy\/client'/, svc)
      assert.doesNotMatch(text, /InternalClient\('proxy'|new LRUCache<string, \w*(Lookup|Document)/, svc)
    }
    const code = [...sources('services'), ...sources('scripts')].filter(
      (f) => !f.includes('/node_modules/') && !f.includes('/test/'),
    )
    const naming = code.filter((f) =>
      /['"]x-idp-origin['"]|['"`]\/wellknown['"?]/.test(readFileSync(f, 'utf8')),
    )
    assert.deepEqual(
      naming.map((f) => f.slice(ROOT.length)),
      ['services/proxy/src/contract.ts'],
    )
  })
})
