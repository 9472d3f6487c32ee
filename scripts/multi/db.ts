// SPDX-License-Identifier: MPL-2.0
// The simulation's database hosts: one mariadbd per db host, in its namespace, on its own address and
// port 3306, with the store launcher's server settings (GTID, semi-sync, read-only replicas). The first
// cluster's first db host starts as the master; every other one replicates from it. The accounts and
// schema are made on the master by the store's bootstrap and migrations, and reach the replicas by
// replication. Root reaches each server through its unix socket, from the machine's namespace.
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { type AccountPasswords, bootstrap } from '@persona/store/bootstrap'
import { DB_ACCOUNTS } from '@persona/store/config'
import { openDb } from '@persona/store/db'
import {
  connectReplica,
  createReplicationAccount,
  initDataDirs,
  rootKnex,
  serverArgs,
  tmpDirOf,
  waitCaughtUp,
  waitReady,
  waitSemiSyncClient,
} from '@persona/store/launcher'
import { migrateLatest } from '@persona/store/migrate'
import { type Host, hostsOf, MASTER_NAME, type Plan, paths, replicaName } from './plan.ts'
import { alive, type ProcSpec, startProc } from './procs.ts'
import { ensureCert } from './tls.ts'

export const DB_PORT = 3306
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

/** Initialises and starts every db host, makes accounts and schema, attaches the replicas. */
export async function startDbHosts(
  plan: Plan,
  master: Host,
  passwords: AccountPasswords,
  replPassword: string,
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
    await createReplicationAccount(mk, replPassword)
    await mk.raw('SET GLOBAL rpl_semi_sync_master_enabled = ON')
    await Promise.all(
      // Replication crosses regions too: over TLS, each replica checking the master's certificate.
      rks.map((k) => connectReplica(k, { host: master.address, port: DB_PORT }, replPassword, tls.caFile)),
    )
    await waitSemiSyncClient(mk, 15_000)
    await bootstrap(mk, passwords, { database: 'persona' })
    // Writers reach the master across regions, readers their replica: neither may connect in clear.
    for (const role of ['WRITER', 'READER'] as const) {
      await mk.raw('ALTER USER ?@? REQUIRE SSL', [DB_ACCOUNTS[role], '%'])
    }
    const admin = openDb('ADMIN', {
      host: master.address,
      port: DB_PORT,
      user: DB_ACCOUNTS.ADMIN,
      password: passwords.admin,
      database: 'persona',
    })
    try {
      await migrateLatest(admin.knex)
    } finally {
      await admin.close()
    }
    await Promise.all(rks.map((k) => waitCaughtUp(mk, k)))
  } finally {
    await Promise.all([mk.destroy(), ...rks.map((k) => k.destroy())])
  }
  return { pids, ms: Math.round(performance.now() - t0) }
}
