// SPDX-License-Identifier: MPL-2.0
// The raw limit every verifier figure is compared with: the two signature checks of a backed assertion
// (certificate by the issuer's key, assertion by the certified key) as bare node:crypto.verify calls on
// keys imported beforehand, timed in process CPU time on one thread.
import { verify } from 'node:crypto'
import { loadPublicKey, type PublicKey, unbundle } from '@persona/browserid'

/** The two checks for `bundle` as a function returning whether both hold. */
export function rawChecks(bundle: string, issuer: PublicKey): () => boolean {
  const { certs, assertion } = unbundle(bundle)
  const cert = certs[0] ?? ''
  const cut = (jws: string) => {
    const i = jws.lastIndexOf('.')
    return { input: Buffer.from(jws.slice(0, i)), sig: Buffer.from(jws.slice(i + 1), 'base64url') }
  }
  const c = cut(cert)
  const a = cut(assertion)
  const payload = JSON.parse(Buffer.from(cert.split('.')[1] ?? '', 'base64url').toString('utf8'))
  const user = loadPublicKey(payload['public-key'])
  const issuerKey = issuer.keyObject()
  const userKey = user.dsa ? { key: user.keyObject(), dsaEncoding: 'ieee-p1363' as const } : user.keyObject()
  return () => verify(issuer.hash, c.input, issuerKey, c.sig) && verify(user.hash, a.input, userKey, a.sig)
}

/** CPU ms of the two checks, measured over `ms` of CPU time after a warm-up. */
export function rawVerifyCost(bundle: string, issuer: PublicKey, ms = 1500): number {
  const check = rawChecks(bundle, issuer)
  if (!check()) throw new Error('raw checks fail on the benchmark bundle')
  for (let i = 0; i < 200; i++) check()
  const start = process.cpuUsage()
  let n = 0
  for (;;) {
    for (let i = 0; i < 50; i++) check()
    n += 50
    const used = process.cpuUsage(start)
    const usedMs = (used.user + used.system) / 1000
    if (usedMs >= ms) return usedMs / n
  }
}
