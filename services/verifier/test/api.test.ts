// SPDX-License-Identifier: MPL-2.0
// The /verify body as described (api.ts, which the OpenAPI description is made of) and as read
// (params.ts, with Persona's reasons) accept and refuse the same requests.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Value } from 'typebox/value'
import { VERIFY_SCHEMA } from '../src/api.ts'
import { readParams } from '../src/params.ts'

test('the described /verify body and the parameters the verifier reads agree', () => {
  const a = 'x'.repeat(100)
  const samples: unknown[] = [
    { assertion: a, audience: 'https://rp.example' },
    { assertion: a, audience: 'rp.example:443', experimental_forceIssuer: 'login.example' },
    { assertion: a, audience: 'x', experimental_allowUnverified: true },
    { assertion: a, audience: 'x', experimental_allowUnverified: 'false' },
    { assertion: a, audience: 'x', extra: 'ignored, as Mozilla did' },
    {},
    { assertion: a },
    { audience: 'x' },
    { assertion: '', audience: 'x' },
    { assertion: a, audience: '' },
    { assertion: 7, audience: 'x' },
    { assertion: a, audience: ['x'] },
    { assertion: 'y'.repeat(64 * 1024 + 1), audience: 'x' },
    { assertion: a, audience: 'z'.repeat(2049) },
    { assertion: a, audience: 'x', experimental_forceIssuer: 3 },
    { assertion: a, audience: 'x', experimental_allowUnverified: 'yes' },
  ]
  for (const body of samples) {
    const described = Value.Check(VERIFY_SCHEMA.body, body)
    const read = readParams(body, undefined).ok
    assert.equal(read, described, JSON.stringify(body).slice(0, 120))
  }
})
