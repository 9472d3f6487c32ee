// SPDX-License-Identifier: MPL-2.0
// Unit tests of the postMessage channels without a browser: the jschannel-style RPC channel
// (src/lib/channel.ts) over a stand-in window and message host, and the dialog's message and
// redirect checks (src/lib/dialog-messages.ts). A message from the wrong window or origin, or of the
// wrong shape, must be ignored; replies go only to the peer's origin.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { buildChannel, type MessageHost, type PeerWindow } from '../src/lib/channel.ts'
import {
  decodeRedirectRequest,
  decodeRedirectResult,
  encodeRedirectRequest,
  readDialogMessage,
  redirectReturnUrl,
} from '../src/lib/dialog-messages.ts'

const SITE = 'https://rp.example'
const PERSONA = 'https://login.persona.example'
const NONCE = 'abcdefghijklmnopqrstuvwx'

/** A peer window that records what is posted to it. */
class FakePeer implements PeerWindow {
  readonly sent: { data: unknown; target: string }[] = []
  postMessage(message: string, targetOrigin: string): void {
    this.sent.push({ data: JSON.parse(message), target: targetOrigin })
  }
  /** What arrived with `method` (parsed), in order. */
  messages(method?: string): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = []
    for (const s of this.sent) {
      if (typeof s.data !== 'object' || s.data === null) continue
      const m = Object.fromEntries(Object.entries(s.data))
      if (method === undefined || m.method === method) out.push(m)
    }
    return out
  }
}

/** This window's message events, delivered by hand. */
class FakeHost implements MessageHost {
  private readonly listeners = new Set<(ev: MessageEvent) => void>()
  addEventListener(_type: 'message', l: (ev: MessageEvent) => void): void {
    this.listeners.add(l)
  }
  removeEventListener(_type: 'message', l: (ev: MessageEvent) => void): void {
    this.listeners.delete(l)
  }
  get count(): number {
    return this.listeners.size
  }
  deliver(source: unknown, origin: string, data: unknown): void {
    const ev = Object.defineProperty(new MessageEvent('message', { data, origin }), 'source', {
      value: source,
    })
    for (const l of this.listeners) l(ev)
  }
}

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0))
const wire = (m: object): string => JSON.stringify(m)

async function readyChannel(origin: string) {
  const peer = new FakePeer()
  const host = new FakeHost()
  const chan = buildChannel({ window: peer, host, origin, scope: 's' })
  await tick() // the ping goes out
  return { peer, host, chan }
}

