// SPDX-License-Identifier: MPL-2.0
// The store's command line: `start` (foreground master + replica for dev; Ctrl-C stops them),
// `migrate` (apply migrations as persona_admin), `promote` (failover: replica -> master), `status`.
// Usage: node services/store/src/cli.ts <command> [--dir .dev/db] [--master-port N] [--replica-port N]
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { DEV_SECRET_PREFIX, isDevSecret, loadConfig } from '@persona/kit'
import knexFactory, { type Knex } from 'knex'
import { Type } from 'typebox'
import { type AccountPasswords, bootstrap } from './bootstrap.ts'
import { DB_ACCOUNTS, dbConfig, dbEnv, dbSettings } from './config.ts'
import { openDb } from './db.ts'
import { markPromoted, readState, startDatabases } from './launcher.ts'
import { appliedMigrations, migrateLatest } from './migrate.ts'
import { promoteReplica } from './promote.ts'
import { rawRows } from './rows.ts'

const USAGE = `usage: node services/store/src/cli.ts <start|migrate|promote|status> [options]
  start    start master + replica in --dir (kept across restarts), print the env, run until Ctrl-C
  migrate  apply pending migrations as persona_admin (env DB_ADMIN_HOST/PORT/USER/PASSWORD, or --dir);
           with --accounts, the admin user (a DBA on an external database) first creates or updates
           the persona_writer and persona_reader accounts (env DB_WRITER_PASSWORD, DB_READER_PASSWORD)
  promote  turn the replica of --dir (or --socket) into a master
  status   show role, ports, GTID positions and replication state of --dir
options: --dir DIR (default .dev/db)  --master-port N  --replica-port N  --socket PATH  --fresh  --accounts
passwords: env DB_ADMIN_PASSWORD, DB_WRITER_PASSWORD, DB_READER_PASSWORD (dev defaults dev-*)`

function passwordsFromEnv(): AccountPasswords {
  return {
    admin: process.env[dbEnv('ADMIN').password] ?? `${DEV_SECRET_PREFIX}admin-password`,
    writer: process.env[dbEnv('WRITER').password] ?? `${DEV_SECRET_PREFIX}writer-password`,
    reader: process.env[dbEnv('READER').password] ?? `${DEV_SECRET_PREFIX}reader-password`,
  }
}

function rootKnex(socket: string): Knex {
  return knexFactory({
    client: 'mysql2',
    connection: { socketPath: socket, user: 'root', connectTimeout: 2000 },
    pool: { min: 0, max: 1 },
  })
}

function port(v: string | undefined): number | undefined {
  if (v === undefined) return undefined
  const n = Number(v)
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`bad port: ${v}`)
  return n
}

async function cmdStart(dir: string, o: { masterPort?: number; replicaPort?: number; fresh: boolean }) {
  const passwords = passwordsFromEnv()
  const pair = await startDatabases({
    dir,
    passwords,
    reuse: !o.fresh,
    ...(o.masterPort === undefined ? {} : { masterPort: o.masterPort }),
    ...(o.replicaPort === undefined ? {} : { replicaPort: o.replicaPort }),
    log: (l) => console.log(`[db] ${l}`),
  })
  console.log(
    `[db] master 127.0.0.1:${pair.master.port}  replica 127.0.0.1:${pair.replica.port}  (${pair.startMs} ms)`,
  )
  console.log(
    '[db] writer env:',
    Object.entries(pair.env('WRITER'))
      .filter(([k]) => !k.endsWith('PASSWORD'))
      .map(([k, v]) => `${k}=${v}`)
      .join(' '),
  )
  console.log(
    '[db] reader env:',
    Object.entries(pair.env('READER'))
      .filter(([k]) => !k.endsWith('PASSWORD'))
      .map(([k, v]) => `${k}=${v}`)
      .join(' '),
  )
  let stopping = false
  const stop = async (sig: string) => {
    if (stopping) return
    stopping = true
    console.log(`[db] ${sig}: stopping`)
    await pair.stop()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))
  await Promise.race([pair.master.exited, pair.replica.exited])
  if (!stopping) {
    console.error('[db] a server exited; stopping the other')
    await pair.stop()
    process.exit(1)
  }
}

