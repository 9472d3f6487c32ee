// SPDX-License-Identifier: MPL-2.0
// @persona/wsapi: the wsapi call table, its argument types and validation, the session contract between
// reader and writer, and the bcrypt pool both use.
export * from './calls.ts'
export * from './password-hash.ts'
export * from './session.ts'
export * from './types.ts'
export * from './validate.ts'
