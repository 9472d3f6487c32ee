// SPDX-License-Identifier: MPL-2.0
// The writer on its own, for in-process tests (fastify/demo's `build` + `inject`): a real MariaDB master
// + replica, a real SMTP listener (the mail catcher), and the writer app called as the reader calls it
// (writer token, internal API version, the session in `x-persona-session`).
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { INTERNAL_API_HEADER, INTERNAL_API_VERSION, INTERNAL_TOKEN_HEADER } from '@persona/kit'
import { type DatabasePair, haveMariadb, startDatabases } from '@persona/store/launcher'
import {
  CLIENT_IP_HEADER,
  decodeSessionUpdate,
  encodeHeader,
  GTID_HEADER,
  SESSION_HEADER,
  type SessionUpdate,
  type SharedSession,
  VERIFIED_HEADER,
  type VerifiedFacts,
} from '@persona/wsapi'
import type { FastifyInstance } from 'fastify'
import {
  type CaughtMessage,
  caughtIds,
  type MailCatcher,
  startMailCatcher,
  waitForCaught,
} from '../../../test/fixtures/mailcatcher/index.ts'

export { tokenOf } from '../../../test/fixtures/mailcatcher/index.ts'

import { buildApp } from '../src/app.ts'
import { loadWriterConfig } from '../src/config.ts'

export const SKIP = haveMariadb() ? false : 'mariadb-server is not installed'
export const TOKEN = 'writer-token-for-writer-tests-0123'
export const SITE = 'https://rp.example.com'

export interface Answer {
  readonly status: number
  readonly body: Record<string, unknown>
  /** The session the writer sends back, when it changed it. */
  readonly update: SessionUpdate | undefined
  readonly gtid: string | undefined
}

export interface CallOptions {
  readonly session?: SharedSession
  readonly verified?: VerifiedFacts
  readonly method?: 'GET' | 'POST'
  /** Sent as the writer token; `null` sends none. */
  readonly token?: string | null
  readonly clientIp?: string
}

export interface WriterUnderTest {
  readonly app: FastifyInstance
  readonly db: DatabasePair
  readonly mail: MailCatcher
  /** Calls `/wsapi/<name>` as the reader would. */
  call(name: string, args?: Record<string, unknown>, opts?: CallOptions): Promise<Answer>
  /** Ids of the messages caught so far. */
  mark(): ReadonlySet<string>
  /** The newest message to `to` not in `seen`, waiting up to 10 s. */
  waitForMail(to: string, seen?: ReadonlySet<string>): Promise<CaughtMessage>
  stop(): Promise<void>
}

export async function startWriter(env: Record<string, string> = {}): Promise<WriterUnderTest> {
  const dir = await mkdtemp(join(tmpdir(), 'persona-writer-'))
  const db = await startDatabases({
    dir: join(dir, 'db'),
    passwords: { admin: 'w-admin-pw', writer: 'w-writer-pw', reader: 'w-reader-pw' },
  })
  const mail = await startMailCatcher({ smtpPort: 0, httpPort: 0 })
  const app = await buildApp(
    loadWriterConfig({
      ...db.env('WRITER'),
      WRITER_TOKEN: TOKEN,
      PUBLIC_URL: 'http://127.0.0.1:8080',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(mail.smtpPort),
      BCRYPT_ROUNDS: '4',
      ...env,
    }),
    { logger: false, checkReplies: true },
  )
  return {
    app,
    db,
    mail,
    call: async (name, args = {}, opts = {}) => {
      const method = opts.method ?? 'POST'
      const headers: Record<string, string> = {
        [INTERNAL_API_HEADER]: String(INTERNAL_API_VERSION),
        [CLIENT_IP_HEADER]: opts.clientIp ?? '192.0.2.1',
        'content-type': 'application/json',
      }
      if (opts.token !== null) headers[INTERNAL_TOKEN_HEADER] = opts.token ?? TOKEN
      if (opts.session !== undefined) headers[SESSION_HEADER] = encodeHeader(opts.session)
      if (opts.verified !== undefined) headers[VERIFIED_HEADER] = encodeHeader(opts.verified)
      const qs =
        method === 'GET'
          ? `?${new URLSearchParams(Object.entries(args).map(([k, v]) => [k, String(v)]))}`
          : ''
      const res = await app.inject({
        method,
        url: `/wsapi/${name}${qs}`,
        headers,
        ...(method === 'POST' ? { payload: JSON.stringify(args) } : {}),
      })
      const gtid = res.headers[GTID_HEADER]
      const session = res.headers[SESSION_HEADER]
      return {
        status: res.statusCode,
        body: res.json<Record<string, unknown>>(),
        update: typeof session === 'string' ? decodeSessionUpdate(session) : undefined,
        gtid: typeof gtid === 'string' ? gtid : undefined,
      }
    },
    mark: () => caughtIds(mail),
    waitForMail: (to, seen) => waitForCaught(mail, to, seen),
    stop: async () => {
      await app.close().catch(() => {})
      await mail.stop().catch(() => {})
      await db.stop().catch(() => {})
      await rm(dir, { recursive: true, force: true })
    },
  }
}
