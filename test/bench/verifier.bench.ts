// SPDX-License-Identifier: MPL-2.0
// The verifier as a relying site sees it (issue 20), every figure beside its reference measured in the
// same run: Mozilla's browserid-verifier v0.10.1 when MOZILLA_VERIFIER_DIR names a prepared copy (its
// code is never part of this repository), and the raw cost of the two signature checks. 300 distinct
// bundles of a primary IdP (RS256 certificate + DS128 assertion); vegeta as the load generator, closed
// loop of 10 connections for the maximum, constant arrival rates for latency at fixed load. CPU is
// charged per verification from /proc (the load generator and nginx share the 2 cores, so rates alone
// would measure the machine, not the verifier).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  bundleAssertion,
  generateKeyPair,
  isFailure,
  parseBundle,
  type SecretKey,
  signAssertion,
  signCertificate,
  signJws,
  verifyChainSignatures,
} from '@persona/browserid'
import { freePorts } from '@persona/kit'
import { nginxUpstreams, renderNginxConfig, verifyMaxConnsFor } from '../../nginx/render.ts'
import { cpuSeconds, peakMiB, type Started, start } from './lib/procs.ts'
import { rawVerifyCost } from './lib/raw.ts'
import { type Attack, attack, haveVegeta, type Outcome } from './lib/vegeta.ts'

const S = Number(process.env.BENCH_ROUND_S ?? 3)
const BUNDLES = 300
const AUDIENCE = 'https://rp.example'
const DOMAIN = 'mail.example'
const CORES = availableParallelism()
const MOZILLA = process.env.MOZILLA_VERIFIER_DIR
const RATES = (process.env.BENCH_RATES ?? '500,1000,2000').split(',').map(Number)
const root = new URL('../../', import.meta.url).pathname

if (!haveVegeta()) {
  console.log('skipped: vegeta is not built (scripts/deps.sh bench builds it into .tools/bin; needs Go)')
  process.exit(0)
}

const dir = mkdtempSync(join(tmpdir(), 'verifier-bench-'))
const running: Started[] = []
const idpKey = await generateKeyPair('RS256')
const users = await Promise.all(Array.from({ length: 30 }, () => generateKeyPair('DS128')))
const now = Date.now()
const HOUR = 3600_000

/** One bundle: certificate for `email` from `issuer`, assertion for AUDIENCE. */
function bundle(issuer: string, email: string, user: number, signer: SecretKey = idpKey.secretKey): string {
  const u = users[user % users.length]
  if (u === undefined) throw new TypeError('no user key')
  const cert = signCertificate(
    { issuer, publicKey: u.publicKey, email, iat: now, exp: now + 2 * HOUR },
    signer,
  )
  return bundleAssertion([cert], signAssertion({ audience: AUDIENCE, exp: now + 2 * HOUR }, u.secretKey))
}
const body = (assertion: string) => JSON.stringify({ assertion, audience: AUDIENCE })

// A primary IdP for both verifiers: its document at /.well-known/browserid on a local port.
const doc = JSON.stringify({
  'public-key': idpKey.publicKey.toJSON(),
  authentication: '/a',
  provisioning: '/p',
})
const idp = createServer((req, res) => {
  if (!req.url?.startsWith('/.well-known/browserid')) return void res.writeHead(404).end()
  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=3600' }).end(doc)
})
await new Promise<void>((r) => idp.listen(0, '127.0.0.1', r))
const idpAt = `127.0.0.1:${(idp.address() as AddressInfo).port}`

const ours = Array.from({ length: BUNDLES }, (_, i) => body(bundle(DOMAIN, `u${i}@${DOMAIN}`, i)))
// Mozilla's verifier takes host:port as a domain and fetches over HTTP when told to (its test mode); our
// library refuses such an issuer, so these certificates are assembled by hand (same fields, same key).
const theirs = Array.from({ length: BUNDLES }, (_, i) => {
  const u = users[i % users.length]
  if (u === undefined) throw new TypeError('no user key')
  const payload = {
    'public-key': u.publicKey.toJSON(),
    principal: { email: `u${i}@${idpAt}` },
    iat: now,
    exp: now + 2 * HOUR,
    iss: idpAt,
  }
  const cert = signJws(payload, idpKey.secretKey)
  return body(
    bundleAssertion([cert], signAssertion({ audience: AUDIENCE, exp: now + 2 * HOUR }, u.secretKey)),
  )
})

// The raw limit: the same two signature checks with keys imported beforehand, per CPU-second.
const sample = parseBundle(JSON.parse(ours[0] ?? '{}').assertion)
if (isFailure(sample)) throw new Error('bench bundle does not parse')
if (verifyChainSignatures(sample, idpKey.publicKey.toJSON(), AUDIENCE, Date.now()).status !== 'okay') {
  throw new Error('bench bundle does not verify')
}
const rawMs = rawVerifyCost(JSON.parse(ours[0] ?? '{}').assertion, idpKey.publicKey)

