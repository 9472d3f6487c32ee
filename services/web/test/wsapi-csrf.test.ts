// SPDX-License-Identifier: MPL-2.0
// Unit test of the browser's wsapi client (src/lib/wsapi.ts) across a CSRF token rotation: the token an
// answer carries in x-csrf-token (a sign-in) replaces the cached one; a POST refused for a token that
// changed under the page (a sign-in in another tab) reads the current one and is sent once more.
// The server is a stand-in `fetch` holding one session's token.
import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
import { Wsapi } from '../src/lib/wsapi.ts'

const realFetch = globalThis.fetch

/** One session on a stand-in server: its token, what each POST sent, and how to rotate the token. */
function server() {
  const state = { token: 'first', sent: [] as string[], contexts: 0 }
  const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json', ...headers },
    })
  globalThis.fetch = async (input, init) => {
    const url = String(input)
    if (url.endsWith('/wsapi/session_context')) {
      state.contexts++
      return json(200, { csrf_token: state.token, server_time: Date.now(), authenticated: false })
    }
    const body = JSON.parse(String(init?.body)) as { csrf: string }
    state.sent.push(body.csrf)
    if (body.csrf !== state.token) return json(403, { success: false, reason: 'CSRF violation' })
    if (url.endsWith('/wsapi/authenticate_user')) {
      state.token = 'after-sign-in'
      return json(
        200,
        { success: true, userid: 1, suppress_ask_if_users_computer: false },
        {
          'x-csrf-token': state.token,
        },
      )
    }
    return json(200, { success: true })
  }
  return state
}

describe('wsapi client and CSRF token rotation', () => {
  afterEach(() => {
    globalThis.fetch = realFetch
  })

  it('takes the new token from the answer of a sign-in', async () => {
    const s = server()
    const api = new Wsapi('https://persona.test')
    await api.post('authenticate_user', { email: 'a@b.co', pass: 'a fine password', ephemeral: false })
    await api.postOk('prolong_session')
    assert.deepEqual(s.sent, ['first', 'after-sign-in'])
    assert.equal(s.contexts, 1, 'no second session_context')
  })

  it('a token changed in another tab: reads the current one and sends once more', async () => {
    const s = server()
    const api = new Wsapi('https://persona.test')
    await api.sessionContext()
    s.token = 'rotated-elsewhere'
    await api.postOk('prolong_session')
    assert.deepEqual(s.sent, ['first', 'rotated-elsewhere'])
    s.token = 'never-matches'
    const orig = globalThis.fetch
    globalThis.fetch = async (input, init) => {
      s.token = `${s.token}+` // rotated again before every answer: the retry fails too
      return orig(input, init)
    }
    await assert.rejects(api.postOk('prolong_session'), /CSRF violation/)
    assert.equal(s.sent.length, 4, 'one retry, not a loop')
  })
})
