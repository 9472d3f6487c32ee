// SPDX-License-Identifier: MPL-2.0
// Local MariaDB master + replica for tests and `make dev`: two `mariadbd` on 127.0.0.1 with their own
// data dirs and unix sockets, semi-synchronous GTID replication master -> replica (replica read_only),
// the accounts and migrations applied, replica caught up. Children are killed when the parent exits,
// and a small watchdog kills them if the parent dies without running its exit handlers.
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { freePort as kitFreePort } from '@persona/kit'
import knexFactory, { type Knex } from 'knex'
import { type AccountPasswords, bootstrap } from './bootstrap.ts'
import { DB_ACCOUNTS, type DbRole, DEFAULT_DB_NAME, dbEnvFor, REPLICATION_ACCOUNT } from './config.ts'
import { openDb } from './db.ts'
import { migrateLatest } from './migrate.ts'
import { promoteReplica } from './promote.ts'
import { num, rawRows, str } from './rows.ts'

const run = promisify(execFile)

export interface ServerHandle {
  readonly name: 'master' | 'replica'
  readonly host: string
  readonly port: number
  /** Unix socket (root connects through it, with unix_socket authentication). */
  readonly socket: string
  readonly dataDir: string
  readonly pid: number
  /** Resolves when the process has exited. */
  readonly exited: Promise<void>
  running(): boolean
  /** Sends a signal (the failover tests use SIGKILL). */
  kill(signal?: NodeJS.Signals): void
}

export interface StartOptions {
  /** Directory holding `master/` and `replica/` data dirs, logs and `state.json`. */
  readonly dir: string
  readonly masterPort?: number
  readonly replicaPort?: number
  readonly passwords: AccountPasswords
  /** Start the existing data in `dir` when it is already initialised (make dev) instead of wiping it. */
  readonly reuse?: boolean
  readonly database?: string
  /** fsync every commit (slower). Off by default: this launcher is for dev and tests. */
  readonly durable?: boolean
  /** How long the master waits for the replica's ack before falling back to async (ms). */
  readonly semiSyncTimeoutMs?: number
  readonly log?: (line: string) => void
}

export interface DatabasePair {
  readonly master: ServerHandle
  readonly replica: ServerHandle
  readonly database: string
  readonly passwords: AccountPasswords
  /** Milliseconds from the call to ready (both up, accounts, migrations, replica caught up). */
  readonly startMs: number
  /** Env for a service connecting as `role` (writer/admin -> master, reader -> replica). */
  env(role: DbRole): Record<string, string>
  /** Turns the replica into a master (see promote.ts). */
  promote(): Promise<void>
  /** SIGTERM both, wait, SIGKILL after a grace period. Idempotent. */
  stop(): Promise<void>
}

const HOST = '127.0.0.1'
const REPL_USER = REPLICATION_ACCOUNT
const STOP_GRACE_MS = 15000

function findBinary(name: string, dirs: readonly string[]): string {
  const path = (process.env.PATH ?? '').split(':').filter((d) => d !== '')
  for (const d of [...path, ...dirs]) {
    const p = join(d, name)
    if (existsSync(p)) return p
  }
  throw new Error(`${name} not found (install Debian's mariadb-server)`)
}

/** Whether the MariaDB server binaries are installed (tests skip with a reason otherwise). */
export function haveMariadb(): boolean {
  try {
    findBinary('mariadbd', ['/usr/sbin', '/usr/local/sbin'])
    findBinary('mariadb-install-db', ['/usr/bin', '/usr/local/bin'])
    return true
  } catch {
    return false
  }
}

/** A port the OS says is free now (the kit's, on the launcher's host). */
export const freePort = (): Promise<number> => kitFreePort(HOST)

// Every mariadbd we started and its watchdog, killed when this process exits however the tests end.
const live = new Set<ChildProcess>()
let exitHookInstalled = false
function installExitHook(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.on('exit', () => {
    for (const c of live) {
      try {
        c.kill('SIGKILL')
      } catch {
        // already gone
      }
    }
  })
}

/** A root connection through a server's unix socket (unix_socket authentication). */
export function rootKnex(socket: string): Knex {
  return knexFactory({
    client: 'mysql2',
    connection: { socketPath: socket, user: 'root', timezone: 'Z', connectTimeout: 2000 },
    pool: { min: 0, max: 2 },
    acquireConnectionTimeout: 5000,
  })
}

