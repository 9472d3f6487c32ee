// SPDX-License-Identifier: MPL-2.0
// @persona/wsapi: the wsapi's calls (one declaration each), their argument types and validation, the
// session contract between reader and writer, the mailed-token kinds, and the request pipeline both use.
export * from './args.ts'
export * from './calls.ts'
export * from './define.ts'
export * from './pipeline.ts'
export * from './replies.ts'
export * from './session.ts'
export * from './tokens.ts'
export * from './validate.ts'
