// SPDX-License-Identifier: MPL-2.0
// Email address rules as Persona applied them (validator 1.5's isEmail, see persona-wsapi.md): a local
// part of dot-separated atoms of word characters and RFC 5322 specials, then either a DNS name with at
// least one dot (labels of 1-63 letters, digits and inner hyphens) or a bracketed IPv4 address.

const ATOM = "[\\w!#$%&'*+\\-/=?^`{|}~]+"
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?'
const OCTET = '(?:25[0-5]|2[0-4]\\d|[01]?\\d{1,2})'
const EMAIL_RE = new RegExp(
  `^${ATOM}(?:\\.${ATOM})*@(?:(?:${LABEL}\\.)+${LABEL}|\\[(?:${OCTET}\\.){3}${OCTET}\\])$`,
)

/** The longest address we accept: what the database column holds. */
export const MAX_EMAIL_LENGTH = 255

export function isValidEmail(email: unknown): email is string {
  return typeof email === 'string' && email.length <= MAX_EMAIL_LENGTH && EMAIL_RE.test(email)
}

/** The lower-cased domain of a valid address, or null (Persona's primary.domainFromEmail). */
export function domainFromEmail(email: unknown): string | null {
  if (!isValidEmail(email)) return null
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase()
}

const HOSTNAME_RE = new RegExp(`^(?:${LABEL}\\.)*${LABEL}$`)

/** A DNS hostname (no scheme, no port), as support-document authorities and issuers must be. */
export function isValidHostname(host: unknown): host is string {
  return typeof host === 'string' && host.length <= 253 && HOSTNAME_RE.test(host)
}