async function firstRow(k: Knex, sql: string, bindings: readonly (string | number)[] = []): Promise<unknown> {
  return rawRows(await k.raw(sql, bindings))[0]
}

/** The command line of one mariadbd (this launcher's, and the two-cluster simulation's db hosts). */
export function serverArgs(o: {
  dataDir: string
  port: number
  serverId: number
  role: 'master' | 'replica'
  durable: boolean
  semiSyncTimeoutMs: number
  /** Address to listen on (default 127.0.0.1; a db host's own address in the simulation). */
  bindAddress?: string
  /** Serve TLS with this certificate (clients that are given the CA then connect over TLS). */
  tls?: { readonly caFile: string; readonly certFile: string; readonly keyFile: string }
}): string[] {
  const a = [
    '--no-defaults',
    `--datadir=${o.dataDir}`,
    `--socket=${join(o.dataDir, 'mysqld.sock')}`,
    `--pid-file=${join(o.dataDir, 'mysqld.pid')}`,
    `--log-error=${join(o.dataDir, 'error.log')}`,
    // Private temp dir: servers of parallel test runs share /tmp otherwise, and collide on temp tables.
    `--tmpdir=${tmpDirOf(o.dataDir)}`,
    `--port=${o.port}`,
    `--bind-address=${o.bindAddress ?? HOST}`,
    '--skip-name-resolve',
    '--performance-schema=OFF',
    '--character-set-server=utf8mb4',
    '--collation-server=utf8mb4_unicode_ci',
    '--default-time-zone=+00:00',
    '--innodb-buffer-pool-size=32M',
    '--innodb-log-file-size=16M',
    '--max-connections=300',
    `--server-id=${o.serverId}`,
    '--log-bin=mariadb-bin',
    '--binlog-format=ROW',
    '--log-slave-updates=ON',
    '--gtid-strict-mode=ON',
    '--relay-log=relay-bin',
    '--skip-slave-start',
    '--slave-net-timeout=5',
    // Semi-sync in both roles: the replica acks; either can be (or become) the master.
    '--rpl-semi-sync-slave-enabled=ON',
    `--rpl-semi-sync-master-timeout=${o.semiSyncTimeoutMs}`,
    '--rpl-semi-sync-master-wait-point=AFTER_SYNC',
  ]
  // Semi-sync on the master is switched on by the launcher once the replica is attached: before that
  // every commit (even creating the replication account) would wait the full timeout for an ack.
  if (o.tls !== undefined)
    a.push(`--ssl-ca=${o.tls.caFile}`, `--ssl-cert=${o.tls.certFile}`, `--ssl-key=${o.tls.keyFile}`)
  if (o.role === 'replica') a.push('--read-only=ON')
  if (!o.durable) a.push('--innodb-flush-log-at-trx-commit=2', '--sync-binlog=0', '--innodb-doublewrite=0')
  if (process.getuid?.() === 0) a.push('--user=root')
  return a
}

async function tail(file: string, lines = 15): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trimEnd().split('\n').slice(-lines).join('\n')
  } catch {
    return '(no error log)'
  }
}

async function spawnServer(
  name: 'master' | 'replica',
  dataDir: string,
  port: number,
  args: string[],
): Promise<ServerHandle> {
  const bin = findBinary('mariadbd', ['/usr/sbin', '/usr/local/sbin'])
  const child = spawn(bin, args, { stdio: 'ignore' })
  installExitHook()
  live.add(child)
  let alive = true
  const exited = new Promise<void>((res) => {
    child.once('exit', () => {
      alive = false
      live.delete(child)
      res()
    })
    child.once('error', () => {
      alive = false
      live.delete(child)
      res()
    })
  })
  const pid = child.pid
  if (pid === undefined) throw new Error(`could not start mariadbd (${name})`)
  // If this process is SIGKILLed its exit hook never runs: the watchdog kills the server then.
  const watchdog = spawn(
    'sh',
    [
      '-c',
      'while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 1; done; ' +
        'if kill -0 "$2" 2>/dev/null && grep -qa -- "$3" "/proc/$2/cmdline"; then kill -9 "$2"; fi',
      'persona-db-watchdog',
      String(process.pid),
      String(pid),
      `--datadir=${dataDir}`,
    ],
    { stdio: 'ignore', detached: true },
  )
  watchdog.unref()
  live.add(watchdog)
  void exited.then(() => {
    watchdog.kill('SIGKILL')
    live.delete(watchdog)
  })
  return {
    name,
    host: HOST,
    port,
    socket: join(dataDir, 'mysqld.sock'),
    dataDir,
    pid,
    exited,
    running: () => alive,
    kill: (signal: NodeJS.Signals = 'SIGTERM') => {
      if (alive) child.kill(signal)
    },
  }
}

