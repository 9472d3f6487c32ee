// SPDX-License-Identifier: MPL-2.0
// The proxy's HTTP contract, shared by the proxy (server side) and its one client (client.ts):
// `GET /wellknown?domain=D` answers 200 with D's support document and the origin it came from in
// `x-idp-origin`; 404 when D has none; 502 when it could not be used or reached. Reasons in 404 and
// 502 bodies are safe to show a relying site or a browser: they never carry network details.
export const WELLKNOWN_ROUTE = '/wellknown'

/** This contract as an OpenAPI 3.1 description. */
export const OPENAPI_ROUTE = '/openapi.json'

/** The proxy's response header naming the origin a support document came from. */
export const IDP_ORIGIN_HEADER = 'x-idp-origin'

export const reasons = {
  none: (domain: string) => `${domain} has no support document`,
  invalid: (domain: string, what: string) => `unusable support document from ${domain}: ${what}`,
  /** One text for refused addresses, refused connections, TLS failures and timeouts alike. */
  unreachable: (domain: string) => `could not reach ${domain}`,
  /** The client's own, when the proxy itself did not answer (or not per contract). */
  unavailable: (domain: string) => `could not get the support document of ${domain}`,
} as const
