// SPDX-License-Identifier: MPL-2.0
// Mailed links: the per-address throttle (Persona's min_time_between_emails_ms), staging a token that this
// browser remembers (TOKEN_KINDS), and sending its mail after answering.
import { PersonaError } from '@persona/kit'
import type { StagedKind, StageInput } from '@persona/store'
import { rememberToken, TOKEN_KINDS } from '@persona/wsapi'
import type { WriterContext } from './context.ts'

const THROTTLED = 'Too many emails sent to that address, try again later.'

/** Who asked for the mail, and how it should look (the `site` arguments). */
export interface SiteArgs {
  readonly site: string
  readonly backgroundColor?: string
  readonly siteLogo?: string
}

/** One mail per address per MIN_EMAIL_INTERVAL_MS. @throws {PersonaError} ERR_RATE_LIMITED */
export async function throttle(ctx: WriterContext, email: string): Promise<void> {
  const last = await ctx.staging.lastStagedAt(email)
  if (last !== undefined && Date.now() - last.getTime() < ctx.cfg.MIN_EMAIL_INTERVAL_MS) {
    throw new PersonaError('ERR_RATE_LIMITED', THROTTLED)
  }
}

/** Stages `input`, remembers its token in the session, and mails its link. Returns the token. */
export async function stageAndMail(ctx: WriterContext, input: StageInput, site: SiteArgs): Promise<string> {
  const { secret } = await ctx.staging.stage(input)
  rememberToken(ctx.session, input.kind, secret)
  sendLink(ctx, input.kind, input.email, secret, site)
  return secret
}

/** Sends after answering; a failed delivery is logged, the token stays valid for a retry. */
export function sendLink(
  ctx: WriterContext,
  kind: StagedKind,
  to: string,
  token: string,
  site: SiteArgs,
): void {
  const mail = TOKEN_KINDS[kind].mail
  ctx.mailer
    .send({
      kind: mail,
      to,
      site: site.site,
      token,
      backgroundColor: site.backgroundColor,
      siteLogo: site.siteLogo,
      // The reader forwards the browser's; the mail goes out in that language.
      acceptLanguage: ctx.request.acceptLanguage,
    })
    .then(
      () => ctx.request.log.info({ event: 'mail.sent', kind: mail }, 'mail.sent'),
      (err: unknown) => ctx.request.log.error({ err, kind: mail }, 'mail.failed'),
    )
}