async function cmdMigrate(dir: string, accounts: boolean) {
  const env: Record<string, string | undefined> = { ...process.env }
  const admin = dbEnv('ADMIN')
  if (env[admin.port] === undefined) {
    const st = await readState(dir)
    if (st !== undefined) env[admin.port] = String(st.masterPort)
  }
  env[admin.password] ??= passwordsFromEnv().admin
  const cfg = loadConfig(Type.Object(dbConfig('ADMIN')), env)
  const db = openDb('ADMIN', dbSettings(cfg, 'ADMIN'))
  try {
    if (accounts) {
      const passwords = passwordsFromEnv()
      if (isDevSecret(passwords.writer) || isDevSecret(passwords.reader)) {
        throw new Error('--accounts needs DB_WRITER_PASSWORD and DB_READER_PASSWORD')
      }
      await bootstrap(db.knex, passwords, { roles: ['WRITER', 'READER'], database: cfg.DB_NAME })
      console.log('accounts: persona_writer, persona_reader created or updated')
    }
    const applied = await migrateLatest(db.knex)
    console.log(applied.length === 0 ? 'schema up to date' : `applied: ${applied.join(', ')}`)
    console.log(`migrations: ${(await appliedMigrations(db.knex)).join(', ')}`)
  } finally {
    await db.close()
  }
}

async function cmdPromote(dir: string, socket: string | undefined) {
  const sock = socket ?? join(dir, 'replica', 'mysqld.sock')
  if (!existsSync(sock)) throw new Error(`no server socket at ${sock}`)
  const k = rootKnex(sock)
  try {
    const r = await promoteReplica(k)
    if (socket === undefined) await markPromoted(dir)
    const st = await readState(dir)
    console.log(`promoted (gtid ${r.gtidPos || 'empty'}); now re-point the writer and restart it:`)
    console.log(`  DB_WRITER_HOST=127.0.0.1 DB_WRITER_PORT=${st?.replicaPort ?? '<replica port>'}`)
  } finally {
    await k.destroy()
  }
}

async function cmdStatus(dir: string) {
  for (const name of ['master', 'replica'] as const) {
    const sock = join(dir, name, 'mysqld.sock')
    if (!existsSync(sock)) {
      console.log(`${name}: not running (no socket)`)
      continue
    }
    const k = rootKnex(sock)
    try {
      const row = rawRows(
        await k.raw(
          'SELECT @@port AS port, @@read_only AS ro, @@gtid_binlog_pos AS binlog, @@gtid_current_pos AS cur, @@rpl_semi_sync_master_enabled AS semisync',
        ),
      )[0]
      const slave = rawRows(await k.raw('SHOW SLAVE STATUS'))[0]
      const get = (o: unknown, key: string) =>
        typeof o === 'object' && o !== null ? Reflect.get(o, key) : undefined
      const repl =
        slave === undefined
          ? 'no replication source'
          : `replicating from ${get(slave, 'Master_Host')}:${get(slave, 'Master_Port')} io=${get(slave, 'Slave_IO_Running')} sql=${get(slave, 'Slave_SQL_Running')} lag=${get(slave, 'Seconds_Behind_Master')}`
      console.log(
        `${name}: port ${get(row, 'port')} read_only=${get(row, 'ro')} semisync_master=${get(row, 'semisync')} gtid=${get(row, 'cur')} — ${repl}`,
      )
    } catch (e) {
      console.log(`${name}: unreachable (${e instanceof Error ? e.message : String(e)})`)
    } finally {
      await k.destroy()
    }
  }
  console.log(`accounts: ${Object.values(DB_ACCOUNTS).join(', ')}`)
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      dir: { type: 'string', default: '.dev/db' },
      accounts: { type: 'boolean', default: false },
      'master-port': { type: 'string' },
      'replica-port': { type: 'string' },
      socket: { type: 'string' },
      fresh: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  const cmd = positionals[0]
  const dir = resolve(values.dir)
  if (values.help || cmd === undefined) {
    console.log(USAGE)
    return
  }
  const masterPort = port(values['master-port'])
  const replicaPort = port(values['replica-port'])
  switch (cmd) {
    case 'start':
      return cmdStart(dir, {
        fresh: values.fresh,
        ...(masterPort === undefined ? {} : { masterPort }),
        ...(replicaPort === undefined ? {} : { replicaPort }),
      })
    case 'migrate':
      return cmdMigrate(dir, values.accounts)
    case 'promote':
      return cmdPromote(dir, values.socket)
    case 'status':
      return cmdStatus(dir)
    default:
      throw new Error(`unknown command ${cmd}\n${USAGE}`)
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e))
  process.exit(1)
})
