// SPDX-License-Identifier: MPL-2.0
// Test harness: a real proxy process-equivalent (its app on a real port) with SHIMMED_PRIMARIES pointing
// at local IdP listeners, and the verifier app listening on a real port in front of it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildApp as buildProxy } from '@persona/proxy/app'
import { proxyConfig } from '@persona/proxy/config'
import { buildApp, type VerifierDeps } from '../src/app.ts'
import { verifierConfig } from '../src/config.ts'

export interface IdpListener {
  readonly server: Server
  readonly origin: string
  /** Requests it has answered. */
  hits: number
}

/** A local IdP answering `/.well-known/browserid` with `doc` (404 when null). */
export async function startIdp(
  doc: unknown,
  cacheControl = 'max-age=600',
  gate?: () => Promise<void>,
): Promise<IdpListener> {
  const state = { hits: 0 }
  const server = createServer(async (req, res) => {
    state.hits++
    await gate?.()
    if (req.url !== '/.well-known/browserid' || doc === null) {
      res.writeHead(404).end()
      return
    }
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': cacheControl })
    res.end(JSON.stringify(doc))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    server,
    origin,
    get hits() {
      return state.hits
    },
    set hits(v: number) {
      state.hits = v
    },
  }
}

export interface Harness {
  readonly url: string
  /** Connections the verifier has accepted and not closed. */
  connections(): Promise<number>
  readonly idps: Record<string, IdpListener>
  close(): Promise<void>
}

export async function startHarness(opts: {
  fallbackDomain: string
  fallbackPublicKey: unknown
  documents: Record<string, unknown>
  now?: () => number
  workers?: number
  /** Verify inline on this thread, as each cluster worker does (workers is then ignored). */
  inline?: boolean
  /** Extra verifier settings (environment names). */
  env?: Record<string, string>
  certificates?: VerifierDeps['certificates']
  onLoadStats?: VerifierDeps['onLoadStats']
  loopSample?: VerifierDeps['loopSample']
  /** Per domain: the IdP answers only once this resolves. */
  gates?: Record<string, () => Promise<void>>
}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'verifier-'))
  const keyFile = join(dir, 'public.key')
  writeFileSync(keyFile, JSON.stringify(opts.fallbackPublicKey))
  const idps: Record<string, IdpListener> = {}
  for (const [domain, doc] of Object.entries(opts.documents)) {
    idps[domain] = await startIdp(doc, undefined, opts.gates?.[domain])
  }
  const shims = Object.entries(idps)
    .map(([d, l]) => `${d}=${l.origin}`)
    .join(',')
  const proxy = await buildProxy(proxyConfig({ SHIMMED_PRIMARIES: shims, PROXY_PORT: '0' }), {
    logger: false,
  })
  await proxy.listen({ host: '127.0.0.1', port: 0 })
  const proxyUrl = `http://127.0.0.1:${(proxy.server.address() as AddressInfo).port}`
  const cfg = verifierConfig({
    VERIFIER_PORT: '0',
    PROXY_URL: proxyUrl,
    PUBLIC_KEY_FILE: keyFile,
    ISSUER_DOMAIN: opts.fallbackDomain,
    VERIFIER_WORKERS: String(opts.workers ?? 1),
    // Functional tests run beside others on shared cores: shedding on delay is tested on its own.
    VERIFIER_MAX_LAG_MS: '0',
    ...opts.env,
  })
  const app = await buildApp(opts.inline === true ? { ...cfg, workers: 0 } : cfg, {
    logger: false,
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.certificates ? { certificates: opts.certificates } : {}),
    ...(opts.onLoadStats ? { onLoadStats: opts.onLoadStats } : {}),
    ...(opts.loopSample ? { loopSample: opts.loopSample } : {}),
  })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
  return {
    url,
    connections: () =>
      new Promise((resolve, reject) => app.server.getConnections((e, n) => (e ? reject(e) : resolve(n)))),
    idps,
    async close() {
      await app.close()
      await proxy.close()
      for (const l of Object.values(idps)) l.server.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export async function post(
  url: string,
  body: string | undefined,
  contentType?: string,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, {
    method: 'POST',
    ...(contentType === undefined ? {} : { headers: { 'content-type': contentType } }),
    ...(body === undefined ? {} : { body }),
  })
  const text = await res.text()
  return { status: res.status, json: JSON.parse(text) }
}
