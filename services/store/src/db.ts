// SPDX-License-Identifier: MPL-2.0
// Connection factories: `openWriterDb` (master, writer account) and `openReaderDb` (replica, reader
// account), each a knex pool with short connect/acquire limits so a dead server fails fast with
// ERR_DATABASE_UNAVAILABLE. Also the read-your-writes pieces: `writerDb.lastGtid()` after a write,
// `readerDb.waitFor(gtid)` before a read, and `pingDb` for deep heartbeats.
import { readFileSync } from 'node:fs'
import { type DbErrorClass, PersonaError } from '@persona/kit'
import knexFactory, { type Knex } from 'knex'
import { type DbConfigValues, type DbRole, type DbSettings, dbSettings } from './config.ts'
import { dbErrorClass, dbErrorCode, toPersonaError } from './db-errors.ts'
import { gtidReached, parseGtidPos } from './gtid.ts'
import { num, rawRows, str } from './rows.ts'

export interface Db {
  readonly role: DbRole
  readonly knex: Knex
  readonly settings: DbSettings
  /** Resolves when the server answers `SELECT 1`; throws ERR_DATABASE_UNAVAILABLE otherwise. */
  ping(): Promise<void>
  /**
   * The server's GTID position now: what the master has written (`@@gtid_binlog_pos`) for a writer
   * pool, what the replica has applied (`@@gtid_current_pos`) for a reader pool.
   */
  position(): Promise<string>
  /** Calls `listener` for every failed statement or connection of this pool, with its class. */
  onError(listener: (cls: DbErrorClass) => void): void
  close(): Promise<void>
}

export interface WriterDb extends Db {
  readonly role: 'WRITER' | 'ADMIN'
  /**
   * The master's GTID position (`@@gtid_binlog_pos`) now. Call it after a write has committed: the
   * position contains that write, so a reader that waits for it sees the write.
   */
  lastGtid(): Promise<string>
  /** Runs `fn` in a transaction, retrying it on deadlock (twice). */
  transaction<T>(fn: (trx: Knex.Transaction) => Promise<T>): Promise<T>
}

export interface ReaderDb extends Db {
  readonly role: 'READER'
  /**
   * Waits until the replica has applied GTID position `gtid` (bounded by `timeoutMs`, default the
   * DB_GTID_WAIT_MS setting). Resolves at once for an empty position.
   * @throws {PersonaError} ERR_BAD_REQUEST for a malformed position; ERR_DATABASE_UNAVAILABLE when the
   *   replica does not reach it in time (stale data is never served silently).
   */
  waitFor(gtid: string, timeoutMs?: number): Promise<void>
}

/** Runs `fn`, turning driver errors into PersonaErrors (see db-errors.ts). */
export async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (e) {
    throw toPersonaError(e)
  }
}

function quiet(): void {}

function createKnex(s: DbSettings): Knex {
  const queryTimeoutS = (s.queryTimeoutMs ?? 5000) / 1000
  return knexFactory({
    client: 'mysql2',
    connection: {
      ...(s.socketPath === undefined ? { host: s.host, port: s.port } : { socketPath: s.socketPath }),
      user: s.user,
      password: s.password,
      database: s.database,
      timezone: 'Z',
      charset: 'utf8mb4',
      connectTimeout: s.connectTimeoutMs ?? 2000,
      supportBigNumbers: true,
      bigNumberStrings: false,
      dateStrings: false,
      // TLS when a CA is given: the server's certificate must chain to it and name the host dialled.
      ...(s.tlsCaFile === undefined
        ? {}
        : { ssl: { ca: readFileSync(s.tlsCaFile, 'utf8'), rejectUnauthorized: true } }),
    },
    pool: {
      min: 0,
      max: s.poolMax ?? 10,
      idleTimeoutMillis: 30000,
      createTimeoutMillis: s.connectTimeoutMs ?? 2000,
      createRetryIntervalMillis: 100,
      propagateCreateError: true,
      afterCreate: (conn: unknown, done: (err: Error | null, conn: unknown) => void) => {
        // Every timestamp is UTC; runaway statements are cut by the server.
        const c = conn
        if (typeof c !== 'object' || c === null || !('query' in c) || typeof c.query !== 'function') {
          done(new Error('unexpected connection object'), conn)
          return
        }
        c.query(`SET time_zone = '+00:00', max_statement_time = ${queryTimeoutS}`, (err: Error | null) =>
          done(err, conn),
        )
      },
    },
    acquireConnectionTimeout: s.acquireTimeoutMs ?? 2000,
    // Failures reach callers as PersonaErrors; knex's own console logging would only duplicate them.
    log: { warn: quiet, error: quiet, deprecate: quiet, debug: quiet },
  })
}

/** A pool's failure listeners: told of failed statements, connections not given, stale replicas. */
class ErrorEvents {
  readonly #listeners = new Set<(cls: DbErrorClass) => void>()

