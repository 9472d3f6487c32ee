// SPDX-License-Identifier: MPL-2.0
// make check-idp DOMAIN=example.com: is this domain a BrowserID identity provider, and if it means to
// be one, what is wrong with it (Persona's scripts/check_primary_support). The support documents come
// through Persona's proxy (PROXY_URL, default the local one), the only process that reaches other
// domains, so the answer is exactly what the verifier and the dialog would see. The findings read as on
// the /check_idp page, in the terminal's language (LC_ALL, LC_MESSAGES, LANG; English otherwise).
// The first line stays machine-readable: `<domain>: <verdict> [(<chain>)]`. Exit status 1 on errors.
import { checkSupport } from '@persona/browserid'
import { negotiate } from '@persona/l10n'
import { Catalog } from '@persona/l10n/catalog'
import { SupportDocumentClient } from '@persona/proxy/client'
import { findingText, SEVERITY_MARKS, verdictText } from '@persona/web/lib/idp-check'

const PROXY_URL = process.env.PROXY_URL ?? 'http://127.0.0.1:10008'

/** The terminal's language: `de_DE.UTF-8` -> de (POSIX's C and POSIX mean none). */
export function terminalLocale(env: Readonly<Record<string, string | undefined>>): string {
  const raw = env.LC_ALL || env.LC_MESSAGES || env.LANG || ''
  const tag = raw.split(/[.@]/)[0]?.replace('_', '-') ?? ''
  return negotiate(tag === '' || tag === 'C' || tag === 'POSIX' ? [] : [tag])
}

async function main(): Promise<number> {
  const domain = process.argv[2] ?? process.env.DOMAIN ?? ''
  if (!domain) {
    console.error('usage: make check-idp DOMAIN=example.com   (or node scripts/check-idp.ts example.com)')
    return 2
  }
  // Nothing cached between runs: each lookup asks the proxy (a document changed a minute ago shows).
  const client = new SupportDocumentClient({ proxyUrl: PROXY_URL, timeoutMs: 15_000, cache: { minTtlS: 0 } })
  try {
    await client.ping()
  } catch (e) {
    throw new Error(
      `the proxy at ${PROXY_URL} does not answer (${e instanceof Error ? e.message : e}); is Persona running (make dev)?`,
    )
  }
  const r = await checkSupport(domain, (d) => client.supportDocument(d)).finally(() => client.close())
  // No bidi isolation marks in a terminal (right-to-left text keeps them).
  const m = new Catalog('idp', undefined, { isolateLtr: false }).get(terminalLocale(process.env))
  console.log(`${r.domain}: ${r.verdict}${r.chain.length > 1 ? ` (${r.chain.join(' → ')})` : ''}`)
  if (r.chain.length > 0) console.log(verdictText(m, r.verdict, r.domain))
  for (const f of r.findings) {
    console.log(`  ${SEVERITY_MARKS[f.severity]} ${findingText(m, f)}`)
    if (typeof f.args.detail === 'string')
      console.log(`      ${m.format('idp-check-detail', { detail: f.args.detail })}`)
  }
  return r.findings.some((f) => f.severity === 'error') ? 1 : 0
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : e)
      process.exit(2)
    },
  )
}
