// SPDX-License-Identifier: MPL-2.0
// A sign-in as the dialog makes it (authenticate_user, then cert_key for the browser's key) with 50 users
// signing in at once, against the real reader, writer and certifier on a real MariaDB pair, at bcrypt
// cost BENCH_BCRYPT_ROUNDS (default 12, production's). Prints p50/p99 of the whole sign-in and of each
// call, beside the cost of one bcrypt hash measured in the same run (the floor a sign-in cannot beat:
// 50 hashes on the machine's cores take 50 x hash / cores).
import { availableParallelism } from 'node:os'
import { hash } from '@node-rs/bcrypt'
import { generateKeyPair } from '@persona/browserid'
import { field, SKIP, startStack, tokenOf } from '../accounts/stack.ts'
import { percentiles } from './lib/vegeta.ts'

const ROUNDS = process.env.BENCH_BCRYPT_ROUNDS ?? '12'
const USERS = Number(process.env.BENCH_SIGNIN_USERS ?? 50)
const WAVES = Number(process.env.BENCH_SIGNIN_WAVES ?? 2)
const ACCOUNTS = 5

if (SKIP !== false) {
  console.log(`skipped: ${SKIP}`)
  process.exit(0)
}

const stack = await startStack({
  readerEnv: { BCRYPT_ROUNDS: ROUNDS, BCRYPT_MAX_QUEUE: '1000', LOG_LEVEL: 'silent' },
  writerEnv: { BCRYPT_ROUNDS: ROUNDS, LOG_LEVEL: 'silent' },
})
try {
  const pass = 'bench password'
  const emails = Array.from({ length: ACCOUNTS }, (_, i) => `signin${i}@example.test`)
  for (const email of emails) {
    const owner = stack.browser()
    const seen = stack.mark()
    await owner.post('stage_user', { email, pass, site: 'https://rp.example.com' })
    await owner.post('complete_user_creation', { token: tokenOf(await stack.waitForMail(email, seen)) })
  }
  const keys = await Promise.all(Array.from({ length: USERS }, () => generateKeyPair('DS128')))

  // One bcrypt hash at this cost, timed here (the sign-in's floor).
  const t0 = performance.now()
  await hash(pass, { cost: Number(ROUNDS) })
  const hashMs = performance.now() - t0

  const total: number[] = []
  const auth: number[] = []
  const cert: number[] = []
  let busy = 0
  for (let w = 0; w < WAVES; w++) {
    await Promise.all(
      keys.map(async (key, i) => {
        const email = emails[i % ACCOUNTS] ?? ''
        const b = stack.browser()
        await b.context()
        const start = performance.now()
        const a = await b.post('authenticate_user', { email, pass, ephemeral: false })
        const mid = performance.now()
        if (a.status === 503) {
          busy++
          return
        }
        if (field(a, 'success') !== true) throw new Error(`authenticate_user: ${a.status} ${a.text}`)
        const c = await b.post('cert_key', { email, pubkey: key.publicKey.serialize(), ephemeral: false })
        const end = performance.now()
        if (c.status !== 200) throw new Error(`cert_key: ${c.status} ${c.text}`)
        auth.push(mid - start)
        cert.push(end - mid)
        total.push(end - start)
      }),
    )
  }
  const cores = availableParallelism()
  const p = (v: number[]) => {
    const q = percentiles(v)
    return `p50 ${q.p50.toFixed(0).padStart(5)} ms  p99 ${q.p99.toFixed(0).padStart(5)} ms`
  }
  console.log(`bcrypt cost ${ROUNDS}; ${USERS} users signing in at once, ${WAVES} waves; ${cores} cores`)
  console.log(
    `  sign-in (authenticate_user + cert_key)  ${p(total)}   (${total.length} signed in, ${busy} told 503)`,
  )
  console.log(`    authenticate_user                     ${p(auth)}`)
  console.log(`    cert_key                              ${p(cert)}`)
  console.log(
    `  one bcrypt hash here: ${hashMs.toFixed(0)} ms; ${USERS} hashes on ${cores} cores take at least ${((USERS * hashMs) / cores).toFixed(0)} ms (the last sign-in's floor)`,
  )
} finally {
  await stack.stop()
}
