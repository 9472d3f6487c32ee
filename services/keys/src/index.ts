// SPDX-License-Identifier: MPL-2.0
// @persona/keys: the certifier's key ring and the public keys everyone trusts, reloaded on change,
// rotated without downtime; JWK/JWKS forms (node-jose) in jwk.ts.
export * from './files.ts'
export * from './keystore.ts'
export * from './ring.ts'
export * from './rotate.ts'
export * from './support-document.ts'
