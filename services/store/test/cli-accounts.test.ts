// SPDX-License-Identifier: MPL-2.0
// `cli.ts migrate --accounts` as an operator runs it against an external database: a DBA account over
// TCP creates or updates persona_writer and persona_reader with the given passwords, then migrates.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { after, before, test } from 'node:test'
import { promisify } from 'node:util'
import knexFactory from 'knex'
import { SKIP, startTestPair, type TestPair } from './pair.ts'

const run = promisify(execFile)
const cli = new URL('../src/cli.ts', import.meta.url).pathname
let tp: TestPair

before(async () => {
  if (SKIP) return
  tp = await startTestPair()
  const root = knexFactory({
    client: 'mysql2',
    connection: { socketPath: tp.pair.master.socket, user: 'root' },
  })
  try {
    await root.raw("CREATE USER IF NOT EXISTS 'dba'@'%' IDENTIFIED BY 'dba-pw'")
    await root.raw("GRANT ALL PRIVILEGES ON *.* TO 'dba'@'%' WITH GRANT OPTION")
  } finally {
    await root.destroy()
  }
})
after(() => tp?.cleanup())

test('migrate --accounts sets the service accounts from the given passwords', { skip: SKIP }, async () => {
  const env = {
    ...process.env,
    DB_ADMIN_HOST: '127.0.0.1',
    DB_ADMIN_PORT: String(tp.pair.master.port),
    DB_ADMIN_USER: 'dba',
    DB_ADMIN_PASSWORD: 'dba-pw',
    DB_WRITER_PASSWORD: 'rotated-writer-pw',
    DB_READER_PASSWORD: 'rotated-reader-pw',
  }
  const out = await run(process.execPath, [cli, 'migrate', '--accounts'], { env })
  assert.match(out.stdout, /accounts: persona_writer, persona_reader created or updated/)
  assert.match(out.stdout, /schema up to date|applied:/)
  const writer = tp.writer({ DB_WRITER_PASSWORD: 'rotated-writer-pw' })
  await writer.ping()
  const old = tp.writer()
  await assert.rejects(old.ping(), /database unavailable/)
  // The reader account still may only read, on the master as on the replica.
  const reader = knexFactory({
    client: 'mysql2',
    connection: {
      host: '127.0.0.1',
      port: tp.pair.master.port,
      user: 'persona_reader',
      password: 'rotated-reader-pw',
      database: 'persona',
    },
  })
  try {
    const [rows] = await reader.raw('SELECT COUNT(*) AS n FROM users')
    assert.ok(Array.isArray(rows))
    await assert.rejects(
      reader.raw("INSERT INTO idps (domain, last_seen) VALUES ('x.example', NOW())"),
      /denied/,
    )
  } finally {
    await reader.destroy()
  }
})

test('migrate --accounts refuses to run without real account passwords', { skip: SKIP }, async () => {
  const env: Record<string, string | undefined> = {
    ...process.env,
    DB_ADMIN_PORT: String(tp.pair.master.port),
    DB_ADMIN_USER: 'dba',
    DB_ADMIN_PASSWORD: 'dba-pw',
  }
  delete env.DB_WRITER_PASSWORD
  delete env.DB_READER_PASSWORD
  await assert.rejects(
    run(process.execPath, [cli, 'migrate', '--accounts'], { env }),
    /needs DB_WRITER_PASSWORD/,
  )
})
