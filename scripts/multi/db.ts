// SPDX-License-Identifier: MPL-2.0
// The simulation's database hosts: one mariadbd per db host, in its namespace, on its own address and
// port 3306, with the store launcher's server settings (GTID, semi-sync, read-only replicas). A db host
// runs one of the contract's two database parts (db-master, db-replica), as an EC2 db host does by its
// role tag, with that part's secrets from its holder directory: the first cluster's first db host starts
// as the master and runs the master's first-start SQL the init job wrote (the DBA and replication
// accounts, by password hash); every other one replicates from the contract's master name with the
// replication password. The init job then makes the Persona accounts and schema (init.ts), which reach
// the replicas by replication. Root reaches each server through its unix socket, from the machine's
// namespace.
import { spawn } from 'node:child_process'
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { partEnv } from '@persona/deploy/env'
import { SECRETS } from '@persona/kit'
import { DB_ACCOUNTS } from '@persona/store/config'
import {
  connectReplica,
  initDataDirs,
  rootKnex,
  serverArgs,
  tmpDirOf,
  waitCaughtUp,
  waitReady,
  waitSemiSyncClient,
} from '@persona/store/launcher'
import { type Host, hostsOf, MASTER_NAME, type Plan, paths, replicaName } from './plan.ts'
import { alive, type ProcSpec, startProc } from './procs.ts'
import { DB_PORT, holderDir, type SimFiles, simSite } from './site.ts'
import { ensureCert } from './tls.ts'

export { DB_PORT }

const MARIADBD = '/usr/sbin/mariadbd'
/** How long the master waits for a replica's ack before going asynchronous (acknowledged = on a replica). */
const SEMI_SYNC_TIMEOUT_MS = 10_000

export const dataDirOf = (plan: Plan, h: Host): string => join(paths(plan.opts.dir).data, h.name)
export const socketOf = (plan: Plan, h: Host): string => join(dataDirOf(plan, h), 'mysqld.sock')

/** The db hosts' TLS: one certificate naming the master name, every replica name and every db address. */
export async function dbTls(plan: Plan): Promise<DbTls> {
  const dir = paths(plan.opts.dir).tls
  const dbs = hostsOf(plan, 'db')
  const cert = await ensureCert(dir, 'db', {
    dns: [MASTER_NAME, ...plan.opts.clusters.map(replicaName)],
    ip: dbs.map((h) => h.address),
  })
  return { caFile: join(dir, 'ca.pem'), ...cert }
}

export interface DbTls {
  readonly caFile: string
  readonly certFile: string
  readonly keyFile: string
}

export function dbSpec(plan: Plan, h: Host, role: 'master' | 'replica', tls: DbTls): ProcSpec {
  const dataDir = dataDirOf(plan, h)
  return {
    host: h.name,
    ns: h.ns,
    name: 'mariadbd',
    argv: [
      MARIADBD,
      ...serverArgs({
        dataDir,
        port: DB_PORT,
        serverId: h.serverId ?? 1,
        role,
        durable: false,
        semiSyncTimeoutMs: SEMI_SYNC_TIMEOUT_MS,
        bindAddress: h.address,
        tls,
      }),
    ],
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    cwd: dataDir,
  }
}

export interface DbStart {
  readonly pids: Record<string, number>
  readonly ms: number
}

/** A secret of a database part, from its holder's directory (as the part's container has it mounted). */
async function secretOf(
  files: SimFiles,
  part: 'db-master' | 'db-replica',
  name: 'dbAccountsSql' | 'dbReplicationPassword',
): Promise<string> {
  return (await readFile(join(holderDir(files, part), SECRETS[name].env), 'utf8')).trim()
}

/** The replication password, as replicas hold it (failover repoints replicas with it). */
export const replicationPasswordOf = (files: SimFiles): Promise<string> =>
  secretOf(files, 'db-replica', 'dbReplicationPassword')

/** The master's first-start SQL, statement by statement (what the MariaDB image runs on an empty master). */
function statements(sql: string): string[] {
  return sql
    .split(/;\s*\n/)
    .map((s) => s.trim())
    .filter((s) => s !== '')
}

/**
 * Initialises and starts every db host: the master with its first-start accounts, the replicas attached
 * to the master name over TLS. The init job's `db` phase comes next (accounts and schema), then
 * `finishDbHosts`.
 */
