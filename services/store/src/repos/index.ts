// SPDX-License-Identifier: MPL-2.0
// The repositories grouped per side: `readerRepos(readerDb)` for the reader service (replica, SELECT
// only), `writerRepos(writerDb)` for the writer service (master; its repos also read, on the master).
import type { Db, WriterDb } from '../db.ts'
import { BackoffWriter } from './backoff.ts'
import type { RepoOptions } from './base.ts'
import { EmailsReader, EmailsWriter } from './emails.ts'
import { IdpsReader, IdpsWriter } from './idps.ts'
import { StagedReader, type StagedRepoOptions, StagedWriter } from './staged.ts'
import { UsersReader, UsersWriter } from './users.ts'

export interface ReaderRepos {
  readonly users: UsersReader
  readonly emails: EmailsReader
  readonly staged: StagedReader
  readonly idps: IdpsReader
}

export interface WriterRepos {
  readonly users: UsersWriter
  readonly backoff: BackoffWriter
  readonly emails: EmailsWriter
  readonly staged: StagedWriter
  readonly idps: IdpsWriter
}

export function readerRepos(db: Db, opts: RepoOptions = {}): ReaderRepos {
  return {
    users: new UsersReader(db, opts),
    emails: new EmailsReader(db, opts),
    staged: new StagedReader(db, opts),
    idps: new IdpsReader(db, opts),
  }
}

export function writerRepos(db: WriterDb, opts: StagedRepoOptions = {}): WriterRepos {
  return {
    users: new UsersWriter(db, opts),
    backoff: new BackoffWriter(db, opts),
    emails: new EmailsWriter(db, opts),
    staged: new StagedWriter(db, opts),
    idps: new IdpsWriter(db, opts),
  }
}

export {
  type BackoffState,
  type BackoffWrites,
  backoffScope,
} from './backoff.ts'
export type { StageInput, StageResult } from './staged.ts'
export type { RepoOptions, StagedRepoOptions }
export {
  BackoffWriter,
  EmailsReader,
  EmailsWriter,
  IdpsReader,
  IdpsWriter,
  StagedReader,
  StagedWriter,
  UsersReader,
  UsersWriter,
}
