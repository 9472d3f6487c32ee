// SPDX-License-Identifier: MPL-2.0
// A password attempt the reader checked, judged by the sign-in backoff (./backoff.ts) on the master:
// the account's scope (or the address's, when no account has it) and the client address's, settled in
// one transaction. When a wrong password starts the account's backoff, its owner is told by mail.
import { backoffScope } from '@persona/store'
import { knowsAccount } from '@persona/wsapi'
import { type BackoffPolicy, judge, type Verdict } from './backoff.ts'
import type { WriterConfig } from './config.ts'
import type { WriterContext } from './context.ts'

export function backoffPolicy(cfg: WriterConfig): BackoffPolicy {
  return {
    account: {
      after: cfg.ACCOUNT_BACKOFF_AFTER,
      baseMs: cfg.BACKOFF_BASE_MS,
      maxMs: cfg.ACCOUNT_BACKOFF_MAX_MS,
    },
    client: {
      after: cfg.CLIENT_BACKOFF_AFTER,
      baseMs: cfg.BACKOFF_BASE_MS,
      maxMs: cfg.CLIENT_BACKOFF_MAX_MS,
    },
    forgetMs: cfg.BACKOFF_FORGET_MS,
  }
}

/** What the reader found: the address tried, its account if any, and whether the password was right. */
export interface CheckedPassword {
  readonly email: string
  readonly userid?: number | undefined
  readonly ok: boolean
}

/** Judges the attempt; a refusal carries how long to wait. */
export async function settleAttempt(ctx: WriterContext, c: CheckedPassword): Promise<Verdict> {
  const account = c.userid === undefined ? backoffScope.address(c.email) : backoffScope.account(c.userid)
  const attempt = {
    account,
    accountWaitApplies: c.userid === undefined || !knowsAccount(ctx.session, c.userid),
    client: backoffScope.client(ctx.request.ip),
    ok: c.ok,
  }
  const policy = backoffPolicy(ctx.cfg)
  const verdict = await ctx.backoff.settle([account, attempt.client], (states, now) =>
    judge(policy, attempt, states, now),
  )
  if (verdict.admitted && verdict.backoffStarted && c.userid !== undefined) tellOwner(ctx, c.email)
  return verdict
}

/** Mails the owner after answering (in the language of the browser that tried: the only one we know). */
function tellOwner(ctx: WriterContext, to: string): void {
  ctx.mailer
    .notify({
      kind: 'signin-failures',
      to,
      failures: ctx.cfg.ACCOUNT_BACKOFF_AFTER,
      acceptLanguage: ctx.request.acceptLanguage,
    })
    .then(
      () => ctx.request.log.info({ event: 'mail.sent', kind: 'signin-failures' }, 'mail.sent'),
      (err: unknown) => ctx.request.log.error({ err, kind: 'signin-failures' }, 'mail.failed'),
    )
}

/** The internal calls' answer for a verdict. */
export function refusal(v: Verdict & { admitted: false }) {
  return { success: true, admitted: false, retry_after_ms: Math.max(1, Math.ceil(v.retryAfterMs)) } as const
}
