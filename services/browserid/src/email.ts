// SPDX-License-Identifier: MPL-2.0
// Email address and domain rules, in one place for the whole system (the wsapi's argument types, the
// certifier, certificate principals, support-document authorities). Addresses as Persona accepted them
// (validator 1.5's isEmail, see persona-wsapi.md): a local part of dot-separated atoms of word
// characters and RFC 5322 specials, then either a DNS name with at least one dot or a bracketed IPv4
// address; at most 254 characters (RFC 5321's path limit).

const ATOM = "[A-Za-z0-9_!#$%&'*+\\-/=?^`{|}~]+"
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?'
const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])'

/** The longest address we accept (the database column holds 255). */
export const MAX_EMAIL_LENGTH = 254
/** The longest DNS name. */
export const MAX_HOSTNAME_LENGTH = 253

/** An email address, as a JSON Schema `pattern` (anchored). */
export const EMAIL_PATTERN = `^${ATOM}(?:\\.${ATOM})*@(?:(?:${LABEL}\\.)+${LABEL}|\\[(?:${OCTET}\\.){3}${OCTET}\\])$`
/** A DNS hostname or dotted IPv4 address (no scheme, no port), as a JSON Schema `pattern` (anchored). */
export const HOSTNAME_PATTERN = `^(?:${LABEL}\\.)*${LABEL}$`

const EMAIL_RE = new RegExp(EMAIL_PATTERN)
const HOSTNAME_RE = new RegExp(HOSTNAME_PATTERN)

export function isValidEmail(email: unknown): email is string {
  return typeof email === 'string' && email.length <= MAX_EMAIL_LENGTH && EMAIL_RE.test(email)
}

/** The lower-cased domain of a valid address, or null (Persona's primary.domainFromEmail). */
export function domainFromEmail(email: unknown): string | null {
  if (!isValidEmail(email)) return null
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase()
}

/** A DNS hostname (no scheme, no port), as support-document authorities and issuers must be. */
export function isValidHostname(host: unknown): host is string {
  return typeof host === 'string' && host.length <= MAX_HOSTNAME_LENGTH && HOSTNAME_RE.test(host)
}
