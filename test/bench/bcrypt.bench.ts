// SPDX-License-Identifier: MPL-2.0
// Does password hashing stall other calls? p99 latency of session_context alone (baseline), then again
// while browsers sign in with authenticate_user at bcrypt cost BENCH_BCRYPT_ROUNDS (default 12, the
// production work factor), measured in the same run against the real reader/writer on a real MariaDB
// pair. Prints both p99s and their ratio (target <= 2: hashing runs on worker threads, not the loop).
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { field, SKIP, startStack, tokenOf } from '../accounts/stack.ts'

const ROUNDS = process.env.BENCH_BCRYPT_ROUNDS ?? '12'
const PHASE_MS = Number(process.env.BENCH_PHASE_MS ?? 5000)
const PROBES = Number(process.env.BENCH_PROBE_CONCURRENCY ?? 4)
const SIGNINS = Number(process.env.BENCH_SIGNIN_CONCURRENCY ?? 8)
const TARGET_RATIO = 2

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN
}

if (SKIP !== false) {
  console.log(`skipped: ${SKIP}`)
  process.exit(0)
}

const stack = await startStack({
  readerEnv: { BCRYPT_ROUNDS: ROUNDS, BCRYPT_MAX_QUEUE: '1000', LOG_LEVEL: 'silent' },
  writerEnv: { BCRYPT_ROUNDS: ROUNDS },
})
try {
  const email = 'bench@example.test'
  const pass = 'bench password'
  const owner = stack.browser()
  const seen = stack.mark()
  await owner.post('stage_user', { email, pass, site: 'https://rp.example.com' })
  await owner.post('complete_user_creation', { token: tokenOf(await stack.waitForMail(email, seen)) })

  /** Runs `probes` session_context loops for `ms`; returns sorted latencies (ms). */
  async function probe(ms: number): Promise<number[]> {
    const out: number[] = []
    const until = performance.now() + ms
    await Promise.all(
      Array.from({ length: PROBES }, async () => {
        const b = stack.browser()
        await b.context()
        while (performance.now() < until) {
          const t = performance.now()
          const r = await b.get('session_context')
          out.push(performance.now() - t)
          if (r.status !== 200) throw new Error(`session_context answered ${r.status}`)
        }
      }),
    )
    return out.sort((a, b) => a - b)
  }

  const loop = monitorEventLoopDelay({ resolution: 5 })
  loop.enable()
  await probe(1000) // warm-up
  loop.reset()
  const baseline = await probe(PHASE_MS)
  const loopBase = loop.percentile(99) / 1e6

  let signins = 0
  let busy = 0
  let stop = false
  const load = Promise.all(
    Array.from({ length: SIGNINS }, async () => {
      const b = stack.browser()
      await b.context()
      while (!stop) {
        const r = await b.post('authenticate_user', { email, pass, ephemeral: true })
        if (field(r, 'success') === true) signins++
        else if (r.status === 503) busy++
        else throw new Error(`authenticate_user: ${r.status} ${r.text}`)
      }
    }),
  )
  await new Promise((r) => setTimeout(r, 300))
  const t0 = performance.now()
  loop.reset()
  const loaded = await probe(PHASE_MS)
  const loopLoaded = loop.percentile(99) / 1e6
  loop.disable()
  const loadSeconds = (performance.now() - t0) / 1000
  stop = true
  await load

  const p99a = percentile(baseline, 99)
  const p99b = percentile(loaded, 99)
  const ratio = p99b / p99a
  console.log(`bcrypt cost ${ROUNDS}, ${PROBES} session_context probes, ${SIGNINS} concurrent sign-in loops`)
  console.log(
    `baseline      session_context: n=${baseline.length} p50=${percentile(baseline, 50).toFixed(2)} ms p99=${p99a.toFixed(2)} ms`,
  )
  console.log(
    `under sign-in session_context: n=${loaded.length} p50=${percentile(loaded, 50).toFixed(2)} ms p99=${p99b.toFixed(2)} ms`,
  )
  console.log(
    `event-loop delay p99: baseline ${loopBase.toFixed(1)} ms, under sign-in ${loopLoaded.toFixed(1)} ms`,
  )
  console.log(`sign-ins: ${(signins / loadSeconds).toFixed(1)}/s (${busy} answered 503 too busy)`)
  console.log(`p99 ratio (under sign-in / baseline): ${ratio.toFixed(2)} (target <= ${TARGET_RATIO})`)
} finally {
  await stack.stop()
}
