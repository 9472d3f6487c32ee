// SPDX-License-Identifier: MPL-2.0
// Driver failures sorted into the classes persona_db_errors_total counts (the DatabaseErrors alert and
// the database dashboard read them).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { DB_ERROR_CLASSES } from '@persona/kit'
import { dbErrorClass } from '../src/db-errors.ts'

const driver = (code: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(code), { code, ...extra })

test('each driver failure has one class an operator can act on', () => {
  assert.equal(dbErrorClass(driver('ECONNREFUSED')), 'unavailable')
  assert.equal(dbErrorClass(driver('ER_ACCESS_DENIED_ERROR')), 'unavailable')
  assert.equal(dbErrorClass(driver('PROTOCOL_CONNECTION_LOST', { fatal: true })), 'unavailable')
  assert.equal(dbErrorClass(Object.assign(new Error('pool'), { name: 'KnexTimeoutError' })), 'timeout')
  assert.equal(dbErrorClass(driver('ER_LOCK_WAIT_TIMEOUT')), 'timeout')
  assert.equal(dbErrorClass(driver('ER_LOCK_DEADLOCK')), 'deadlock')
  assert.equal(dbErrorClass(driver('ER_DUP_ENTRY')), 'constraint')
  assert.equal(dbErrorClass(driver('ER_PARSE_ERROR')), 'query')
  assert.equal(dbErrorClass(new Error('no code')), 'query')
  for (const e of [driver('ECONNRESET'), driver('ER_DUP_ENTRY'), new Error('x')])
    assert.ok(DB_ERROR_CLASSES.includes(dbErrorClass(e)))
})
