// SPDX-License-Identifier: MPL-2.0
// The writer's resources: the master pool and repositories, bcrypt, the mailer and its settings.
import type { EmailsWriter, IdpsWriter, StagedWriter, UsersWriter, WriterDb } from '@persona/store'
import type { PasswordHasher } from '@persona/wsapi'
import type { WriterConfig } from './config.ts'
import type { Mailer } from './mailer.ts'

export interface WriterEnv {
  readonly cfg: WriterConfig
  readonly db: WriterDb
  readonly users: UsersWriter
  readonly emails: EmailsWriter
  readonly staged: StagedWriter
  readonly idps: IdpsWriter
  readonly hasher: PasswordHasher
  readonly mailer: Mailer
}
