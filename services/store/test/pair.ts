// SPDX-License-Identifier: MPL-2.0
// Test helper: a fresh master + replica in a temp dir per test file, stopped and removed in after().
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '@persona/kit'
import { Type } from 'typebox'
import { DB_ACCOUNTS, dbConfig, replicaDbConfig } from '../src/config.ts'
import { openDb, openReaderDb, openWriterDb, type ReaderDb, type WriterDb } from '../src/db.ts'
import { type DatabasePair, haveMariadb, type StartOptions, startDatabases } from '../src/launcher.ts'

export const SKIP = haveMariadb()
  ? false
  : 'mariadb-server is not installed (mariadbd / mariadb-install-db missing)'

export const PASSWORDS = {
  admin: 'test-admin-pw',
  writer: 'test-writer-pw',
  reader: 'test-reader-pw',
  monitor: 'test-monitor-pw',
}

export interface TestPair {
  readonly pair: DatabasePair
  readonly dir: string
  writer(extra?: Record<string, string>): WriterDb
  reader(extra?: Record<string, string>): ReaderDb
  /** The admin account on the master (schema changes, reading tables as a dump would). */
  admin(): WriterDb
  cleanup(): Promise<void>
}

export async function startTestPair(
  opts: Partial<Omit<StartOptions, 'dir' | 'passwords'>> = {},
): Promise<TestPair> {
  const dir = await mkdtemp(join(tmpdir(), 'persona-store-'))
  const pair = await startDatabases({ dir, passwords: PASSWORDS, ...opts })
  const opened: (WriterDb | ReaderDb)[] = []
  return {
    pair,
    dir,
    writer: (extra = {}) => {
      const db = openWriterDb(
        loadConfig(Type.Object(dbConfig('WRITER')), { ...pair.env('WRITER'), ...extra }),
      )
      opened.push(db)
      return db
    },
    reader: (extra = {}) => {
      const db = openReaderDb(loadConfig(Type.Object(replicaDbConfig()), { ...pair.env('READER'), ...extra }))
      opened.push(db)
      return db
    },
    admin: () => {
      const db = openDb('ADMIN', {
        host: pair.master.host,
        port: pair.master.port,
        user: DB_ACCOUNTS.ADMIN,
        password: PASSWORDS.admin,
        database: pair.database,
      })
      opened.push(db)
      return db
    },
    cleanup: async () => {
      await Promise.allSettled(opened.map((d) => d.close()))
      await pair.stop()
      await rm(dir, { recursive: true, force: true })
    },
  }
}
