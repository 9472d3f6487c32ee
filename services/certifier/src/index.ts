// SPDX-License-Identifier: MPL-2.0
// @persona/certifier: the app, its settings and the key-setup helper (ensureKeys).
export * from './app.ts'
export * from './config.ts'
export * from './keygen.ts'
export * from './signer.ts'
