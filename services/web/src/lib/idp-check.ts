// SPDX-License-Identifier: MPL-2.0
// How the IdP checker reads, in any language: each finding, verdict and severity of the protocol
// library's checkSupport has its message (the idp bundle), formatted with the values the finding
// carries. The /check_idp page and `make check-idp` both word their findings through this table; and
// what an operator types (a URL, an address) becomes the domain to check.
import type { FindingArgs, FindingCode, Severity, Verdict } from '@persona/browserid/support-check'
import type { Messages } from '@persona/l10n'

export const FINDING_MESSAGES: Readonly<Record<FindingCode, string>> = {
  'bad-domain': 'idp-check-bad-domain',
  unreachable: 'idp-check-unreachable',
  'no-document': 'idp-check-no-document',
  'delegate-missing': 'idp-check-delegate-missing',
  'bad-document': 'idp-check-bad-document',
  disabled: 'idp-check-disabled',
  'delegation-loop': 'idp-check-delegation-loop',
  delegates: 'idp-check-delegates',
  'too-many-delegations': 'idp-check-too-many-delegations',
  supported: 'idp-check-supported',
  key: 'idp-check-key',
  'weak-key': 'idp-check-weak-key',
  pages: 'idp-check-pages',
  'same-pages': 'idp-check-same-pages',
}

export const VERDICT_MESSAGES: Readonly<Record<Verdict, string>> = {
  primary: 'idp-check-verdict-primary',
  secondary: 'idp-check-verdict-secondary',
  disabled: 'idp-check-verdict-disabled',
  broken: 'idp-check-verdict-broken',
}

export const SEVERITY_MESSAGES: Readonly<Record<Severity, string>> = {
  ok: 'idp-check-severity-ok',
  info: 'idp-check-severity-info',
  warning: 'idp-check-severity-warning',
  error: 'idp-check-severity-error',
}

/** A mark for each severity, for people who scan a list (screen readers get the word instead). */
export const SEVERITY_MARKS: Readonly<Record<Severity, string>> = {
  ok: '✓',
  info: 'i',
  warning: '!',
  error: '✗',
}

function has<K extends string>(table: Readonly<Record<K, string>>, key: string): key is K {
  return Object.hasOwn(table, key)
}

/** A finding as a sentence of `m`'s language (a code this release does not know: the general error). */
export function findingText(m: Messages, f: { readonly code: string; readonly args: FindingArgs }): string {
  return has(FINDING_MESSAGES, f.code)
    ? m.format(FINDING_MESSAGES[f.code], f.args)
    : m.format('error-generic')
}

export function verdictText(m: Messages, verdict: string, domain: string): string {
  return has(VERDICT_MESSAGES, verdict)
    ? m.format(VERDICT_MESSAGES[verdict], { domain })
    : m.format('error-generic')
}

export function severityText(m: Messages, severity: string): string {
  return has(SEVERITY_MESSAGES, severity) ? m.format(SEVERITY_MESSAGES[severity]) : severity
}

/**
 * The domain in what an operator typed: a bare domain, a URL (`https://example.com/.well-known/browserid`)
 * or an address (`kim@example.com`), lower-cased, without port or final dot. Not validated here.
 */
export function domainFromInput(input: string): string {
  let s = input.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
  s = s.split(/[/?#]/)[0] ?? ''
  s = s.slice(s.lastIndexOf('@') + 1)
  s = s.replace(/:\d*$/, '').replace(/\.$/, '')
  return s.toLowerCase()
}
