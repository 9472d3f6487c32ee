// SPDX-License-Identifier: MPL-2.0
// Assertions presented to us (auth_with_assertion, add_email_with_assertion): verified by the reader
// with @persona/browserid, audience = our own origin, one certificate only, issuer the address's domain
// (or its delegate) -- the rules of Persona's lib/wsapi/auth_with_assertion.js. Support documents come
// through the proxy; the writer trusts the address the reader reports.
import { verifyAssertion } from '@persona/browserid'
import type { SupportDocumentClient } from '@persona/proxy/client'

export type AssertionCheck =
  | { readonly ok: true; readonly email: string; readonly issuer: string }
  | { readonly ok: false; readonly reason: string }

export interface AssertionChecker {
  check(assertion: string, requestId?: string): Promise<AssertionCheck>
}

export function assertionChecker(opts: {
  readonly proxy: SupportDocumentClient
  readonly audience: string
  readonly now: () => number
  readonly disablePrimarySupport: boolean
}): AssertionChecker {
  return {
    async check(assertion, requestId) {
      if (opts.disablePrimarySupport) return { ok: false, reason: 'primary support disabled' }
      if (assertion.split('~').length !== 2)
        return { ok: false, reason: 'certificate chaining is not supported' }
      const res = await verifyAssertion(assertion, opts.audience, {
        now: opts.now(),
        fetchSupportDocument: async (domain: string) => {
          const got = await opts.proxy.supportDocument(domain, requestId)
          if (got.kind === 'document') return got.document
          if (got.kind === 'none') return null
          throw new Error(got.reason)
        },
      })
      if (res.status !== 'okay') return { ok: false, reason: res.reason }
      if (res.email === undefined) return { ok: false, reason: 'assertion certifies no verified email' }
      return { ok: true, email: res.email, issuer: res.issuer }
    },
  }
}
