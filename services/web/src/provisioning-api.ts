// SPDX-License-Identifier: MPL-2.0
// /provisioning_api.js for primary IdPs (re-implements Persona's provisioning_api.js): the IdP's
// provisioning page, running in a hidden iframe of the dialog, calls beginProvisioning, genKeyPair,
// registerCertificate or raiseProvisioningFailure; they travel to the dialog on the `vep_prov` channel.
import { buildChannel } from './lib/channel.ts'
import { getNavigatorId, setNavigatorId } from './lib/navigator-id.ts'

function personaOrigin(): string {
  const cur = document.currentScript
  const src =
    cur instanceof HTMLScriptElement && cur.src ? cur.src : 'https://login.persona.org/provisioning_api.js'
  return new URL(src, location.href).origin
}

const id: Record<string, unknown> = getNavigatorId() ?? {}
if (typeof id.beginProvisioning !== 'function' || id._primaryAPIIsShimmed === true) {
  const chan = buildChannel({ window: window.parent, origin: personaOrigin(), scope: 'vep_prov' })
  id.beginProvisioning = (cb: unknown) => {
    if (typeof cb !== 'function') throw new TypeError('.beginProvisioning() requires a callback argument')
    void chan.call('beginProvisioning').then((r) => {
      if (typeof r === 'object' && r !== null && 'email' in r) {
        cb(r.email, 'cert_duration_s' in r ? r.cert_duration_s : undefined)
      }
    })
  }
  id.genKeyPair = (cb: unknown) => {
    if (typeof cb !== 'function') throw new TypeError('.genKeyPair() requires a callback argument')
    void chan.call('genKeyPair').then((pubkey) => cb(pubkey))
  }
  id.registerCertificate = (certificate: unknown) => chan.notify('registerCertificate', certificate)
  id.raiseProvisioningFailure = (reason: unknown) => chan.notify('raiseProvisioningFailure', reason)
  id._primaryAPIIsShimmed = true
  setNavigatorId(id)
}