describe('channel (jschannel wire format)', () => {
  it('answers a call from the right window and origin, to that origin only', async () => {
    const { peer, host, chan } = await readyChannel(PERSONA)
    assert.deepEqual(peer.messages('s::__ready'), [{ method: 's::__ready', params: 'ping' }])
    assert.equal(peer.sent[0]?.target, PERSONA)
    chan.bind('add', (p) => (Array.isArray(p) ? p.reduce((a: number, b: number) => a + b, 0) : 0))
    host.deliver(peer, PERSONA, wire({ method: 's::__ready', params: 'pong' }))
    host.deliver(peer, PERSONA, wire({ id: 7, method: 's::add', params: [2, 3] }))
    await tick()
    const reply = peer.sent.at(-1)
    assert.deepEqual(reply, { data: { id: 7, result: 5 }, target: PERSONA })
    chan.destroy()
    assert.equal(host.count, 0)
  })

  it('ignores messages from another window, another origin, another scope or not JSON', async () => {
    const { peer, host, chan } = await readyChannel(PERSONA)
    const seen: unknown[] = []
    chan.bind('login', (p) => {
      seen.push(p)
    })
    host.deliver(peer, PERSONA, wire({ method: 's::__ready', params: 'pong' }))
    const other = new FakePeer()
    host.deliver(other, PERSONA, wire({ method: 's::login', params: 'from another window' }))
    host.deliver(peer, 'https://evil.example', wire({ method: 's::login', params: 'from another origin' }))
    host.deliver(peer, PERSONA, wire({ method: 'other::login', params: 'another scope' }))
    host.deliver(peer, PERSONA, '{not json')
    host.deliver(peer, PERSONA, { method: 's::login', params: 'an object, not the wire string' })
    host.deliver(peer, PERSONA, wire({ method: 's::login', params: 'ok' }))
    await tick()
    assert.deepEqual(seen, ['ok'])
    chan.destroy()
  })

  it('holds messages until the peer is ready, and a reply to an unknown id does nothing', async () => {
    const { peer, host, chan } = await readyChannel(PERSONA)
    chan.notify('hello', 1)
    assert.equal(peer.messages('s::hello').length, 0)
    // A forged ready from another origin does not release the queue.
    host.deliver(peer, 'https://evil.example', wire({ method: 's::__ready', params: 'ping' }))
    assert.equal(peer.messages('s::hello').length, 0)
    host.deliver(peer, PERSONA, wire({ method: 's::__ready', params: 'ping' }))
    assert.deepEqual(peer.messages('s::hello'), [{ method: 's::hello', params: 1 }])
    assert.deepEqual(peer.messages('s::__ready').at(-1), { method: 's::__ready', params: 'pong' })
    const answer = chan.call('who')
    const call = peer.messages('s::who')[0]
    assert.equal(typeof call?.id, 'number')
    host.deliver(peer, PERSONA, wire({ id: -1, result: 'stray' }))
    host.deliver(peer, 'https://evil.example', wire({ id: call?.id, result: 'forged' }))
    host.deliver(peer, PERSONA, wire({ id: call?.id, result: 'me' }))
    assert.equal(await answer, 'me')
    chan.destroy()
  })

  it("an any-origin channel keeps to the first origin that speaks, and never posts data to '*'", async () => {
    const { peer, host, chan } = await readyChannel('*')
    assert.equal(chan.origin(), undefined)
    chan.notify('secret', 'x')
    host.deliver(peer, SITE, wire({ method: 's::__ready', params: 'ping' }))
    assert.equal(chan.origin(), SITE)
    const seen: unknown[] = []
    chan.bind('loggedInUser', (p, origin) => {
      seen.push([p, origin])
    })
    host.deliver(peer, 'https://other.example', wire({ method: 's::loggedInUser', params: 'mallory' }))
    host.deliver(peer, SITE, wire({ method: 's::loggedInUser', params: 'alice' }))
    assert.deepEqual(seen, [['alice', SITE]])
    for (const s of peer.sent) {
      const isPing = JSON.stringify(s.data) === wire({ method: 's::__ready', params: 'ping' })
      if (!isPing) assert.equal(s.target, SITE, `posted ${JSON.stringify(s.data)} to ${s.target}`)
    }
    assert.ok(peer.messages('s::secret').length === 1)
    chan.destroy()
  })

  it('reports a missing handler and a throwing one as errors to the caller', async () => {
    const { peer, host, chan } = await readyChannel(PERSONA)
    host.deliver(peer, PERSONA, wire({ method: 's::__ready', params: 'pong' }))
    chan.bind('boom', () => {
      throw new Error('bad')
    })
    host.deliver(peer, PERSONA, wire({ id: 1, method: 's::nothing' }))
    host.deliver(peer, PERSONA, wire({ id: 2, method: 's::boom' }))
    await tick()
    const replies = peer.sent.map((s) => s.data)
    assert.deepEqual(replies.at(-2), { id: 1, error: 'method_not_found', message: 'no handler for nothing' })
    assert.deepEqual(replies.at(-1), { id: 2, error: 'runtime_error', message: 'bad' })
    chan.destroy()
  })
})

