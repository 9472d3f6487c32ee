// SPDX-License-Identifier: MPL-2.0
// A DNS lookup for net/tls.connect that refuses any answer naming a forbidden address. Because the
// socket connects to exactly the address this function returned, a second, different DNS answer
// (rebinding) never gets a chance to be used.
import type { LookupAddress, LookupOptions } from 'node:dns'
import { lookup as dnsLookup } from 'node:dns/promises'
import type { AddressVerdict } from './address-policy.ts'

export class DestinationRefusedError extends Error {
  readonly code = 'ERR_DESTINATION_REFUSED'
  constructor(reason: string) {
    super(reason)
    this.name = 'DestinationRefusedError'
  }
}

export type Resolver = (hostname: string) => Promise<LookupAddress[]>

export const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true })

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void

export function guardedLookup(resolve: Resolver, check: (address: string) => AddressVerdict) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    resolve(hostname).then(
      (addresses) => {
        const first = addresses[0]
        if (first === undefined) {
          const e: NodeJS.ErrnoException = new Error(`no address for ${hostname}`)
          e.code = 'ENOTFOUND'
          callback(e, [])
          return
        }
        // Every answer must pass: otherwise a mixed answer could still steer us inside.
        for (const a of addresses) {
          const verdict = check(a.address)
          if (!verdict.allowed) {
            callback(new DestinationRefusedError(`${hostname} resolves to ${verdict.reason}`), [])
            return
          }
        }
        if (options.all === true) callback(null, addresses)
        else callback(null, first.address, first.family)
      },
      (err: NodeJS.ErrnoException) => callback(err, []),
    )
  }
}
