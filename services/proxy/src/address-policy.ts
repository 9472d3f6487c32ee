// SPDX-License-Identifier: MPL-2.0
// Which destination addresses the proxy may connect to: public unicast only, so an IdP domain can't
// be used to reach our own network (SSRF). The special-purpose ranges are ipaddr.js's (IANA's
// registries); IPv6 must also lie in global unicast 2000::/3, which refuses every embedding form
// (IPv4-mapped ::ffff:0:0/96, IPv4-compatible ::/96, local NAT64 64:ff9b:1::/48, SIIT) at once.
// The one embedding judged by what it carries is the well-known NAT64 prefix 64:ff9b::/96: on an
// IPv6-only network with DNS64 every IPv4-only IdP has such an address.
import { isIP } from 'node:net'
import ipaddr from 'ipaddr.js'

export type AddressVerdict = { readonly allowed: true } | { readonly allowed: false; readonly reason: string }

const GLOBAL_UNICAST = ipaddr.parseCIDR('2000::/3')
const NAT64_WELL_KNOWN = ipaddr.parseCIDR('64:ff9b::/96')

export function checkAddress(address: string): AddressVerdict {
  if (!ipaddr.isValid(address)) return { allowed: false, reason: `${address} is not an IP address` }
  const parsed = ipaddr.parse(address)
  if (parsed instanceof ipaddr.IPv4) return judgeV4(address, parsed)
  if (parsed.match(NAT64_WELL_KNOWN)) {
    const b = parsed.toByteArray().slice(12)
    return judgeV4(address, new ipaddr.IPv4(b))
  }
  const range = parsed.range()
  if (range !== 'unicast') return refused(address, range)
  if (!parsed.match(GLOBAL_UNICAST)) return refused(address, 'non-global')
  return { allowed: true }
}

function judgeV4(address: string, v4: ipaddr.IPv4): AddressVerdict {
  const range = v4.range()
  return range === 'unicast' ? { allowed: true } : refused(address, range)
}

function refused(address: string, range: string): AddressVerdict {
  return { allowed: false, reason: `${address} is a ${range} address` }
}

/**
 * The address a host names literally, as sockets will read it: `127.0.0.1`, `[::1]` or `::1`, or null
 * for a name that needs DNS. Pass hosts the WHATWG URL parser produced (it turns 0x7f.1, 2130706433,
 * 0177.0.0.1, full-width digits and percent-encoded forms into dotted quads, IPv6 into canonical text).
 */
export function literalAddress(host: string): string | null {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host
  return isIP(bare) === 0 ? null : bare
}