describe('dialog messages', () => {
  const popup = { name: 'popup' }
  const result = { assertion: 'c.e.r~a.s.s', email: 'a@rp.example' }

  it('accepts only the expected window and origin, and only known shapes', () => {
    const ok = { source: popup, origin: PERSONA, data: { persona: 'dialog', type: 'response', result } }
    assert.deepEqual(readDialogMessage(ok, { source: popup, origin: PERSONA }), { type: 'response', result })
    assert.equal(readDialogMessage({ ...ok, source: {} }, { source: popup, origin: PERSONA }), undefined)
    assert.equal(readDialogMessage({ ...ok, origin: SITE }, { source: popup, origin: PERSONA }), undefined)
    assert.equal(readDialogMessage({ ...ok, source: null }, { source: null }), undefined)
    const bad = [
      'string',
      null,
      [1],
      { persona: 'other', type: 'response', result },
      { persona: 'dialog', type: 'nope' },
      { type: 'ready' },
    ]
    for (const data of bad) {
      assert.equal(readDialogMessage({ ...ok, data }, { source: popup, origin: PERSONA }), undefined)
    }
  })

  it('a response without a well-formed result is a cancel; a request without params has none', () => {
    const expect = { source: popup, origin: PERSONA }
    for (const r of [null, {}, { assertion: 1, email: 'a@b' }, { assertion: 'x', email: '' }]) {
      const m = readDialogMessage(
        { source: popup, origin: PERSONA, data: { persona: 'dialog', type: 'response', result: r } },
        expect,
      )
      assert.deepEqual(m, { type: 'response', result: null })
    }
    const req = readDialogMessage(
      { source: popup, origin: SITE, data: { persona: 'dialog', type: 'request', params: 'x' } },
      { source: popup },
    )
    assert.deepEqual(req, { type: 'request', params: {} })
  })

  it('a redirect request round-trips, and needs a real origin that matches the referrer', () => {
    const hash = encodeRedirectRequest({ origin: SITE, nonce: NONCE, params: { siteName: 'S' } })
    assert.deepEqual(decodeRedirectRequest(hash, `${SITE}/`), {
      origin: SITE,
      nonce: NONCE,
      params: { siteName: 'S' },
    })
    assert.ok(decodeRedirectRequest(hash, ''), 'no referrer: allowed (the origin is shown to the user)')
    assert.equal(decodeRedirectRequest(hash, 'https://evil.example/page'), undefined)
    for (const origin of ['javascript:alert(1)', `${SITE}/path`, 'https://rp.example:443', 'nope', 5]) {
      const h = encodeRedirectRequest({ origin: String(origin), nonce: NONCE, params: {} })
      assert.equal(decodeRedirectRequest(h, ''), undefined, `origin ${origin}`)
    }
    for (const nonce of ['short', 'x'.repeat(65), 'has spaces in it ok?!']) {
      assert.equal(
        decodeRedirectRequest(encodeRedirectRequest({ origin: SITE, nonce, params: {} }), ''),
        undefined,
      )
    }
    assert.equal(decodeRedirectRequest('#persona_request=%E0%A4%A', ''), undefined)
    assert.equal(decodeRedirectRequest('#other', ''), undefined)
  })

  it('the result goes back only to the site, and counts only with the nonce the site kept', () => {
    const back = new URL(redirectReturnUrl('/after?x=1', SITE, NONCE, result))
    assert.equal(back.origin, SITE)
    assert.equal(back.pathname + back.search, '/after?x=1')
    assert.equal(new URL(redirectReturnUrl('https://evil.example/', SITE, NONCE, result)).origin, SITE)
    assert.equal(new URL(redirectReturnUrl('//evil.example/x', SITE, NONCE, result)).origin, SITE)
    assert.deepEqual(decodeRedirectResult(back.hash, NONCE), { result })
    assert.equal(decodeRedirectResult(back.hash, 'another-nonce-0000000000'), undefined)
    assert.equal(decodeRedirectResult(back.hash, null), undefined)
    const cancelled = new URL(redirectReturnUrl(undefined, SITE, NONCE, null))
    assert.equal(cancelled.pathname, '/')
    assert.deepEqual(decodeRedirectResult(cancelled.hash, NONCE), { result: null })
  })
})
