// SPDX-License-Identifier: MPL-2.0
// Runs a primary IdP's provisioning page in a hidden iframe (re-implements Persona's
// common/js/provisioning.js): answers beginProvisioning, genKeyPair (a fresh WebCrypto RS256 key) and
// waits for registerCertificate or raiseProvisioningFailure, over the `vep_prov` channel.
import { buildChannel } from './channel.ts'
import { generateKeyPair, type StoredKeyPair, serializePublicKey } from './keys.ts'

export interface ProvisionResult {
  readonly keys: StoredKeyPair
  readonly cert: string
}

export class ProvisioningError extends Error {
  readonly code: 'primaryError' | 'timeoutError' | 'internal'
  constructor(code: 'primaryError' | 'timeoutError' | 'internal', message: string) {
    super(message)
    this.name = 'ProvisioningError'
    this.code = code
  }
}

/** Time the IdP's page may take after it has loaded. */
const MAX_PROVISION_MS = 20_000

export function provisionPrimary(args: {
  email: string
  url: string
  ephemeral: boolean
}): Promise<ProvisionResult> {
  return new Promise((resolve, reject) => {
    let origin: string
    try {
      const u = new URL(args.url)
      if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new TypeError('scheme')
      origin = u.origin
    } catch {
      reject(new ProvisioningError('internal', "bad provisioning url, can't extract origin"))
      return
    }
    const iframe = document.createElement('iframe')
    // Hidden, so outside the accessibility tree: no title to read out (or to translate).
    iframe.hidden = true
    iframe.src = args.url
    let timer: ReturnType<typeof setTimeout> | undefined
    let keys: StoredKeyPair | undefined
    let done = false

    function finish(err: ProvisioningError | undefined, result?: ProvisionResult): void {
      if (done) return
      done = true
      if (timer) clearTimeout(timer)
      chan.destroy()
      iframe.remove()
      if (err) reject(err)
      else if (result) resolve(result)
    }

    iframe.addEventListener('load', () => {
      if (timer) clearTimeout(timer)
      timer = setTimeout(
        () => finish(new ProvisioningError('timeoutError', 'Provisioning timed out.')),
        MAX_PROVISION_MS,
      )
    })
    document.body.append(iframe)
    const target = iframe.contentWindow
    if (!target) {
      reject(new ProvisioningError('internal', 'no iframe window'))
      return
    }
    const chan = buildChannel({ window: target, origin, scope: 'vep_prov' })
    chan.bind('beginProvisioning', () => ({
      email: args.email,
      // Persona's durations: 6 h for a remembered computer, 1 h otherwise.
      cert_duration_s: args.ephemeral ? 60 * 60 : 6 * 60 * 60,
    }))
    chan.bind('genKeyPair', async () => {
      keys = await generateKeyPair()
      return serializePublicKey(keys.publicJwk)
    })
    chan.bind('raiseProvisioningFailure', (reason) => {
      finish(
        new ProvisioningError('primaryError', typeof reason === 'string' ? reason : 'provisioning failed'),
      )
    })
    chan.bind('registerCertificate', (cert) => {
      if (typeof cert !== 'string' || !keys) {
        finish(new ProvisioningError('primaryError', 'no certificate'))
        return
      }
      finish(undefined, { keys, cert })
    })
  })
}