const ports = await freePorts(6)
const [proxyPort, onPort, offPort, nginxOn, nginxOff, mozPort] = ports as [
  number,
  number,
  number,
  number,
  number,
  number,
]
const keyFile = join(dir, 'public.key')
writeFileSync(keyFile, (await generateKeyPair('RS256')).publicKey.serialize())
const env = { ...process.env, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn' }

try {
  running.push(
    await start(
      process.execPath,
      [join(root, 'services/proxy/src/server.ts')],
      { ...env, PROXY_PORT: String(proxyPort), SHIMMED_PRIMARIES: `${DOMAIN}=http://${idpAt}` },
      `http://127.0.0.1:${proxyPort}/__heartbeat__`,
    ),
  )
  const verifier = (port: number, extra: Record<string, string>) =>
    start(
      process.execPath,
      [join(root, 'services/verifier/src/server.ts')],
      {
        ...env,
        VERIFIER_PORT: String(port),
        PROXY_URL: `http://127.0.0.1:${proxyPort}`,
        PUBLIC_KEY_FILE: keyFile,
        ISSUER_DOMAIN: 'login.bench.example',
        ...extra,
      },
      `http://127.0.0.1:${port}/__heartbeat__`,
    )
  // Two verifiers, one loaded at a time: as deployed (certificate cache on), and with the cache off.
  const on = await verifier(onPort, {})
  const off = await verifier(offPort, { VERIFIER_CERT_CACHE_SIZE: '0' })
  running.push(on, off)
  const nginx = async (port: number, upstream: number): Promise<Started> => {
    const run = join(dir, `nginx-${port}`)
    mkdirSync(run)
    const conf = renderNginxConfig({
      mode: 'local',
      listen: { address: '127.0.0.1', port },
      upstreams: { ...nginxUpstreams(), verifier: `127.0.0.1:${upstream}` },
      accessLog: '/dev/null',
      errorLog: join(dir, `nginx-${port}-error.log`),
      runDir: run,
      // The per-address limit off (NGINX_VERIFY_RATE=0): a relying site posts from a few addresses.
      rateLimits: { verify: { rate: 1_000_000, burst: 1_000_000 } },
      // As in production: one nginx worker per core (make dev's local config has one).
      workerProcesses: 'auto',
    })
    const file = join(dir, `nginx-${port}.conf`)
    writeFileSync(file, conf)
    return start('/usr/sbin/nginx', ['-c', file, '-p', dir, '-e', 'stderr'], env, `http://127.0.0.1:${port}/`)
  }
  const viaOn = await nginx(nginxOn, onPort)
  const viaOff = await nginx(nginxOff, offPort)
  running.push(viaOn, viaOff)
  let moz: Started | undefined
  if (MOZILLA !== undefined) {
    moz = await start(
      process.execPath,
      [join(MOZILLA, 'server.js')],
      {
        ...env,
        PORT: String(mozPort),
        IP_ADDRESS: '127.0.0.1',
        FORCE_INSECURE_LOOKUP_OVER_HTTP: 'true',
        LOG_LEVEL: 'error',
      },
      `http://127.0.0.1:${mozPort}/status`,
      { cwd: MOZILLA },
    )
    running.push(moz)
  }

  interface Measured {
    readonly o: Outcome
    /** ms of CPU per okay verification, in the measured process tree(s). */
    readonly cpuMs: number
    readonly nginxCpuMs: number
    readonly rate: number
  }
  const measure = async (a: Attack, proc: Started, front?: Started): Promise<Measured> => {
    const c0 = cpuSeconds(proc.child.pid)
    const n0 = front ? cpuSeconds(front.child.pid) : 0
    const o = await attack(a, dir)
    const cpu = cpuSeconds(proc.child.pid) - c0
    const n = front ? cpuSeconds(front.child.pid) - n0 : 0
    if (o.okay === 0) throw new Error(`no okay answers from ${a.url}: ${o.firstOther ?? ''}`)
    return { o, cpuMs: (cpu * 1000) / o.okay, nginxCpuMs: (n * 1000) / o.okay, rate: o.okay / o.seconds }
  }
  const closed = (url: string, bodies: readonly string[], keepAlive: boolean): Attack => ({
    url,
    bodies,
    seconds: S,
    rate: 0,
    workers: 10,
    keepAlive,
  })
  const direct = (port: number) => `http://127.0.0.1:${port}/verify`
  const warm = async (url: string, bodies: readonly string[]) => {
    await attack({ ...closed(url, bodies, true), seconds: 1 }, dir)
  }
  if (process.env.BENCH_SMOKE === '1') {
    // Set-up check without load: one verification through each path.
    for (const [u, b] of [
      [direct(onPort), ours[0]],
      [direct(nginxOn), ours[1]],
      [direct(offPort), ours[2]],
      ...(moz ? [[direct(mozPort), theirs[0]] as const] : []),
    ] as const) {
      const r = await fetch(u, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: b ?? '',
      })
      console.log(u, r.status, await r.text())
    }
  } else {
    for (const [u, b] of [
      [direct(onPort), ours],
      [direct(offPort), ours],
      [direct(nginxOn), ours],
      [direct(nginxOff), ours],
      ...(moz ? [[direct(mozPort), theirs] as const] : []),
    ] as const) {
      await warm(u, b)
    }

    const fmt = (m: Measured) =>
      `${m.rate.toFixed(0).padStart(6)} okay/s  p50 ${m.o.okayLatency.p50.toFixed(1).padStart(5)} ms  p99 ${m.o.okayLatency.p99.toFixed(1).padStart(6)} ms  CPU ${m.cpuMs.toFixed(3)} ms/verification${m.o.other + m.o.shed > 0 ? `  (${m.o.shed} shed, ${m.o.other} other)` : ''}`

    console.log(
      `node ${process.version}; ${CORES} cores shared with vegeta and nginx; ${BUNDLES} distinct bundles (RS256 certificate + DS128 assertion, primary IdP); ${S} s per figure`,
    )
    console.log(`raw cost of the two signature checks (node:crypto, keys imported): ${rawMs.toFixed(3)} ms`)
    console.log(
      `nginx: one worker per core, upstream keep-alive, at most ${verifyMaxConnsFor()} verifications under way at the verifier (past it 503 + Retry-After)`,
    )

    console.log('\n1. 10 connections, closed loop, a new connection per request (as the issue measured)')
    const mozilla = moz ? await measure(closed(direct(mozPort), theirs, false), moz) : undefined
    if (mozilla) console.log(`  Mozilla browserid-verifier v0.10.1   ${fmt(mozilla)}`)
    else console.log('  Mozilla browserid-verifier: absent (set MOZILLA_VERIFIER_DIR to a prepared copy)')
    const directNew = await measure(closed(direct(onPort), ours, false), on)
    console.log(`  ours, straight to the verifier      ${fmt(directNew)}`)
    const viaNginx = await measure(closed(direct(nginxOn), ours, false), on, viaOn)
    console.log(
      `  ours through nginx (limit off)      ${fmt(viaNginx)}  nginx ${viaNginx.nginxCpuMs.toFixed(3)} ms`,
    )
    const viaNginxCold = await measure(closed(direct(nginxOff), ours, false), off, viaOff)
    console.log(`  same, certificate cache off         ${fmt(viaNginxCold)}`)

    console.log('\n2. 10 connections, closed loop, client keep-alive (straight to the verifier)')
    const kaOff = await measure(closed(direct(offPort), ours, true), off)
    console.log(
      `  certificate cache off               ${fmt(kaOff)}  = ${(kaOff.cpuMs / rawMs).toFixed(2)}x raw`,
    )
    const kaOn = await measure(closed(direct(onPort), ours, true), on)
    console.log(
      `  certificate cache on (returning)    ${fmt(kaOn)}  = ${(kaOn.cpuMs / rawMs).toFixed(2)}x raw`,
    )
    const rawAllCores = (CORES * 1000) / rawMs
    console.log(
      `  okay/s vs the raw limit on all ${CORES} cores (${rawAllCores.toFixed(0)}/s): ${(kaOn.rate / rawAllCores).toFixed(3)}`,
    )

    console.log('\n3. constant arrival rate through nginx, a new connection per request')
    for (const rate of RATES) {
      const m = await measure({ url: direct(nginxOn), bodies: ours, seconds: S, rate, keepAlive: false }, on)
      console.log(
        `  ${String(rate).padStart(5)}/s offered: ${m.rate.toFixed(0).padStart(5)} okay/s  p50 ${m.o.okayLatency.p50.toFixed(1)} ms  p99 ${m.o.okayLatency.p99.toFixed(1)} ms  max ${m.o.okayLatency.max.toFixed(1)} ms  shed ${m.o.shed}  other ${m.o.other}  CPU ${m.cpuMs.toFixed(3)} ms/verification`,
      )
    }

    console.log(
      '\n4. certificate cache on a realistic mix: 80% returning certificates, 20% new (1000/s, keep-alive)',
    )
    const mixRate = 1000
    const mix: string[] = []
    for (let i = 0; mix.length < mixRate * S; i++) {
      mix.push(i % 5 === 4 ? body(bundle(DOMAIN, `new${i}@${DOMAIN}`, i)) : (ours[i % BUNDLES] ?? ''))
    }
    const mixOff = await measure(
      { url: direct(offPort), bodies: mix, seconds: S, rate: mixRate, keepAlive: true },
      off,
    )
    const mixOn = await measure(
      { url: direct(onPort), bodies: mix, seconds: S, rate: mixRate, keepAlive: true },
      on,
    )
    console.log(
      `  cache off  CPU ${mixOff.cpuMs.toFixed(3)} ms/verification  p99 ${mixOff.o.okayLatency.p99.toFixed(1)} ms`,
    )
    console.log(
      `  cache on   CPU ${mixOn.cpuMs.toFixed(3)} ms/verification  p99 ${mixOn.o.okayLatency.p99.toFixed(1)} ms`,
    )
    const speedUp = mixOff.cpuMs / mixOn.cpuMs

    console.log('\n5. overload: twice the closed-loop capacity through nginx, a new connection per request')
    const capacity = viaNginx.rate
    const over = await measure(
      { url: direct(nginxOn), bodies: ours, seconds: S, rate: Math.round(2 * capacity), keepAlive: false },
      on,
    )
    const o = over.o
    console.log(
      `  offered ${Math.round(2 * capacity)}/s: ${over.rate.toFixed(0)} okay/s, accepted p50 ${o.okayLatency.p50.toFixed(1)} ms p99 ${o.okayLatency.p99.toFixed(1)} ms; ${o.shed} shed (${((100 * o.shed) / o.sent).toFixed(0)}%, ${o.shedWithRetryAfter} with Retry-After, answered in p99 ${o.shedLatency.p99.toFixed(1)} ms); ${o.other} other${o.firstOther ? ` (${o.firstOther})` : ''}`,
    )
    console.log(`  verifier peak memory (VmHWM, primary + workers): ${peakMiB(on.child.pid).toFixed(0)} MiB`)

    console.log(
      `  refusals at normal load (10 connections through nginx): ${viaNginx.o.shed} of ${viaNginx.o.sent}`,
    )

    console.log('\ngoals (issue 20)')
    const line = (name: string, value: string, met: boolean) =>
      console.log(`  ${met ? 'met    ' : 'NOT met'}  ${name}: ${value}`)
    if (mozilla) {
      const x = viaNginx.rate / mozilla.rate
      line(
        'through nginx >= 25x Mozilla okay/s',
        `${x.toFixed(1)}x (${viaNginx.rate.toFixed(0)} vs ${mozilla.rate.toFixed(0)})`,
        x >= 25,
      )
      const c = mozilla.cpuMs / viaNginx.cpuMs
      line(
        'CPU per verification >= 30x less than Mozilla',
        `${c.toFixed(1)}x (${viaNginx.cpuMs.toFixed(3)} vs ${mozilla.cpuMs.toFixed(3)} ms)`,
        c >= 30,
      )
    } else console.log('  (Mozilla ratios need MOZILLA_VERIFIER_DIR)')
    line(
      'p99 < 10 ms through nginx at 10 connections',
      `${viaNginx.o.okayLatency.p99.toFixed(1)} ms`,
      viaNginx.o.okayLatency.p99 < 10,
    )
    line(
      'verifier CPU <= 0.25 ms per verification through nginx',
      `${viaNginx.cpuMs.toFixed(3)} ms (cache off: ${viaNginxCold.cpuMs.toFixed(3)} ms)`,
      viaNginx.cpuMs <= 0.25,
    )
    line(
      'keep-alive CPU <= 1.5x the raw signature checks (cache off)',
      `${(kaOff.cpuMs / rawMs).toFixed(2)}x`,
      kaOff.cpuMs / rawMs <= 1.5,
    )
    line(
      'certificate cache speed-up on an 80% returning mix (CPU per verification)',
      `${speedUp.toFixed(2)}x`,
      speedUp > 1,
    )
    line(
      'overload: p99 of accepted < 50 ms at twice capacity',
      `${o.okayLatency.p99.toFixed(1)} ms`,
      o.okayLatency.p99 < 50,
    )
    line(
      'no refusal at normal load (10 connections through nginx)',
      `${viaNginx.o.shed} shed of ${viaNginx.o.sent}`,
      viaNginx.o.shed === 0,
    )
    line(
      'overload: every 503 carries Retry-After',
      `${o.shedWithRetryAfter}/${o.shed}`,
      o.shedWithRetryAfter === o.shed,
    )
  }
} finally {
  for (const r of running.reverse()) await r.stop()
  idp.close()
  rmSync(dir, { recursive: true, force: true })
}
