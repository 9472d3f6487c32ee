// SPDX-License-Identifier: MPL-2.0
// What counts as an IdP domain: DNS labels only (no scheme, port, path, IP literal or trailing dot).
// Whether a host is an address is the WHATWG URL parser's decision, not ours: it reads 0x7f.0x1,
// 2130706433 or 0177.1 as 127.0.0.1, and those are what a fetch of https://HOST/ would connect to.
import { MAX_HOSTNAME_LENGTH } from '@persona/browserid/email'
import { literalAddress } from './address-policy.ts'

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/

export function normalizeDomain(input: string): string | null {
  const d = input.trim().toLowerCase()
  if (d.length === 0 || d.length > MAX_HOSTNAME_LENGTH) return null
  if (!d.split('.').every((l) => LABEL.test(l))) return null
  let host: string
  try {
    host = new URL(`https://${d}/`).hostname
  } catch {
    return null // e.g. "foo.0x1": ends like a number, yet is not an address
  }
  if (literalAddress(host) !== null || host !== d) return null
  return d
}
