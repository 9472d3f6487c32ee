// SPDX-License-Identifier: MPL-2.0
// Verifications per second over HTTP (keep-alive, autocannon) against the verifier running as its own
// process with every core, vs the raw node:crypto limit for the same two signature checks on every
// core (one worker thread per core, pre-imported keys), measured in the same run; prints the ratio
// (target >= 0.6) and the verifier's peak memory. The load generator shares the machine, as it would
// on a developer's laptop: the ratio is a floor, not a flattering number.
import { execFile, spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { bundleAssertion, generateKeyPair, signAssertion, signCertificate } from '@persona/browserid'
import { freePorts } from '@persona/kit'
import autocannon from 'autocannon'

const ISSUER = 'login.bench.example'
const AUDIENCE = 'https://rp.example'
const ROUND_S = Number(process.env.BENCH_ROUND_S ?? 3)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4)
const CORES = availableParallelism()
const TARGET = 0.6
const root = new URL('../../', import.meta.url).pathname

const issuer = await generateKeyPair('RS256')
const user = await generateKeyPair('DS128')
const now = Date.now()
const cert = signCertificate(
  { issuer: ISSUER, publicKey: user.publicKey, email: 'alice@mail.example', iat: now, exp: now + 3_600_000 },
  issuer.secretKey,
)
const assertion = signAssertion({ audience: AUDIENCE, exp: now + 3_600_000 }, user.secretKey)
const bundle = bundleAssertion([cert], assertion)

// 1. The raw limit: crypto.verify x 2 in one thread per core, for the same duration.
const rawSource = `
  const { parentPort, workerData: w } = require('node:worker_threads')
  const { createPublicKey, verify } = require('node:crypto')
  const ik = createPublicKey(w.issuerPem), uk = createPublicKey(w.userPem)
  const ci = Buffer.from(w.ci), cs = Buffer.from(w.cs, 'base64url'), ai = Buffer.from(w.ai), as = Buffer.from(w.as, 'base64url')
  const end = Date.now() + w.ms; let n = 0
  while (Date.now() < end) {
    for (let i = 0; i < 20; i++) {
      if (!verify('sha256', ci, ik, cs) || !verify(w.hash, ai, { key: uk, dsaEncoding: 'ieee-p1363' }, as)) throw new Error('bad')
    }
    n += 20
  }
  parentPort.postMessage(n)
`
const cut = (s: string) => [s.slice(0, s.lastIndexOf('.')), s.slice(s.lastIndexOf('.') + 1)]
const [ci, cs] = cut(cert)
const [ai, as] = cut(assertion)
const workerData = {
  issuerPem: issuer.publicKey.keyObject().export({ type: 'spki', format: 'pem' }),
  userPem: user.publicKey.keyObject().export({ type: 'spki', format: 'pem' }),
  hash: user.publicKey.hash,
  ci,
  cs,
  ai,
  as,
  ms: 0,
}
/** Runs the raw loop on every core for `ms` and returns the number of bundles checked. */
async function rawRound(ms: number): Promise<number> {
  const counts = await Promise.all(
    Array.from(
      { length: CORES },
      () =>
        new Promise<number>((resolve, reject) => {
          const w = new Worker(rawSource, { eval: true, workerData: { ...workerData, ms } })
          w.once('message', resolve)
          w.once('error', reject)
        }),
    ),
  )
  return counts.reduce((a, b) => a + b, 0)
}

// 2. End to end: proxy + verifier as real processes, one 404 IdP for the user's domain.
const dir = mkdtempSync(join(tmpdir(), 'verifier-bench-'))
const keyFile = join(dir, 'public.key')
writeFileSync(keyFile, issuer.publicKey.serialize())
const none = createServer((_q, r) => r.writeHead(404).end())
await new Promise<void>((r) => none.listen(0, '127.0.0.1', r))
const nonePort = (none.address() as AddressInfo).port
const [proxyPort, verifierPort] = await freePorts(2)
const env = { ...process.env, LOG_LEVEL: 'warn' }
const proxy = spawn(process.execPath, [join(root, 'services/proxy/src/server.ts')], {
  env: {
    ...env,
    PROXY_PORT: String(proxyPort),
    SHIMMED_PRIMARIES: `mail.example=http://127.0.0.1:${nonePort}`,
  },
  stdio: 'inherit',
})
const verifier = spawn(process.execPath, [join(root, 'services/verifier/src/server.ts')], {
  env: {
    ...env,
    VERIFIER_PORT: String(verifierPort),
    PROXY_URL: `http://127.0.0.1:${proxyPort}`,
    PUBLIC_KEY_FILE: keyFile,
    ISSUER_DOMAIN: ISSUER,
    VERIFIER_MODE: process.env.VERIFIER_MODE ?? 'cluster',
  },
  stdio: 'inherit',
})
const url = `http://127.0.0.1:${verifierPort}/verify`
const body = JSON.stringify({ assertion: bundle, audience: AUDIENCE })
// The load generator shares the machine's cores: wrk (C) costs far less CPU per request than
// autocannon (JS), so it measures the verifier rather than itself. wrk when installed, else autocannon.
const LOADGEN = process.env.BENCH_LOADGEN ?? (spawnSync('wrk', ['--version']).error ? 'autocannon' : 'wrk')
const CONNECTIONS = 16 * CORES
const luaFile = join(dir, 'post.lua')
writeFileSync(
  luaFile,
  `wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = ${JSON.stringify(body)}\n`,
)
interface Round {
  total: number
  errors: number
  p50: number
  p99: number
}
/** CPU seconds (user + system) used so far by a process and its children (cluster workers). */
function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0
  const tick = 100 // USER_HZ on Linux
  const one = (p: string) => {
    const fields = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
    return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) / tick
  }
  let children: string[] = []
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)
  } catch {}
  return [String(pid), ...children].reduce((sum, p) => sum + one(p), 0)
}

