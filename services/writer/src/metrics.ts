// SPDX-License-Identifier: MPL-2.0
// The writer's counters, taken in one place from what each call answered (app.ts) and what the mailer
// reports, never inside a handler: sign-ups by kind and step (a link mailed, the account or address
// made), verification mails sent and failed by template, and the bcrypt queue, read at each scrape.
import { METRICS } from '@persona/kit'
import type { PasswordHasher } from '@persona/kit/password-hash'
import {
  ADD_EMAIL_WITH_ASSERTION,
  COMPLETE_EMAIL_CONFIRMATION,
  COMPLETE_USER_CREATION,
  CREATE_ACCOUNT_WITH_ASSERTION,
  STAGE_EMAIL,
  STAGE_USER,
  TOKEN_KINDS,
  type WsapiCall,
} from '@persona/wsapi'
import type { FastifyInstance } from 'fastify'
import type { Mailer } from './mailer.ts'

type Kind = 'password' | 'unverified' | 'primary' | 'address'
type Step = 'staged' | 'completed'

function field(v: unknown, key: string): unknown {
  return typeof v === 'object' && v !== null ? Reflect.get(v, key) : undefined
}

/** The sign-up step a successful answer of each call stands for. */
const SIGNUP_STEPS = new Map<WsapiCall, (body: unknown) => { kind: Kind; step: Step }>([
  // allowUnverified makes the account at once (its address confirmed later).
  [
    STAGE_USER,
    (b) =>
      field(b, 'unverified') === true
        ? { kind: 'unverified', step: 'completed' }
        : { kind: 'password', step: 'staged' },
  ],
  [COMPLETE_USER_CREATION, () => ({ kind: 'password', step: 'completed' })],
  [CREATE_ACCOUNT_WITH_ASSERTION, () => ({ kind: 'primary', step: 'completed' })],
  [STAGE_EMAIL, () => ({ kind: 'address', step: 'staged' })],
  [COMPLETE_EMAIL_CONFIRMATION, () => ({ kind: 'address', step: 'completed' })],
  [ADD_EMAIL_WITH_ASSERTION, () => ({ kind: 'address', step: 'completed' })],
])

export interface WriterCounters {
  /** A call ran through the pipeline and answered `body` (200). */
  answered(call: WsapiCall, body: unknown): void
}

export function registerWriterMetrics(
  app: FastifyInstance,
  hasher: PasswordHasher,
  mailer: Mailer,
): WriterCounters {
  const signups = app.metrics.use(METRICS.auth.signups)
  const sent = app.metrics.use(METRICS.mail.sent)
  const failed = app.metrics.use(METRICS.mail.failed)
  app.metrics.use(METRICS.auth.bcryptQueue, () => hasher.queued)
  // Every series from the start, so ratios and the funnel have data before the first sign-up.
  for (const kind of ['password', 'unverified', 'primary', 'address'] as const) {
    for (const step of ['staged', 'completed'] as const) {
      if ((kind === 'unverified' || kind === 'primary') && step === 'staged') continue
      signups.inc({ kind, step }, 0)
    }
  }
  for (const template of new Set<string>([
    ...Object.values(TOKEN_KINDS).map((k) => k.mail),
    'signin-failures',
  ])) {
    sent.inc({ template }, 0)
    failed.inc({ template }, 0)
  }
  mailer.observe((template, ok) => (ok ? sent : failed).inc({ template }))

  return {
    answered(call, body) {
      const step = SIGNUP_STEPS.get(call)
      if (step !== undefined && field(body, 'success') === true) signups.inc(step(body))
    },
  }
}
