// SPDX-License-Identifier: MPL-2.0
// Where a verifier's CPU goes under load: one verifier process (VERIFIER_WORKERS=1) run with --cpu-prof
// while vegeta drives it (closed loop, 10 connections; PROFILE_KEEPALIVE=false for a new connection per
// request; PROFILE_CACHE=0 for the certificate cache off), then the profile summed by self time per
// function and per area. `node test/bench/profile-verifier.ts` (not part of `npm run bench`); the
// .cpuprofile is kept (path printed) for a flame graph in Chrome DevTools or speedscope.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bundleAssertion, generateKeyPair, signAssertion, signCertificate } from '@persona/browserid'
import { freePorts } from '@persona/kit'
import { start } from './lib/procs.ts'
import { attack, haveVegeta } from './lib/vegeta.ts'

const S = Number(process.env.PROFILE_S ?? 5)
const KEEPALIVE = process.env.PROFILE_KEEPALIVE !== 'false'
const root = new URL('../../', import.meta.url).pathname
if (!haveVegeta()) throw new Error('vegeta is not built: bash scripts/deps.sh bench')

const dir = mkdtempSync(join(tmpdir(), 'verifier-profile-'))
const idpKey = await generateKeyPair('RS256')
const users = await Promise.all(Array.from({ length: 30 }, () => generateKeyPair('DS128')))
const now = Date.now()
const bodies = Array.from({ length: 300 }, (_, i) => {
  const u = users[i % users.length]
  if (u === undefined) throw new TypeError('no user')
  const cert = signCertificate(
    {
      issuer: 'mail.example',
      publicKey: u.publicKey,
      email: `u${i}@mail.example`,
      iat: now,
      exp: now + 3600_000,
    },
    idpKey.secretKey,
  )
  const assertion = bundleAssertion(
    [cert],
    signAssertion({ audience: 'https://rp.example', exp: now + 3600_000 }, u.secretKey),
  )
  return JSON.stringify({ assertion, audience: 'https://rp.example' })
})
const doc = JSON.stringify({
  'public-key': idpKey.publicKey.toJSON(),
  authentication: '/a',
  provisioning: '/p',
})
const idp = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=3600' }).end(doc)
})
await new Promise<void>((r) => idp.listen(0, '127.0.0.1', r))
const [proxyPort, port] = (await freePorts(2)) as [number, number]
const keyFile = join(dir, 'public.key')
writeFileSync(keyFile, idpKey.publicKey.serialize())
const env = { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' }
const proxy = await start(
  process.execPath,
  [join(root, 'services/proxy/src/server.ts')],
  {
    ...env,
    PROXY_PORT: String(proxyPort),
    SHIMMED_PRIMARIES: `mail.example=http://127.0.0.1:${(idp.address() as AddressInfo).port}`,
  },
  `http://127.0.0.1:${proxyPort}/__heartbeat__`,
)
const verifier = await start(
  process.execPath,
  ['--cpu-prof', `--cpu-prof-dir=${dir}`, join(root, 'services/verifier/src/server.ts')],
  {
    ...env,
    VERIFIER_PORT: String(port),
    VERIFIER_WORKERS: '1',
    VERIFIER_CERT_CACHE_SIZE: process.env.PROFILE_CACHE ?? '100000',
    PROXY_URL: `http://127.0.0.1:${proxyPort}`,
    PUBLIC_KEY_FILE: keyFile,
    ISSUER_DOMAIN: 'login.bench.example',
  },
  `http://127.0.0.1:${port}/__heartbeat__`,
)
const url = `http://127.0.0.1:${port}/verify`
const o = await attack({ url, bodies, seconds: S, rate: 0, workers: 10, keepAlive: KEEPALIVE }, dir)
await verifier.stop()
await proxy.stop()
idp.close()
console.log(`${o.okay} okay in ${o.seconds.toFixed(1)} s (keep-alive ${KEEPALIVE}); ${o.other} other`)

interface Node {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  hitCount?: number
  children?: number[]
}
const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))
if (file === undefined) throw new Error('no profile written')
const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
  nodes: Node[]
  startTime: number
  endTime: number
  samples: number[]
}
const total = profile.samples.length
const byFn = new Map<string, number>()
const byArea = new Map<string, number>()
const area = (n: Node): string => {
  const { functionName: f, url: u } = n.callFrame
  if (f === '(idle)') return 'idle'
  if (f === '(garbage collector)') return 'garbage collection'
  if (f === '(program)') return 'native (program)'
  if (f === 'verify' && u.includes('node:internal/crypto')) return 'signature checks (node:crypto)'
  if (u.includes('/browserid/')) return '@persona/browserid (parse, claims, keys)'
  if (u.includes('/services/verifier/')) return 'verifier service code'
  if (u.includes('/services/kit/') || u.includes('prom-client')) return 'kit (logging, metrics, hooks)'
  if (u.includes('pino')) return 'pino'
  if (u.includes('fastify') || u.includes('find-my-way') || u.includes('avvio')) return 'fastify'
  if (u.includes('lru-cache')) return 'lru-cache'
  if (u.startsWith('node:') || u === '') return 'node core (http, net, streams, timers)'
  return 'other modules'
}
for (const n of profile.nodes) {
  const hits = n.hitCount ?? 0
  if (hits === 0) continue
  const key = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/(node_modules|services)\//, '')}:${n.callFrame.lineNumber + 1}`
  byFn.set(key, (byFn.get(key) ?? 0) + hits)
  const a = area(n)
  byArea.set(a, (byArea.get(a) ?? 0) + hits)
}
const busy = total - (byArea.get('idle') ?? 0)
const pct = (h: number) => `${((100 * h) / busy).toFixed(1).padStart(5)}%`
console.log(`\nself time by area (share of busy samples; ${busy} of ${total} samples busy)`)
for (const [a, h] of [...byArea].filter(([a]) => a !== 'idle').sort((x, y) => y[1] - x[1])) {
  console.log(`  ${pct(h)}  ${a}`)
}
console.log('\ntop functions by self time')
for (const [f, h] of [...byFn]
  .filter(([f]) => !f.startsWith('(idle)'))
  .sort((x, y) => y[1] - x[1])
  .slice(0, 25)) {
  console.log(`  ${pct(h)}  ${f}`)
}
console.log(`\nprofile: ${join(dir, file)}`)