export async function startDbHosts(
  plan: Plan,
  master: Host,
  files: SimFiles,
  tls: DbTls,
  log: (line: string) => void,
): Promise<DbStart> {
  const t0 = performance.now()
  const dbs = hostsOf(plan, 'db')
  const replicas = dbs.filter((h) => h !== master)
  await initDataDirs(dataDirOf(plan, master), ...replicas.map((h) => dataDirOf(plan, h)))
  const logDir = paths(plan.opts.dir).logs
  const pids: Record<string, number> = {}
  for (const h of dbs) {
    await mkdir(tmpDirOf(dataDirOf(plan, h)), { recursive: true })
    pids[h.name] = startProc(dbSpec(plan, h, h === master ? 'master' : 'replica', tls), logDir)
  }
  await Promise.all(
    dbs.map((h) =>
      waitReady(
        {
          name: h.name,
          socket: socketOf(plan, h),
          dataDir: dataDirOf(plan, h),
          running: () => alive(pids[h.name] ?? 0),
        },
        60_000,
      ),
    ),
  )
  log(`db: ${dbs.length} servers up (${Math.round(performance.now() - t0)} ms)`)
  const mk = rootKnex(socketOf(plan, master))
  const rks = replicas.map((h) => rootKnex(socketOf(plan, h)))
  try {
    for (const stmt of statements(await secretOf(files, 'db-master', 'dbAccountsSql'))) await mk.raw(stmt)
    await mk.raw('SET GLOBAL rpl_semi_sync_master_enabled = ON')
    const password = await secretOf(files, 'db-replica', 'dbReplicationPassword')
    await Promise.all(
      // Replication crosses regions too: to the master's name, over TLS, checking its certificate.
      replicas.map((h, i) => {
        const env = partEnv('db-replica', simSite(plan, files, h))
        const k = rks[i]
        if (k === undefined) throw new Error(`no connection to ${h.name}`)
        return connectReplica(
          k,
          { host: env.PERSONA_DB_MASTER_HOST ?? MASTER_NAME, port: DB_PORT },
          password,
          tls.caFile,
        )
      }),
    )
    await waitSemiSyncClient(mk, 15_000)
  } finally {
    await Promise.all([mk.destroy(), ...rks.map((k) => k.destroy())])
  }
  return { pids, ms: Math.round(performance.now() - t0) }
}

/** After the init job: writers and readers may not connect in clear; every replica has caught up. */
export async function finishDbHosts(plan: Plan, master: Host): Promise<void> {
  const mk = rootKnex(socketOf(plan, master))
  const rks = hostsOf(plan, 'db')
    .filter((h) => h !== master)
    .map((h) => rootKnex(socketOf(plan, h)))
  try {
    for (const role of ['WRITER', 'READER'] as const) {
      await mk.raw('ALTER USER ?@? REQUIRE SSL', [DB_ACCOUNTS[role], '%'])
    }
    await Promise.all(rks.map((k) => waitCaughtUp(mk, k)))
  } finally {
    await Promise.all([mk.destroy(), ...rks.map((k) => k.destroy())])
  }
}

/** Database accounts that belong to the server itself, not to Persona: never copied from the master. */
const SERVER_ACCOUNTS = "'root', 'mariadb.sys', 'mysql', 'PUBLIC', ''"

function pipe(from: readonly string[], to: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const [fc, ...fa] = from
    const [tc, ...ta] = to
    if (fc === undefined || tc === undefined) return reject(new Error('empty command'))
    const src = spawn(fc, fa, { stdio: ['ignore', 'pipe', 'pipe'] })
    const dst = spawn(tc, ta, { stdio: ['pipe', 'ignore', 'pipe'] })
    let err = ''
    src.stderr.on('data', (d: Buffer) => {
      err += d.toString()
    })
    dst.stderr.on('data', (d: Buffer) => {
      err += d.toString()
    })
    src.stdout.pipe(dst.stdin)
    let codes = 0
    const done = (code: number | null) => {
      if (code !== 0) reject(new Error(`${fc} | ${tc}: exit ${code}: ${err.trim()}`))
      else if (++codes === 2) resolve()
    }
    src.on('exit', done)
    dst.on('exit', done)
  })
}

/**
 * Rebuilds `h` as a copy of the current master: a fresh data directory, started with a replica's
 * settings, then the master's data and Persona's accounts copied in one consistent snapshot (with the
 * master's GTID position, and without writing the copy to its own binary log), ready to replicate from
 * that position. For an old master that holds transactions the master never received.
 */
export async function rebuildFromMaster(plan: Plan, master: Host, h: Host, tls: DbTls): Promise<number> {
  const dir = dataDirOf(plan, h)
  await initDataDirs(dir)
  await mkdir(tmpDirOf(dir), { recursive: true })
  const pid = startProc(dbSpec(plan, h, 'replica', tls), paths(plan.opts.dir).logs)
  await waitReady(
    { name: h.name, socket: socketOf(plan, h), dataDir: dir, running: () => alive(pid) },
    60_000,
  )
  const from = ['-uroot', `--socket=${socketOf(plan, master)}`]
  const into = ['mariadb', '-uroot', `--socket=${socketOf(plan, h)}`, '--init-command=SET sql_log_bin=0']
  // The data, with the master's position (SET GLOBAL gtid_slave_pos) at the snapshot.
  await pipe(
    ['mariadb-dump', ...from, '--single-transaction', '--gtid', '--master-data=1', '--databases', 'persona'],
    into,
  )
  // Persona's accounts (the server's own stay as installed): its grant tables' rows, then reloaded.
  await pipe(
    [
      'mariadb-dump',
      ...from,
      '--single-transaction',
      '--no-create-info',
      '--replace',
      `--where=User NOT IN (${SERVER_ACCOUNTS})`,
      'mysql',
      'global_priv',
      'db',
      'tables_priv',
    ],
    into,
  )
  const k = rootKnex(socketOf(plan, h))
  try {
    await k.raw('FLUSH PRIVILEGES')
  } finally {
    await k.destroy()
  }
  return pid
}
