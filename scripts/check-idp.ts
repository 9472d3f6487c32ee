// SPDX-License-Identifier: MPL-2.0
// make check-idp DOMAIN=example.com: is this domain a BrowserID identity provider, and if it means to
// be one, what is wrong with it (Persona's scripts/check_primary_support). The support documents come
// through Persona's proxy (PROXY_URL, default the local one), the only process that reaches other
// domains, so the answer is exactly what the verifier and the dialog would see. Exit status 1 on errors.
import { checkSupport, type SupportFetch } from '@persona/browserid'
import { SupportDocumentClient } from '@persona/proxy/client'

const PROXY_URL = process.env.PROXY_URL ?? 'http://127.0.0.1:10008'
const MARK = { ok: '✓', info: 'i', warning: '!', error: '✗' } as const

/** One support document through the proxy, by its one client (@persona/proxy/client). */
export async function fetchThroughProxy(
  client: SupportDocumentClient,
  domain: string,
): Promise<SupportFetch> {
  const got = await client.supportDocument(domain)
  if (got.kind === 'document') return { kind: 'found', document: got.document }
  if (got.kind === 'none') return { kind: 'none' }
  return { kind: 'failed', reason: got.reason }
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
  const r = await checkSupport(domain, (d) => fetchThroughProxy(client, d)).finally(() => client.close())
  console.log(`${r.domain}: ${r.verdict}${r.chain.length > 1 ? ` (${r.chain.join(' → ')})` : ''}`)
  for (const f of r.findings) console.log(`  ${MARK[f.severity]} ${f.message}`)
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
