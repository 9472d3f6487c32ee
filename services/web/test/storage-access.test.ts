// SPDX-License-Identifier: MPL-2.0
// Unit tests of what the communication iframe can know under partitioned storage
// (src/lib/storage-access.ts) and of the dialog's hand-off to it (src/lib/site-handoff.ts), over
// stand-in documents, storage areas and frames: every way a browser can answer, and every message
// the iframe must ignore.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { handOff, readHandoff } from '../src/lib/site-handoff.ts'
import { FIRST_PARTY_KEY } from '../src/lib/storage.ts'
import { type AccessDocument, probeAccess, requestAccess } from '../src/lib/storage-access.ts'
import { memoryStore } from './memory-store.ts'

const area = memoryStore

const FIRST_PARTY = () => area({ [FIRST_PARTY_KEY]: '1', 'persona.sites': '{}' })

/** A document whose requestStorageAccess resolves with `handle` or rejects, and hasStorageAccess says `has`. */
function doc(opts: { has: boolean; grant: 'reject' | 'resolve'; handle?: unknown }): AccessDocument & {
  asked: unknown[]
} {
  const asked: unknown[] = []
  return {
    asked,
    hasStorageAccess: async () => opts.has,
    requestStorageAccess: async (types) => {
      asked.push(types)
      if (opts.grant === 'reject') throw new Error('NotAllowedError')
      return opts.handle
    },
  }
}

describe('storage access', () => {
  it('a browser without the API predates partitioning: cookies and records are first-party', async () => {
    const local = area()
    const a = await probeAccess({}, local)
    assert.deepEqual({ cookies: a.cookies, canAsk: a.canAsk }, { cookies: true, canAsk: false })
    assert.equal(a.records, local)
  })

  it('cookies blocked and never granted: nothing known, but a gesture can ask', async () => {
    const d = doc({ has: false, grant: 'reject' })
    const a = await probeAccess(d, FIRST_PARTY())
    assert.deepEqual(a, { cookies: false, records: undefined, canAsk: true })
    assert.deepEqual(d.asked, [{ cookies: true, localStorage: true }])
  })

  it("Chromium's handle carries the first-party area: it becomes the records", async () => {
    const firstParty = FIRST_PARTY()
    const a = await probeAccess(
      doc({ has: true, grant: 'resolve', handle: { localStorage: firstParty } }),
      area(),
    )
    assert.equal(a.cookies, true)
    assert.equal(a.records, firstParty)
  })

  it('a handle whose area no top-level Persona page wrote is not taken for first-party', async () => {
    // Seen in Chromium: a grant without a gesture can hand over an empty area.
    const a = await probeAccess(
      doc({ has: true, grant: 'resolve', handle: { localStorage: area() } }),
      area(),
    )
    assert.equal(a.cookies, true)
    assert.equal(a.records, undefined)
  })

  it('a grant without a handle (Firefox, Safari): our own area counts only if first-party', async () => {
    const partition = area({ 'persona.sites': '{"https://rp.example":"a@b.example"}' })
    const a = await probeAccess(doc({ has: true, grant: 'resolve' }), partition)
    assert.equal(a.cookies, true)
    assert.equal(a.records, undefined)
    const local = FIRST_PARTY()
    assert.equal((await probeAccess(doc({ has: true, grant: 'resolve' }), local)).records, local)
  })

  it('cookies allowed but the request refused: cookies yes, records only if first-party', async () => {
    const a = await probeAccess(doc({ has: true, grant: 'reject' }), area())
    assert.deepEqual(a, { cookies: true, records: undefined, canAsk: true })
  })

  it('requestAccess is undefined when refused, the access when granted', async () => {
    assert.equal(await requestAccess(doc({ has: false, grant: 'reject' }), area()), undefined)
    const firstParty = FIRST_PARTY()
    const got = await requestAccess(
      doc({ has: false, grant: 'resolve', handle: { localStorage: firstParty } }),
      area(),
    )
    assert.equal(got?.cookies, true)
    assert.equal(got?.records, firstParty)
    assert.equal(await requestAccess({}, area()), undefined)
  })
})

describe('the dialog hands the site record to the iframe', () => {
  const PERSONA = 'https://persona.example'
  const SITE = 'https://rp.example'
  const CERT = 'a.b.c'
  const KEYS = { publicJwk: { kty: 'RSA' }, privateJwk: { kty: 'RSA', d: 'x' } }

  it('posts to every frame of the site, addressed to Persona only', () => {
    const posted: { message: unknown; target: string }[] = []
    const frame = { postMessage: (message: unknown, target: string) => posted.push({ message, target }) }
    const gone = {
      postMessage: () => {
        throw new Error('frame detached')
      },
    }
    handOff({ frames: [frame, gone, frame] }, PERSONA, { origin: SITE, email: 'a@b.example' })
    assert.equal(posted.length, 2)
    for (const p of posted) assert.equal(p.target, PERSONA)
  })

  it('the iframe takes a record from Persona for its own site, with key and certificate', () => {
    const data = {
      persona: 'site_record',
      origin: SITE,
      email: 'a@b.example',
      info: { type: 'secondary', cert: CERT, keys: KEYS },
    }
    assert.deepEqual(readHandoff({ origin: PERSONA, data }, PERSONA, SITE), {
      origin: SITE,
      email: 'a@b.example',
      info: { type: 'secondary', cert: CERT, keys: KEYS },
    })
  })

  it('ignores a record from another origin, for another site, or of the wrong shape', () => {
    const good = { persona: 'site_record', origin: SITE, email: 'a@b.example' }
    assert.equal(readHandoff({ origin: SITE, data: good }, PERSONA, SITE), undefined, 'the site itself')
    assert.equal(readHandoff({ origin: PERSONA, data: good }, PERSONA, 'https://other.example'), undefined)
    assert.equal(
      readHandoff({ origin: PERSONA, data: { ...good, persona: 'dialog' } }, PERSONA, SITE),
      undefined,
    )
    assert.equal(readHandoff({ origin: PERSONA, data: { ...good, email: 7 } }, PERSONA, SITE), undefined)
    assert.equal(readHandoff({ origin: PERSONA, data: JSON.stringify(good) }, PERSONA, SITE), undefined)
  })

  it('keeps the address but drops a certificate or keys it cannot use', () => {
    const data = {
      persona: 'site_record',
      origin: SITE,
      email: 'a@b.example',
      info: { type: 'primary', cert: 'nope', keys: KEYS },
    }
    assert.deepEqual(readHandoff({ origin: PERSONA, data }, PERSONA, SITE), {
      origin: SITE,
      email: 'a@b.example',
      info: { type: 'primary' },
    })
    const bad = { ...data, info: { type: 'tertiary' } }
    assert.deepEqual(readHandoff({ origin: PERSONA, data: bad }, PERSONA, SITE), {
      origin: SITE,
      email: 'a@b.example',
    })
  })
})