  /** Failed statements (knex's query-error) and connections the pool could not give (acquireFail). */
  constructor(knex: Knex) {
    knex.on('query-error', (e: unknown) => this.report(dbErrorClass(e)))
    const pool = knex.client.pool
    if (pool !== undefined && 'on' in pool && typeof pool.on === 'function') {
      pool.on('acquireFail', (_id: number, e: unknown) => this.report(dbErrorClass(e)))
    }
  }

  add(listener: (cls: DbErrorClass) => void): void {
    this.#listeners.add(listener)
  }

  report(cls: DbErrorClass): void {
    for (const l of this.#listeners) l(cls)
  }
}

function baseDb(role: DbRole, settings: DbSettings): { db: Db; errors: ErrorEvents } {
  const knex = createKnex(settings)
  const errors = new ErrorEvents(knex)
  const variable = role === 'READER' ? 'gtid_current_pos' : 'gtid_binlog_pos'
  const db: Db = {
    role,
    knex,
    settings,
    ping: () =>
      guard(async () => {
        await knex.raw('SELECT 1')
      }),
    position: () =>
      guard(async () => str(rawRows(await knex.raw(`SELECT @@GLOBAL.${variable} AS pos`))[0], 'pos')),
    onError: (l) => errors.add(l),
    close: () => knex.destroy(),
  }
  return { db, errors }
}

/** Opens a pool as `role` with explicit settings (the launcher, CLI and tests use this). */
export function openDb(role: 'READER', settings: DbSettings): ReaderDb
export function openDb(role: 'WRITER' | 'ADMIN', settings: DbSettings): WriterDb
export function openDb(role: DbRole, settings: DbSettings): ReaderDb | WriterDb {
  const { db, errors } = baseDb(role, settings)
  if (role === 'READER') return readerFrom(db, errors)
  return writerFrom(db, role)
}

function writerFrom(base: Db, role: 'WRITER' | 'ADMIN'): WriterDb {
  const { knex } = base
  return {
    ...base,
    role,
    lastGtid: () => base.position(),
    transaction: <T>(fn: (trx: Knex.Transaction) => Promise<T>) =>
      guard(async () => {
        for (let attempt = 0; ; attempt++) {
          try {
            return await knex.transaction(fn)
          } catch (e) {
            if (dbErrorCode(e) !== 'ER_LOCK_DEADLOCK' || attempt >= 2) throw e
          }
        }
      }),
  }
}

function readerFrom(base: Db, errors: ErrorEvents): ReaderDb {
  const { knex } = base
  const dflt = base.settings.gtidWaitMs ?? 1000
  return {
    ...base,
    role: 'READER',
    waitFor: async (gtid: string, timeoutMs = dflt) => {
      const want = parseGtidPos(gtid)
      if (want === undefined) throw new PersonaError('ERR_BAD_REQUEST', 'invalid gtid')
      if (want.size === 0) return
      const reached = await guard(async () => {
        // Fast path: the replica is usually already there. gtid_current_pos also covers a promoted
        // replica's own writes, which MASTER_GTID_WAIT (slave position only) would never see.
        const cur = str(rawRows(await knex.raw('SELECT @@GLOBAL.gtid_current_pos AS pos'))[0], 'pos')
        if (gtidReached(cur, gtid)) return true
        const r = rawRows(await knex.raw('SELECT MASTER_GTID_WAIT(?, ?) AS r', [gtid, timeoutMs / 1000]))
        const v = r[0] === undefined ? null : Reflect.get(Object(r[0]), 'r')
        if (v !== null && num(r[0], 'r') === 0) return true
        const after = str(rawRows(await knex.raw('SELECT @@GLOBAL.gtid_current_pos AS pos'))[0], 'pos')
        return gtidReached(after, gtid)
      })
      if (!reached) {
        errors.report('stale')
        throw new PersonaError('ERR_DATABASE_UNAVAILABLE', 'database unavailable', {
          detail: `replica did not reach gtid ${gtid} within ${timeoutMs} ms`,
        })
      }
    },
  }
}

/** The writer's pool on the master, from a config loaded with `dbConfig('WRITER')`. */
export function openWriterDb(cfg: DbConfigValues<'WRITER'>): WriterDb {
  return openDb('WRITER', dbSettings(cfg, 'WRITER'))
}

/** The reader's pool on the replica, from a config loaded with `replicaDbConfig()`. */
export function openReaderDb(cfg: DbConfigValues<'READER'>): ReaderDb {
  return openDb('READER', dbSettings(cfg, 'READER'))
}

/** A deep-heartbeat check for the kit's `deepChecks`: `{ name: 'db', check: () => pingDb(db) }`. */
export function pingDb(db: Db): Promise<void> {
  return db.ping()
}

/** The kit DeepCheck for a pool, named after the side it reaches. */
export function dbDeepCheck(db: Db): { name: string; check: () => Promise<void> } {
  return { name: db.role === 'READER' ? 'db-replica' : 'db-master', check: () => db.ping() }
}
