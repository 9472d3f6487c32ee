// SPDX-License-Identifier: MPL-2.0
// Which destination addresses the proxy may connect to: public unicast only. Everything else
// (loopback, private, link-local, multicast, carrier NAT, reserved, IPv4-mapped forms of those) is
// refused, so an IdP domain can't be used to reach our own network (SSRF).
import ipaddr from 'ipaddr.js'

export type AddressVerdict = { readonly allowed: true } | { readonly allowed: false; readonly reason: string }

export function checkAddress(address: string): AddressVerdict {
  if (!ipaddr.isValid(address)) return { allowed: false, reason: `${address} is not an IP address` }
  let parsed = ipaddr.parse(address)
  // ::ffff:10.0.0.1 is 10.0.0.1: judge the IPv4 address it carries.
  if (parsed.kind() === 'ipv6' && parsed instanceof ipaddr.IPv6 && parsed.isIPv4MappedAddress()) {
    parsed = parsed.toIPv4Address()
  }
  const range = parsed.range()
  if (range === 'unicast') return { allowed: true }
  return { allowed: false, reason: `${address} is a ${range} address` }
}
