// SPDX-License-Identifier: MPL-2.0
// @persona/web: Persona's browser code. The bundles are built by build.ts; this entry exposes the pure
// helpers (encoding, JWS building, key serialization) for tests and tools.
export * from './lib/encoding.ts'
export * from './lib/jws.ts'
export { jwkToBrowserId, RS256_PARAMS, serializePublicKey } from './lib/keys.ts'
