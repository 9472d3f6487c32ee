// SPDX-License-Identifier: MPL-2.0
// The topology table's own invariants: the privilege separation the rest of the repo derives from.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  EXTERNALS,
  FLOWS,
  forbiddenSecretEnv,
  mayCall,
  SECRETS,
  SERVICE_SPECS,
  SERVICES,
  secretsOf,
  upstreamsOf,
} from '../src/topology.ts'

test('every service has its own port and port variable', () => {
  const ports = SERVICES.map((s) => SERVICE_SPECS[s].port)
  assert.equal(new Set(ports).size, SERVICES.length)
  const envs = SERVICES.map((s) => SERVICE_SPECS[s].portEnv)
  assert.equal(new Set(envs).size, SERVICES.length)
})

test('flows name only known nodes and are not duplicated', () => {
  const nodes = new Set<string>([...SERVICES, ...EXTERNALS])
  const seen = new Set<string>()
  for (const f of FLOWS) {
    assert.ok(nodes.has(f.from), `unknown source ${f.from}`)
    assert.ok(nodes.has(f.to), `unknown destination ${f.to}`)
    const key = `${f.from}->${f.to}`
    assert.ok(!seen.has(key), `duplicate flow ${key}`)
    seen.add(key)
  }
})

test('writer and certifier are reachable only from reader', () => {
  for (const target of ['writer', 'certifier'] as const) {
    const callers = FLOWS.filter((f) => f.to === target).map((f) => f.from)
    assert.deepEqual(callers, ['reader'])
  }
})

test('the public reaches only nginx, and nginx only router and verifier', () => {
  assert.deepEqual(upstreamsOf('internet'), ['nginx'])
  assert.deepEqual(upstreamsOf('nginx').sort(), ['router', 'verifier'])
  assert.equal(mayCall('nginx', 'reader'), false)
})

test('only proxy reaches the internet; the database only from reader, writer and replication', () => {
  assert.deepEqual(
    FLOWS.filter((f) => f.to === 'internet').map((f) => f.from),
    ['proxy'],
  )
  const dbCallers = FLOWS.filter((f) => f.to === 'db-master' || f.to === 'db-replica').map((f) => f.from)
  assert.deepEqual([...new Set(dbCallers)].sort(), ['db-replica', 'reader', 'writer'])
})

test('secrets: writer password only in writer, private key only in certifier (plus init)', () => {
  assert.deepEqual(SECRETS.dbWriterPassword.holders, ['writer', 'init'])
  assert.deepEqual(SECRETS.certifierPrivateKey.holders, ['certifier', 'init'])
  assert.ok(secretsOf('writer').includes('dbWriterPassword'))
  assert.ok(!secretsOf('reader').includes('dbWriterPassword'))
  assert.ok(forbiddenSecretEnv('verifier').includes('CERTIFIER_PRIVATE_KEY_FILE'))
  assert.deepEqual(secretsOf('verifier'), [])
  assert.deepEqual(secretsOf('static'), [])
})
