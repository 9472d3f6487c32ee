// SPDX-License-Identifier: MPL-2.0
// Privilege separation is enforced by MariaDB itself: the reader account may only SELECT, the writer
// only SELECT/INSERT/UPDATE/DELETE (no DDL), the monitoring account reads server and replication status
// but no data, and the replica refuses writes (read_only).
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { isPersonaError } from '@persona/kit'
import { MONITOR_ACCOUNT, MONITOR_PRIVILEGES } from '../src/bootstrap.ts'
import { DB_ACCOUNTS } from '../src/config.ts'
import { openDb } from '../src/db.ts'
import { dbErrorCode } from '../src/db-errors.ts'
import { writerRepos } from '../src/repos/index.ts'
import { rawRows } from '../src/rows.ts'
import { PASSWORDS, SKIP, startTestPair, type TestPair } from './pair.ts'

describe('privilege separation', { skip: SKIP }, () => {
  let t: TestPair
  before(async () => {
    t = await startTestPair()
  })
  after(async () => t?.cleanup())

  it('the reader account is refused an INSERT by the server (ER_TABLEACCESS_DENIED_ERROR)', async () => {
    // The reader account pointed at the master: only the grant can stop it there, not read_only.
    const asReader = openDb('READER', {
      host: t.pair.master.host,
      port: t.pair.master.port,
      user: DB_ACCOUNTS.READER,
      password: PASSWORDS.reader,
      database: t.pair.database,
    })
    try {
      const err = await asReader
        .knex('idps')
        .insert({ domain: 'evil.example', last_seen: new Date() })
        .then(
          () => undefined,
          (e: unknown) => e,
        )
      assert.equal(dbErrorCode(err), 'ER_TABLEACCESS_DENIED_ERROR')
      const del = await asReader
        .knex('users')
        .delete()
        .then(
          () => undefined,
          (e: unknown) => e,
        )
      assert.equal(dbErrorCode(del), 'ER_TABLEACCESS_DENIED_ERROR')
      const rows = rawRows(await asReader.knex.raw('SELECT COUNT(*) AS n FROM users'))
      assert.equal(rows.length, 1, 'SELECT is allowed')
    } finally {
      await asReader.close()
    }
  })

  it('the writer account may write rows but not change the schema', async () => {
    const w = t.writer()
    await writerRepos(w).idps.saw('ok.example')
    const err = await w.knex.raw('CREATE TABLE sneaky (id INT)').then(
      () => undefined,
      (e: unknown) => e,
    )
    assert.equal(dbErrorCode(err), 'ER_TABLEACCESS_DENIED_ERROR')
    const drop = await w.knex.raw('DROP TABLE idps').then(
      () => undefined,
      (e: unknown) => e,
    )
    assert.equal(dbErrorCode(drop), 'ER_TABLEACCESS_DENIED_ERROR')
    const grants = rawRows(await w.knex.raw('SHOW GRANTS')).map((r) => Object.values(Object(r)).join(''))
    assert.ok(
      grants.some((g) => /GRANT SELECT, INSERT, UPDATE, DELETE ON `persona`\.\*/.test(g)),
      grants.join('\n'),
    )
  })

  it('the replica is read-only even for the writer account, reported as database unavailable', async () => {
    const onReplica = openDb('WRITER', {
      host: t.pair.replica.host,
      port: t.pair.replica.port,
      user: DB_ACCOUNTS.WRITER,
      password: PASSWORDS.writer,
      database: t.pair.database,
    })
    try {
      const err = await writerRepos(onReplica)
        .idps.saw('replica.example')
        .then(
          () => undefined,
          (e: unknown) => e,
        )
      assert.ok(isPersonaError(err))
      assert.equal(err.code, 'ERR_DATABASE_UNAVAILABLE')
      assert.equal(dbErrorCode(err.cause), 'ER_OPTION_PREVENTS_STATEMENT')
    } finally {
      await onReplica.close()
    }
  })

  it('the monitoring account reads replication and server status, and none of the data', async () => {
    const as = (server: typeof t.pair.master) =>
      openDb('READER', {
        host: server.host,
        port: server.port,
        user: MONITOR_ACCOUNT,
        password: PASSWORDS.monitor,
        database: 'information_schema',
      })
    const replica = as(t.pair.replica)
    const master = as(t.pair.master)
    try {
      const status = rawRows(await replica.knex.raw('SHOW ALL SLAVES STATUS'))
      assert.equal(status.length, 1, 'the replica reports its replication')
      assert.equal(Reflect.get(Object(status[0]), 'Slave_SQL_Running'), 'Yes')
      assert.ok(rawRows(await master.knex.raw('SHOW BINARY LOGS')).length > 0, 'the master its binary logs')
      const grants = rawRows(await master.knex.raw('SHOW GRANTS')).map((r) =>
        Object.values(Object(r)).join(''),
      )
      assert.ok(
        grants.some((g) => g.includes(`GRANT ${MONITOR_PRIVILEGES} ON *.*`)),
        grants.join('\n'),
      )
      for (const sql of [`SELECT * FROM ${t.pair.database}.users`, 'SELECT * FROM mysql.user']) {
        const err = await master.knex.raw(sql).then(
          () => undefined,
          (e: unknown) => e,
        )
        assert.match(String(dbErrorCode(err)), /^ER_(TABLEACCESS|DBACCESS)_DENIED_ERROR$/, sql)
      }
      const write = await master.knex.raw('CREATE DATABASE sneaky').then(
        () => undefined,
        (e: unknown) => e,
      )
      assert.equal(dbErrorCode(write), 'ER_DBACCESS_DENIED_ERROR')
    } finally {
      await replica.close()
      await master.close()
    }
  })

  it('wrong credentials are refused', async () => {
    const bad = openDb('READER', {
      host: t.pair.replica.host,
      port: t.pair.replica.port,
      user: DB_ACCOUNTS.READER,
      password: 'not-the-password',
      database: t.pair.database,
    })
    try {
      await assert.rejects(
        bad.ping(),
        (e: unknown) => isPersonaError(e) && e.code === 'ERR_DATABASE_UNAVAILABLE',
      )
    } finally {
      await bad.close()
    }
  })
})
