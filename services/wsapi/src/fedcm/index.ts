// SPDX-License-Identifier: MPL-2.0
// Persona as a FedCM identity provider: its endpoints, one declaration each (the reader serves them).
export * from './accounts.ts'
export * from './assertion.ts'
export * from './client-metadata.ts'
export * from './config.ts'
export * from './define.ts'
export * from './disconnect.ts'
export * from './paths.ts'
export * from './well-known.ts'
