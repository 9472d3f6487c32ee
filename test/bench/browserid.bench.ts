// SPDX-License-Identifier: MPL-2.0
// Bundle verifications per second on one core vs the raw node:crypto limit for the same two signature
// checks (crypto.verify on pre-imported KeyObjects), measured in the same run, alternating rounds so
// drift hits both alike. Paths: verifyChainSignatures after parseBundle (a worker's job) and the whole
// verifyAssertion (with an in-memory support-document fetcher). Target ratio >= 0.7.

import { verify } from 'node:crypto'
import {
  bundleAssertion,
  generateKeyPair,
  isFailure,
  parseBundle,
  type SecretKey,
  signAssertion,
  signCertificate,
  verifyAssertion,
  verifyChainSignatures,
} from '@persona/browserid'

const NOW = 1_768_478_400_000
const AUDIENCE = 'https://rp.example'
const ISSUER = 'login.persona.example'
// Many short slices, alternating between the contenders, so load from other processes hits all alike;
// rates are per CPU-second of this process (one thread), not wall time.
const SLICE_MS = Number(process.env.BENCH_SLICE_MS ?? 50)
const SLICES = Number(process.env.BENCH_SLICES ?? 40)
const TARGET = 0.7

interface Case {
  name: string
  bundle: string
  raw: () => boolean
}

async function makeCase(userAlg: 'DS128' | 'RS256', issuerKey: SecretKey): Promise<Case> {
  const user = await generateKeyPair(userAlg)
  const cert = signCertificate(
    {
      issuer: ISSUER,
      publicKey: user.publicKey,
      email: 'alice@mail.example',
      iat: NOW - 60_000,
      exp: NOW + 3_600_000,
    },
    issuerKey,
  )
  const assertion = signAssertion({ audience: AUDIENCE, exp: NOW + 120_000 }, user.secretKey)
  const bundle = bundleAssertion([cert], assertion)
  // The raw limit: the same two signature checks, everything decoded and imported beforehand.
  const certInput = Buffer.from(cert.slice(0, cert.lastIndexOf('.')))
  const certSig = Buffer.from(cert.slice(cert.lastIndexOf('.') + 1), 'base64url')
  const asInput = Buffer.from(assertion.slice(0, assertion.lastIndexOf('.')))
  const asSig = Buffer.from(assertion.slice(assertion.lastIndexOf('.') + 1), 'base64url')
  const issuerPub = issuerKey.publicKey.keyObject()
  const userPub = user.publicKey.keyObject()
  const hash = user.publicKey.hash
  const userKey = user.publicKey.dsa ? { key: userPub, dsaEncoding: 'ieee-p1363' as const } : userPub
  const raw = () => verify('sha256', certInput, issuerPub, certSig) && verify(hash, asInput, userKey, asSig)
  return { name: `RS256 cert + ${userAlg} assertion`, bundle, raw }
}

interface Tally {
  ops: number
  cpuUs: number
}

/** Runs `fn` in a slice of about SLICE_MS, adding its op count and the process CPU time it used. */
async function slice(fn: () => boolean | Promise<boolean>, t: Tally): Promise<void> {
  const start = performance.now()
  const cpu = process.cpuUsage()
  let n = 0
  while (performance.now() - start < SLICE_MS) {
    for (let i = 0; i < 10; i++) {
      const ok = fn()
      if (!(ok === true || (ok !== false && (await ok))))
        throw new Error('verification failed during benchmark')
    }
    n += 10
  }
  const used = process.cpuUsage(cpu)
  t.ops += n
  t.cpuUs += used.user + used.system
}

const perSecond = (t: Tally): number => (t.ops * 1e6) / t.cpuUs

const issuer = await generateKeyPair('RS256')
const issuerJSON = issuer.publicKey.toJSON()
const fetchSupportDocument = async (domain: string) =>
  domain === ISSUER
    ? { 'public-key': issuerJSON, authentication: '/sign_in', provisioning: '/provision' }
    : null
const opts = { now: NOW, fallbackIssuer: ISSUER, fallbackPublicKey: issuerJSON, fetchSupportDocument }

console.log(
  `node ${process.version}; ${SLICES} x 3 alternating slices of ${SLICE_MS} ms; rates per CPU-second, one thread`,
)
const ratios: Record<string, number> = {}
for (const c of [await makeCase('DS128', issuer.secretKey), await makeCase('RS256', issuer.secretKey)]) {
  const sync = () => {
    const parsed = parseBundle(c.bundle)
    if (isFailure(parsed)) return false
    return verifyChainSignatures(parsed, issuerJSON, AUDIENCE, NOW).status === 'okay'
  }
  const full = async () => (await verifyAssertion(c.bundle, AUDIENCE, opts)).status === 'okay'
  if (!c.raw() || !sync() || !(await full())) throw new Error(`${c.name}: does not verify`)
  const warm: Tally = { ops: 0, cpuUs: 0 }
  for (let i = 0; i < 4; i++) for (const fn of [c.raw, sync, full]) await slice(fn, warm)
  const raw: Tally = { ops: 0, cpuUs: 0 }
  const syn: Tally = { ops: 0, cpuUs: 0 }
  const ful: Tally = { ops: 0, cpuUs: 0 }
  for (let i = 0; i < SLICES; i++) {
    await slice(c.raw, raw)
    await slice(sync, syn)
    await slice(full, ful)
  }
  const r = perSecond(raw)
  const s = perSecond(syn)
  const f = perSecond(ful)
  ratios[c.name] = f / r
  console.log(`\n${c.name}`)
  console.log(`  raw node:crypto limit (2 x crypto.verify)      ${r.toFixed(0).padStart(7)} /s`)
  console.log(
    `  parseBundle + verifyChainSignatures (sync)     ${s.toFixed(0).padStart(7)} /s   ratio ${(s / r).toFixed(3)}`,
  )
  console.log(
    `  verifyAssertion (async, in-memory fetcher)     ${f.toFixed(0).padStart(7)} /s   ratio ${(f / r).toFixed(3)}`,
  )
}
// The target (issue 9) is set on RS256-certificate + DS128-assertion bundles; RS256+RS256 is shown for
// comparison (its raw limit is 2.5x higher, so the fixed per-bundle work weighs more).
const target = ratios['RS256 cert + DS128 assertion'] ?? 0
console.log(
  `\ntarget: verifyAssertion / raw, RS256 cert + DS128 assertion = ${target.toFixed(3)} (>= ${TARGET}): ${target >= TARGET ? 'met' : 'NOT met'}`,
)
