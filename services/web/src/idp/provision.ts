// SPDX-License-Identifier: MPL-2.0
// /provision: Persona's own provisioning page, as the support document names it (Persona's
// resources/views/provision.ejs): for an address of a domain that delegates to us, our dialog loads it
// in a hidden frame; it certifies the address when this browser's Persona session owns it at password
// level, and raises a provisioning failure otherwise (the dialog then shows /auth).
import '../provisioning-api.ts'
import { getNavigatorId } from '../lib/navigator-id.ts'
import { Wsapi } from '../lib/wsapi.ts'

const api = new Wsapi()

type Fn = (...args: unknown[]) => void

function method(name: string): Fn {
  const id = getNavigatorId()
  const f: unknown = id?.[name]
  if (typeof f !== 'function') throw new TypeError(`navigator.id.${name} is missing`)
  return (...args: unknown[]) => Reflect.apply(f, id, args)
}

method('beginProvisioning')((email: unknown, certDurationS: unknown) => {
  void (async () => {
    const fail = method('raiseProvisioningFailure')
    try {
      const ctx = await api.sessionContext(true)
      if (!ctx.authenticated || ctx.auth_level !== 'password') return fail('user is not authenticated')
      const emails = await api.listEmails()
      if (typeof email !== 'string' || !emails.includes(email)) {
        return fail('user is not authenticated as target user')
      }
      // A certificate asked for an hour or less is the short-lived kind.
      const ephemeral = typeof certDurationS === 'number' && certDurationS <= 3600
      method('genKeyPair')((pubkey: unknown) => {
        if (typeof pubkey !== 'string') return fail('no public key')
        api.certKey(email, pubkey, ephemeral).then(
          (cert) => method('registerCertificate')(cert),
          (e: unknown) => fail(e instanceof Error ? e.message : 'certification failed'),
        )
      })
    } catch (e) {
      fail(e instanceof Error ? e.message : 'provisioning failed')
    }
  })()
})
