// SPDX-License-Identifier: MPL-2.0
// Certificates per second from the certifier (its own process, POST /wsapi/cert_key as the reader calls
// it, 10 connections kept alive, vegeta closed loop) against the raw RSA signing limit on every core
// (bare crypto.sign of a certificate-sized input with the same 2048-bit key, one worker thread per core),
// measured in the same run in alternating rounds. Target (issue 20): >= 0.8.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { generateKeyPair } from '@persona/browserid'
import { freePort, INTERNAL_API_HEADER, INTERNAL_API_VERSION, INTERNAL_TOKEN_HEADER } from '@persona/kit'
import { cpuSeconds, start } from './lib/procs.ts'
import { attack, haveVegeta } from './lib/vegeta.ts'

const S = Number(process.env.BENCH_ROUND_S ?? 3)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2)
const CORES = availableParallelism()
const TARGET = 0.8
const TOKEN = 'certifier-bench-token-0123456789'
const root = new URL('../../', import.meta.url).pathname

if (!haveVegeta()) {
  console.log('skipped: vegeta is not built (scripts/deps.sh bench builds it into .tools/bin; needs Go)')
  process.exit(0)
}

const dir = mkdtempSync(join(tmpdir(), 'certifier-bench-'))
const key = await generateKeyPair('RS256')
const keyFile = join(dir, 'key.json')
writeFileSync(keyFile, key.secretKey.serialize(), { mode: 0o600 })
const users = await Promise.all(Array.from({ length: 20 }, () => generateKeyPair('DS128')))
const bodies = users.map((u, i) =>
  JSON.stringify({ email: `user${i}@mail.example`, pubkey: u.publicKey.serialize(), ephemeral: false }),
)

// The raw limit: crypto.sign on a certificate-sized input, one thread per core.
const rawSource = `
  const { parentPort, workerData: w } = require('node:worker_threads')
  const { createPrivateKey, sign } = require('node:crypto')
  const k = createPrivateKey(w.pem), input = Buffer.alloc(w.size, 97)
  const end = Date.now() + w.ms; let n = 0
  while (Date.now() < end) { for (let i = 0; i < 5; i++) sign('sha256', input, k); n += 5 }
  parentPort.postMessage(n)
`
const pem = key.secretKey.keyObject().export({ type: 'pkcs8', format: 'pem' })
async function rawRound(ms: number): Promise<number> {
  const counts = await Promise.all(
    Array.from(
      { length: CORES },
      () =>
        new Promise<number>((resolve, reject) => {
          const w = new Worker(rawSource, { eval: true, workerData: { pem, size: 1200, ms } })
          w.once('message', resolve)
          w.once('error', reject)
        }),
    ),
  )
  return counts.reduce((a, b) => a + b, 0)
}

const port = await freePort()
const certifier = await start(
  process.execPath,
  [join(root, 'services/certifier/src/server.ts')],
  {
    ...process.env,
    LOG_LEVEL: 'warn',
    CERTIFIER_PORT: String(port),
    CERTIFIER_PRIVATE_KEY_FILE: keyFile,
    CERTIFIER_TOKEN: TOKEN,
    ISSUER_DOMAIN: 'login.bench.example',
  },
  `http://127.0.0.1:${port}/__heartbeat__`,
)
try {
  const run = (seconds: number) =>
    attack(
      {
        url: `http://127.0.0.1:${port}/wsapi/cert_key`,
        bodies,
        seconds,
        rate: 0,
        workers: 10,
        keepAlive: true,
        headers: { [INTERNAL_TOKEN_HEADER]: TOKEN, [INTERNAL_API_HEADER]: String(INTERNAL_API_VERSION) },
        ok: (code, body) => code === 200 && body.startsWith('eyJ'),
      },
      dir,
    )
  const warm = await run(1)
  if (warm.okay === 0) throw new Error(`certifier signs nothing: ${warm.firstOther ?? ''}`)
  let raw = 0
  let signed = 0
  let seconds = 0
  let cpu = 0
  let p99 = 0
  for (let i = 0; i < ROUNDS; i++) {
    raw += await rawRound(S * 1000)
    const c0 = cpuSeconds(certifier.child.pid)
    const o = await run(S)
    cpu += cpuSeconds(certifier.child.pid) - c0
    signed += o.okay
    seconds += o.seconds
    p99 = Math.max(p99, o.okayLatency.p99)
    if (o.other > 0) throw new Error(`certifier failed ${o.other}: ${o.firstOther ?? ''}`)
  }
  const rawRate = raw / (ROUNDS * S)
  const rate = signed / seconds
  console.log(
    `node ${process.version}; ${CORES} cores; RS256 (2048-bit) issuer key; ${ROUNDS} x ${S} s alternating rounds`,
  )
  console.log(
    `  raw RSA signing limit, ${CORES} threads (crypto.sign)    ${rawRate.toFixed(0).padStart(6)} /s`,
  )
  console.log(
    `  certifier, POST /wsapi/cert_key (10 conns, keep-alive)  ${rate.toFixed(0).padStart(6)} /s   ratio ${(rate / rawRate).toFixed(3)}   p99 ${p99.toFixed(1)} ms (worst round)`,
  )
  console.log(
    `  certifier CPU per certificate ${((cpu * 1000) / signed).toFixed(3)} ms vs raw ${((CORES * 1000) / rawRate).toFixed(3)} ms per signature`,
  )
  const ratio = rate / rawRate
  console.log(`\nratio ${ratio.toFixed(3)} (target >= ${TARGET}): ${ratio >= TARGET ? 'met' : 'NOT met'}`)
} finally {
  await certifier.stop()
  rmSync(dir, { recursive: true, force: true })
}
