// SPDX-License-Identifier: MPL-2.0
// The public API's OpenAPI description: generated from the verifier's and the wsapi's declared schemas,
// OpenAPI 3.1, every answer /verify and /v2 can give (including nginx's 429 and 502 and the verifier's 503 with
// Retry-After), and served by static at the one path relying sites use, readable from any origin.
import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { API_DESCRIPTION_PATH } from '@persona/kit'
import { VERIFY_SCHEMA } from '@persona/verifier/api'
import { WSAPI_CALLS } from '@persona/wsapi'
import { buildApp } from '../src/app.ts'
import { loadStaticConfig } from '../src/config.ts'
import { describeApi } from '../src/openapi.ts'

interface Operation {
  requestBody?: { content: Record<string, { schema: { required?: string[] } }> }
  responses: Record<string, { headers?: Record<string, unknown>; content?: Record<string, unknown> }>
}
type Doc = { openapi: string; paths: Record<string, Record<string, Operation>> }

test('describes /verify, /v2 and every public wsapi call as OpenAPI 3.1, from their declarations', async () => {
  const doc = (await describeApi()) as Doc
  assert.equal(doc.openapi, '3.1.0')
  const publicCalls = WSAPI_CALLS.filter((c) => !c.internal)
  assert.deepEqual(
    Object.keys(doc.paths).sort(),
    ['/v2', '/verify', ...publicCalls.map((c) => `/wsapi/${c.name}`)].sort(),
  )
  for (const c of publicCalls) {
    const op = doc.paths[`/wsapi/${c.name}`]?.[c.method.toLowerCase()]
    assert.ok(op, `${c.method} /wsapi/${c.name}`)
    for (const code of ['200', '400', '403', '429', '503']) assert.ok(op.responses[code], `${c.name} ${code}`)
  }
  const verify = doc.paths['/verify']?.post
  assert.ok(verify)
  assert.deepEqual(Object.keys(verify.requestBody?.content ?? {}).sort(), [
    'application/json',
    'application/x-www-form-urlencoded',
  ])
  assert.deepEqual(verify.requestBody?.content['application/json']?.schema.required, [
    'assertion',
    'audience',
  ])
  assert.deepEqual(Object.keys(verify.responses).sort(), Object.keys(VERIFY_SCHEMA.response).sort())
  for (const code of ['200', '400', '413', '415', '429', '502', '503'])
    assert.ok(verify.responses[code], code)
  assert.ok(verify.responses['503']?.headers?.['retry-after'], '503 names Retry-After')
  assert.deepEqual(Object.keys(doc.paths['/v2']?.post?.requestBody?.content ?? {}), ['application/json'])
})

test(`static serves it at ${API_DESCRIPTION_PATH}, to any origin`, async (t) => {
  const dist = await mkdtemp(join(tmpdir(), 'persona-static-openapi-'))
  t.after(() => rm(dist, { recursive: true, force: true }))
  await writeFile(join(dist, 'pages.json'), '[]')
  const app = await buildApp(loadStaticConfig({ STATIC_DIST_DIR: dist, LOG_LEVEL: 'silent' }))
  t.after(() => app.close())
  const res = await app.inject({ url: API_DESCRIPTION_PATH })
  assert.equal(res.statusCode, 200)
  assert.match(String(res.headers['content-type']), /^application\/json/)
  assert.equal(res.headers['access-control-allow-origin'], '*')
  assert.deepEqual(res.json(), await describeApi())
})
