// SPDX-License-Identifier: MPL-2.0
// The internal API version between reader and writer/certifier: a caller of another version is refused
// by the service (409 ERR_API_VERSION naming both versions, the handler never runs), and a caller that
// reaches a service of another version refuses its answer (502 naming both), so an old reader and a new
// writer never act on each other's calls.
import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import {
  createService,
  INTERNAL_API_HEADER,
  INTERNAL_API_VERSION,
  InternalClient,
  isPersonaError,
  requireInternalToken,
} from '../src/index.ts'

const TOKEN = 'internal-token-for-tests-0123456789'

async function serve(apiVersion: number) {
  let handled = 0
  const app = createService({ name: 'writer', logger: false })
  requireInternalToken(app, TOKEN, 'reader', apiVersion)
  app.post('/wsapi/stage_user', async () => {
    handled++
    return { success: true }
  })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as AddressInfo
  return { app, url: `http://127.0.0.1:${port}`, handled: () => handled }
}

describe('internal API version', () => {
  let same: Awaited<ReturnType<typeof serve>>
  let newer: Awaited<ReturnType<typeof serve>>
  before(async () => {
    same = await serve(INTERNAL_API_VERSION)
    newer = await serve(INTERNAL_API_VERSION + 1)
  })
  after(async () => {
    await same.app.close()
    await newer.app.close()
  })

  it('passes calls between peers of one version and states the version both ways', async () => {
    const c = new InternalClient('writer', same.url)
    const r = await c.call('/wsapi/stage_user', { body: {}, token: TOKEN })
    assert.equal(r.status, 200)
    assert.deepEqual(r.body, { success: true })
    assert.equal(r.headers[INTERNAL_API_HEADER], String(INTERNAL_API_VERSION))
    await c.close()
  })

  it('a service refuses a caller of another version before its handler runs', async () => {
    const before = newer.handled()
    const res = await fetch(`${newer.url}/wsapi/stage_user`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-persona-token': TOKEN,
        [INTERNAL_API_HEADER]: String(INTERNAL_API_VERSION),
      },
      body: '{}',
    })
    assert.equal(res.status, 409)
    const body = (await res.json()) as Record<string, unknown>
    assert.equal(body.code, 'ERR_API_VERSION')
    assert.match(
      String(body.reason),
      new RegExp(`speaks v${INTERNAL_API_VERSION}, this process v${INTERNAL_API_VERSION + 1}`),
    )
    assert.equal(newer.handled(), before, 'the handler never ran')
    // No version at all (a caller from before versions existed) is refused too.
    const bare = await fetch(`${newer.url}/wsapi/stage_user`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-persona-token': TOKEN },
      body: '{}',
    })
    assert.equal(bare.status, 409)
  })

  it('a caller refuses the answer of a service of another version, with a clear 502', async () => {
    const c = new InternalClient('writer', newer.url)
    await assert.rejects(c.call('/wsapi/stage_user', { body: {}, token: TOKEN }), (e: unknown) => {
      assert.ok(isPersonaError(e))
      assert.equal(e.statusCode, 502)
      assert.match(
        e.reason,
        new RegExp(
          `internal API version mismatch: writer speaks v${INTERNAL_API_VERSION + 1}, this process v${INTERNAL_API_VERSION}`,
        ),
      )
      return true
    })
    await c.close()
  })

  it('heartbeats answer any version, so orchestrators and deploys can probe', async () => {
    const res = await fetch(`${newer.url}/__lbheartbeat__`)
    assert.equal(res.status, 200)
    assert.equal(res.headers.get(INTERNAL_API_HEADER), String(INTERNAL_API_VERSION + 1))
  })
})
