// SPDX-License-Identifier: MPL-2.0
// make check-idp DOMAIN=example.com: is this domain a BrowserID identity provider, and if it means to
// be one, what is wrong with it (Persona's scripts/check_primary_support). The support documents come
// through Persona's proxy (PROXY_URL, default the local one), the only process that reaches other
// domains, so the answer is exactly what the verifier and the dialog would see. Exit status 1 on errors.
import { checkSupport, type SupportFetch } from '@persona/browserid'

const PROXY_URL = process.env.PROXY_URL ?? 'http://127.0.0.1:10008'
const MARK = { ok: '✓', info: 'i', warning: '!', error: '✗' } as const

/** One support document through the proxy's GET /wellknown?domain= (services/proxy/README.md). */
export async function fetchThroughProxy(proxyUrl: string, domain: string): Promise<SupportFetch> {
  const url = new URL('/wellknown', proxyUrl)
  url.searchParams.set('domain', domain)
  let res: Response
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(15_000) })
  } catch (e) {
    throw new Error(
      `the proxy at ${proxyUrl} does not answer (${e instanceof Error ? e.message : e}); is Persona running (make dev)?`,
    )
  }
  const body: unknown = await res.json().catch(() => undefined)
  if (res.status === 200) return { kind: 'found', document: body }
  if (res.status === 404) return { kind: 'none' }
  const reason = typeof body === 'object' && body !== null ? Reflect.get(body, 'reason') : undefined
  return { kind: 'failed', reason: typeof reason === 'string' ? reason : `the proxy answered ${res.status}` }
}

async function main(): Promise<number> {
  const domain = process.argv[2] ?? process.env.DOMAIN ?? ''
  if (!domain) {
    console.error('usage: make check-idp DOMAIN=example.com   (or node scripts/check-idp.ts example.com)')
    return 2
  }
  const r = await checkSupport(domain, (d) => fetchThroughProxy(PROXY_URL, d))
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
