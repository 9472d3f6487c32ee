// SPDX-License-Identifier: MPL-2.0
// The deployment contract: what every deployable part of Persona needs, for every target (README.md).
export * from './check.ts'
export * from './env.ts'
export * from './images.ts'
export * from './parts.ts'
export * from './schemas.ts'
