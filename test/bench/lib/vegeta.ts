// SPDX-License-Identifier: MPL-2.0
// The benchmarks' load generator: vegeta (built into .tools/bin by scripts/deps.sh bench). Two modes:
// a constant arrival rate (open model: a request leaves on schedule whether or not earlier ones have been
// answered, so a slow server shows as latency instead of hiding it) and a closed loop of N workers (each
// sends its next request when its last is answered) for the maximum. Every answer is read back, so a
// figure counts verifications that said "okay", not merely HTTP 200s.
import { spawn } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('../../../', import.meta.url).pathname
export const VEGETA = join(root, '.tools/bin/vegeta')
export const haveVegeta = (): boolean => existsSync(VEGETA)

export interface Attack {
  readonly url: string
  /** JSON bodies, sent in turn (cycling when the run needs more). */
  readonly bodies: readonly string[]
  readonly seconds: number
  /** Requests per second; 0 = closed loop of `workers`. */
  readonly rate: number
  readonly workers?: number
  /** false: a new connection per request (as most relying sites' backends post). */
  readonly keepAlive: boolean
  /** Headers besides Content-Type: application/json. */
  readonly headers?: Readonly<Record<string, string>>
  /** Whether an answer counts as success (default: 200 with "status":"okay"). */
  readonly ok?: (code: number, body: string) => boolean
}

export interface Outcome {
  readonly sent: number
  readonly okay: number
  /** 503 answers (load shed) and their Retry-After presence. */
  readonly shed: number
  readonly shedWithRetryAfter: number
  /** Anything else: failures, other statuses, connection errors. */
  readonly other: number
  readonly seconds: number
  /** Latency of okay answers, ms. */
  readonly okayLatency: Percentiles
  /** Latency of 503 answers, ms (how quickly a shed request is told). */
  readonly shedLatency: Percentiles
  readonly firstOther?: string
}

export interface Percentiles {
  readonly p50: number
  readonly p99: number
  readonly max: number
}

export function percentiles(values: number[]): Percentiles {
  const v = values.sort((a, b) => a - b)
  const at = (p: number) => v[Math.min(v.length - 1, Math.floor(p * v.length))] ?? Number.NaN
  return { p50: at(0.5), p99: at(0.99), max: v[v.length - 1] ?? Number.NaN }
}

interface Result {
  code: number
  latency: number
  body: string | null
  error: string
  headers: Record<string, string[]> | null
}

/** Runs one attack; resolves with what came back. */
export async function attack(a: Attack, dir: string): Promise<Outcome> {
  const targets = join(dir, 'targets.jsonl')
  const header: Record<string, string[]> = { 'Content-Type': ['application/json'] }
  for (const [k, v] of Object.entries(a.headers ?? {})) header[k] = [v]
  const ok = a.ok ?? ((code: number, body: string) => code === 200 && body.includes('"status":"okay"'))
  writeFileSync(
    targets,
    a.bodies
      .map((b) =>
        JSON.stringify({ method: 'POST', url: a.url, header, body: Buffer.from(b).toString('base64') }),
      )
      .join('\n'),
  )
  const args = [
    'attack',
    '-format=json',
    `-targets=${targets}`,
    `-duration=${a.seconds}s`,
    `-keepalive=${a.keepAlive}`,
    '-timeout=30s',
    ...(a.rate > 0
      ? [`-rate=${a.rate}/1s`]
      : ['-rate=0', `-workers=${a.workers ?? 10}`, `-max-workers=${a.workers ?? 10}`]),
  ]
  const attackProc = spawn(VEGETA, args, { stdio: ['ignore', 'pipe', 'inherit'] })
  const encode = spawn(VEGETA, ['encode', '--to=json'], { stdio: ['pipe', 'pipe', 'inherit'] })
  attackProc.stdout.pipe(encode.stdin)
  let buffered = ''
  const okay: number[] = []
  const shed: number[] = []
  let sent = 0
  let shedWithRetryAfter = 0
  let other = 0
  let firstOther: string | undefined
  let first = Number.POSITIVE_INFINITY
  let last = 0
  const take = (line: string) => {
    if (line === '') return
    const r = JSON.parse(line) as Result & { timestamp: string }
    sent++
    const ms = r.latency / 1e6
    const t = Date.parse(r.timestamp)
    first = Math.min(first, t)
    last = Math.max(last, t + ms)
    const body = r.body === null ? '' : Buffer.from(r.body, 'base64').toString('utf8')
    if (ok(r.code, body)) okay.push(ms)
    else if (r.code === 503) {
      shed.push(ms)
      const h = r.headers ?? {}
      if (Object.keys(h).some((k) => k.toLowerCase() === 'retry-after')) shedWithRetryAfter++
    } else {
      other++
      firstOther ??= `${r.code} ${r.error} ${body.slice(0, 200)}`
    }
  }
  encode.stdout.setEncoding('utf8')
  encode.stdout.on('data', (chunk: string) => {
    buffered += chunk
    const lines = buffered.split('\n')
    buffered = lines.pop() ?? ''
    for (const l of lines) take(l)
  })
  await new Promise<void>((resolve, reject) => {
    encode.once('error', reject)
    encode.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`vegeta exited ${code}`))))
  })
  take(buffered)
  return {
    sent,
    okay: okay.length,
    shed: shed.length,
    shedWithRetryAfter,
    other,
    seconds: Math.max(a.seconds, (last - first) / 1000),
    okayLatency: percentiles(okay),
    shedLatency: percentiles(shed),
    ...(firstOther === undefined ? {} : { firstOther }),
  }
}