/** Peak resident memory of a process and its children (cluster workers), in KiB. */
function peakKb(pid: number | undefined): number {
  if (pid === undefined) return 0
  const hwm = (p: string) =>
    Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0)
  let children: string[] = []
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)
  } catch {}
  return [String(pid), ...children].reduce((sum, p) => sum + hwm(p), 0)
}
/** One verification by hand: every measured request is this one, so its answer must be okay. */
async function checkOkay(): Promise<void> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
  const j = await r.json()
  if (j.status !== 'okay') throw new Error(`verifier says ${JSON.stringify(j)}`)
}
const waitFor = async (u: string) => {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(u)).ok) return
    } catch (e) {
      if (i > 100) throw e
    }
    await new Promise((r) => setTimeout(r, 100))
  }
}
try {
  await waitFor(`http://127.0.0.1:${proxyPort}/__heartbeat__`)
  await waitFor(`http://127.0.0.1:${verifierPort}/__heartbeat__`)
  await checkOkay()
  const load = (duration: number) => (LOADGEN === 'wrk' ? wrk(duration) : cannon(duration))
  const cannon = async (duration: number): Promise<Round> => {
    const r = await autocannon({
      url,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      connections: CONNECTIONS,
      duration,
    })
    return {
      total: r.requests.total,
      errors: r.errors + r.non2xx + r.timeouts,
      p50: r.latency.p50,
      p99: r.latency.p99,
    }
  }
  const wrk = async (duration: number): Promise<Round> => {
    const out = await new Promise<string>((resolve, reject) => {
      const args = ['-t1', `-c${CONNECTIONS}`, `-d${duration}s`, '--latency', '-s', luaFile, url]
      execFile('wrk', args, { encoding: 'utf8' }, (err, stdout) => (err ? reject(err) : resolve(stdout)))
    })
    const num = (re: RegExp) => Number(re.exec(out)?.[1] ?? 'NaN')
    const ms = (re: RegExp) => {
      const m = re.exec(out)
      if (!m?.[1]) return Number.NaN
      const v = Number(m[1])
      return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v
    }
    return {
      total: num(/(\d+) requests in/),
      errors: num(/Non-2xx or 3xx responses: (\d+)/) || 0,
      p50: ms(/50%\s+([\d.]+)(us|ms|s)/),
      p99: ms(/99%\s+([\d.]+)(us|ms|s)/),
    }
  }
  await load(2) // warm-up: JIT, worker threads, caches
  // Alternating rounds, so load from anything else on the machine hits both measurements alike.
  let rawOps = 0
  let httpOps = 0
  let verifierCpu = 0
  let errors = 0
  const p99s: number[] = []
  let p50 = 0
  for (let i = 0; i < ROUNDS; i++) {
    rawOps += await rawRound(ROUND_S * 1000)
    const cpuBefore = cpuSeconds(verifier.pid)
    const r = await load(ROUND_S)
    verifierCpu += cpuSeconds(verifier.pid) - cpuBefore
    httpOps += r.total
    errors += r.errors
    p99s.push(r.p99)
    p50 = r.p50
  }
  await checkOkay() // the last answer under load is still a real verification
  const rawRate = rawOps / (ROUNDS * ROUND_S)
  const hwmKb = peakKb(verifier.pid)
  const httpRate = httpOps / (ROUNDS * ROUND_S)
  console.log(
    `node ${process.version}; ${CORES} cores; verifier mode ${process.env.VERIFIER_MODE ?? 'cluster'}; ${ROUNDS} x ${ROUND_S} s alternating rounds; RS256 cert + DS128 assertion`,
  )
  console.log(
    `  raw node:crypto limit, ${CORES} threads (2 x crypto.verify)  ${rawRate.toFixed(0).padStart(7)} /s`,
  )
  console.log(
    `  POST /verify over HTTP (${LOADGEN}, ${CONNECTIONS} conns)        ${httpRate.toFixed(0).padStart(7)} /s   ratio ${(httpRate / rawRate).toFixed(3)}`,
  )
  console.log(`  latency p50 ${p50} ms, worst-round p99 ${Math.max(...p99s)} ms; errors ${errors}`)
  console.log(`  verifier peak memory (VmHWM, primary + workers) ${(hwmKb / 1024).toFixed(1)} MiB`)
  // Where the time goes: verifications per CPU-second the verifier itself spent, against the raw
  // checks per CPU-second; what the end-to-end ratio loses beyond this is the machine's cores shared
  // with the load generator.
  const perVerifierCpu = httpOps / verifierCpu
  const rawPerCpu = rawRate / CORES
  console.log(
    `  per verifier CPU-second ${perVerifierCpu.toFixed(0).padStart(7)} /s vs raw per CPU-second ${rawPerCpu.toFixed(0)} /s: efficiency ${(perVerifierCpu / rawPerCpu).toFixed(3)}`,
  )
  const ratio = httpRate / rawRate
  console.log(`\nratio ${ratio.toFixed(3)} (target >= ${TARGET}): ${ratio >= TARGET ? 'met' : 'NOT met'}`)
  if (errors > 0) process.exitCode = 1
} finally {
  verifier.kill('SIGTERM')
  proxy.kill('SIGTERM')
  none.close()
  rmSync(dir, { recursive: true, force: true })
}