/**
 * Waits until the server behind `h.socket` (data dir `h.dataDir`) accepts root connections; fails at
 * once, with its error log's tail, when `h.running()` turns false. Also used for the simulation's db hosts.
 */
export async function waitReady(
  h: { readonly name: string } & Pick<ServerHandle, 'socket' | 'dataDir' | 'running'>,
  timeoutMs = 30000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (!h.running()) {
      throw new Error(
        `mariadbd (${h.name}) exited during start:\n${await tail(join(h.dataDir, 'error.log'))}`,
      )
    }
    if (existsSync(h.socket)) {
      const k = rootKnex(h.socket)
      try {
        await k.raw('SELECT 1')
        return
      } catch {
        // not accepting yet
      } finally {
        await k.destroy()
      }
    }
    if (Date.now() > deadline) throw new Error(`mariadbd (${h.name}) not ready after ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

async function stopServer(h: ServerHandle): Promise<void> {
  if (!h.running()) return
  h.kill('SIGTERM')
  const timer = setTimeout(() => h.kill('SIGKILL'), STOP_GRACE_MS)
  await h.exited
  clearTimeout(timer)
}

/** Installs the system tables into `masterDir` and copies them to every other dir (wiping all first). */
export async function initDataDirs(masterDir: string, ...replicaDirs: string[]): Promise<void> {
  const installDb = findBinary('mariadb-install-db', ['/usr/bin', '/usr/local/bin'])
  for (const d of [masterDir, ...replicaDirs]) await rm(d, { recursive: true, force: true })
  const tmp = tmpDirOf(masterDir)
  await mkdir(tmp, { recursive: true })
  const args = [
    '--no-defaults',
    `--datadir=${masterDir}`,
    // Parallel installs in one /tmp collide on the names of their temp tables ("Unknown table
    // 'mysql.tmp_user_sys'"): each gets its own.
    `--tmpdir=${tmp}`,
    '--auth-root-authentication-method=socket',
    '--skip-test-db',
    '--skip-name-resolve',
    '--innodb-log-file-size=16M',
    '--innodb-buffer-pool-size=32M',
  ]
  if (process.getuid?.() === 0) args.push('--user=root')
  try {
    await run(installDb, args, { maxBuffer: 4 * 1024 * 1024, env: { ...process.env, TMPDIR: tmp } })
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e)
    throw new Error(`mariadb-install-db failed: ${msg}`)
  }
  // Every server starts from the same system tables: copying is ~10x faster than a second install.
  for (const d of replicaDirs) await cp(masterDir, d, { recursive: true })
}

/** A server's private temp dir, beside (not inside) its data dir so copying the data leaves it out. */
export function tmpDirOf(dataDir: string): string {
  return `${dataDir}.tmp`
}

function initialised(dataDir: string): boolean {
  return (
    existsSync(join(dataDir, 'mysql', 'user.frm')) || existsSync(join(dataDir, 'mysql', 'global_priv.frm'))
  )
}

/** The ports a launcher dir last ran on (its `state.json`), for reuse and for the CLI. */
export interface LauncherState {
  readonly masterPort: number
  readonly replicaPort: number
}

export async function readState(dir: string): Promise<LauncherState | undefined> {
  try {
    const v: unknown = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8'))
    if (typeof v !== 'object' || v === null) return undefined
    const m = Reflect.get(v, 'masterPort')
    const r = Reflect.get(v, 'replicaPort')
    return typeof m === 'number' && typeof r === 'number' ? { masterPort: m, replicaPort: r } : undefined
  } catch {
    return undefined
  }
}

async function portFree(port: number): Promise<boolean> {
  return new Promise((res) => {
    const srv = createServer()
    srv.unref()
    srv.once('error', () => res(false))
    srv.listen(port, HOST, () => srv.close(() => res(true)))
  })
}

/** Records in `dir/state.json` that the replica was promoted, so a restart with `reuse` refuses. */
export async function markPromoted(dir: string): Promise<void> {
  const file = join(resolve(dir), 'state.json')
  let state: Record<string, unknown> = {}
  try {
    const v: unknown = JSON.parse(await readFile(file, 'utf8'))
    if (typeof v === 'object' && v !== null) state = { ...v }
  } catch {
    // no state yet
  }
  await writeFile(file, `${JSON.stringify({ ...state, promoted: true }, null, 2)}\n`, { mode: 0o600 })
}

async function wasPromoted(dir: string): Promise<boolean> {
  try {
    const v: unknown = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8'))
    return typeof v === 'object' && v !== null && Reflect.get(v, 'promoted') === true
  } catch {
    return false
  }
}

/**
 * Points the replica at the master (idempotent: keeps its GTID position) and starts replication; over
 * TLS, checking the master's certificate against `tlsCaFile`, when one is given.
 */
export async function connectReplica(
  replica: Knex,
  master: { host: string; port: number },
  replPassword: string,
  tlsCaFile?: string,
): Promise<void> {
  await replica.raw('STOP SLAVE')
  const tls =
    tlsCaFile === undefined ? '' : ', MASTER_SSL = 1, MASTER_SSL_CA = ?, MASTER_SSL_VERIFY_SERVER_CERT = 1'
  await replica.raw(
    'CHANGE MASTER TO MASTER_HOST = ?, MASTER_PORT = ?, MASTER_USER = ?, MASTER_PASSWORD = ?, ' +
      `MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 1, MASTER_HEARTBEAT_PERIOD = 1${tls}`,
    [master.host, master.port, REPL_USER, replPassword, ...(tlsCaFile === undefined ? [] : [tlsCaFile])],
  )
  await replica.raw('START SLAVE')
}

/** Waits until the replica has applied the master's current position. */
export async function waitCaughtUp(master: Knex, replica: Knex, timeoutS = 30): Promise<void> {
  const pos = str(await firstRow(master, 'SELECT @@GLOBAL.gtid_binlog_pos AS pos'), 'pos')
  if (pos === '') return
  const r = await firstRow(replica, 'SELECT MASTER_GTID_WAIT(?, ?) AS r', [pos, timeoutS])
  if (num(r, 'r') !== 0) throw new Error(`replica did not reach ${pos} within ${timeoutS} s`)
}

/** Creates (or re-passwords) the replication account on a master. */
export async function createReplicationAccount(master: Knex, replPassword: string): Promise<void> {
  await master.raw('CREATE USER IF NOT EXISTS ?@? IDENTIFIED BY ?', [REPL_USER, '%', replPassword])
  await master.raw('ALTER USER ?@? IDENTIFIED BY ?', [REPL_USER, '%', replPassword])
  await master.raw('GRANT REPLICATION SLAVE ON *.* TO ?@?', [REPL_USER, '%'])
}

/** Waits until at least one semi-sync replica is attached to `master`. */
export async function waitSemiSyncClient(master: Knex, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const row = await firstRow(master, "SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync_master_clients'")
    if (row !== undefined && Number(str(row, 'Value')) >= 1) return
    if (Date.now() > deadline) throw new Error('replica did not connect to the master (semi-sync)')
    await new Promise((r) => setTimeout(r, 20))
  }
}

/**
 * Starts (or, with `reuse`, restarts) the pair and returns when both are ready, the accounts and schema
 * exist and the replica has caught up. On failure everything started is stopped again.
 */
export async function startDatabases(opts: StartOptions): Promise<DatabasePair> {
  const t0 = performance.now()
  const log = opts.log ?? (() => {})
  const dir = resolve(opts.dir)
  const database = opts.database ?? DEFAULT_DB_NAME
  const masterDir = join(dir, 'master')
  const replicaDir = join(dir, 'replica')
  await mkdir(dir, { recursive: true, mode: 0o700 })

  const reuse = opts.reuse === true && initialised(masterDir) && initialised(replicaDir)
  if (!reuse) {
    log(`initialising data dirs in ${dir}`)
    await initDataDirs(masterDir, replicaDir)
  }
  const prev = reuse ? await readState(dir) : undefined
  if (reuse && (await wasPromoted(dir))) {
    throw new Error(
      `${dir}: the replica was promoted; its old master must not return as a master (wipe the dir)`,
    )
  }

  const started: ServerHandle[] = []
  const stopAll = async () => {
    await Promise.all(started.map(stopServer))
  }
  try {
    for (let attempt = 0; ; attempt++) {
      const pick = async (given: number | undefined, old: number | undefined) =>
        given ?? (old !== undefined && attempt === 0 && (await portFree(old)) ? old : await freePort())
      const masterPort = await pick(opts.masterPort, prev?.masterPort)
      let replicaPort = await pick(opts.replicaPort, prev?.replicaPort)
      while (replicaPort === masterPort) replicaPort = await freePort()
      const common = { durable: opts.durable === true, semiSyncTimeoutMs: opts.semiSyncTimeoutMs ?? 1000 }
      await Promise.all([masterDir, replicaDir].map((d) => mkdir(tmpDirOf(d), { recursive: true })))
      const m = await spawnServer(
        'master',
        masterDir,
        masterPort,
        serverArgs({ ...common, dataDir: masterDir, port: masterPort, serverId: 1, role: 'master' }),
      )
      started.push(m)
      const r = await spawnServer(
        'replica',
        replicaDir,
        replicaPort,
        serverArgs({ ...common, dataDir: replicaDir, port: replicaPort, serverId: 2, role: 'replica' }),
      )
      started.push(r)
      try {
        await Promise.all([waitReady(m), waitReady(r)])
        break
      } catch (e) {
        // A port taken between asking and binding: retry with new ports, unless they were given.
        await stopAll()
        started.length = 0
        const msg = e instanceof Error ? e.message : String(e)
        const portClash = /Address already in use|Can't start server/.test(msg)
        if (!portClash || attempt >= 3 || opts.masterPort !== undefined || opts.replicaPort !== undefined)
          throw e
        log('port taken, retrying with new ports')
      }
    }
    const [master, replica] = started
    if (master === undefined || replica === undefined) throw new Error('servers missing')
    log(
      `master on ${HOST}:${master.port} (pid ${master.pid}), replica on ${HOST}:${replica.port} (pid ${replica.pid})`,
    )

    const mk = rootKnex(master.socket)
    const rk = rootKnex(replica.socket)
    try {
      const replPassword = randomBytes(24).toString('base64url')
      await createReplicationAccount(mk, replPassword)
      await mk.raw('SET GLOBAL rpl_semi_sync_master_enabled = ON')
      await connectReplica(rk, master, replPassword)
      // Writes before the replica is attached would each wait the semi-sync timeout.
      await waitSemiSyncClient(mk, 15000)
      await bootstrap(mk, opts.passwords, { database })
      const admin = openDb('ADMIN', {
        host: HOST,
        port: master.port,
        user: DB_ACCOUNTS.ADMIN,
        password: opts.passwords.admin,
        database,
      })
      try {
        const applied = await migrateLatest(admin.knex)
        if (applied.length > 0) log(`migrations applied: ${applied.join(', ')}`)
      } finally {
        await admin.close()
      }
      await waitCaughtUp(mk, rk)
    } finally {
      await Promise.all([mk.destroy(), rk.destroy()])
    }
    await writeFile(
      join(dir, 'state.json'),
      `${JSON.stringify({ masterPort: master.port, replicaPort: replica.port, database }, null, 2)}\n`,
      { mode: 0o600 },
    )
    const startMs = Math.round(performance.now() - t0)
    log(`ready in ${startMs} ms`)
    let stopping: Promise<void> | undefined
    return {
      master,
      replica,
      database,
      passwords: opts.passwords,
      startMs,
      env: (role: DbRole) => {
        const at = role === 'READER' ? replica : master
        const pw =
          role === 'READER'
            ? opts.passwords.reader
            : role === 'WRITER'
              ? opts.passwords.writer
              : opts.passwords.admin
        return dbEnvFor(role, at, pw, database)
      },
      promote: async () => {
        const k = rootKnex(replica.socket)
        try {
          await promoteReplica(k)
          await markPromoted(dir)
        } finally {
          await k.destroy()
        }
      },
      stop: () => {
        stopping ??= stopAll()
        return stopping
      },
    }
  } catch (e) {
    await stopAll()
    throw e
  }
}
