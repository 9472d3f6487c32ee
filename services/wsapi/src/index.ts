// SPDX-License-Identifier: MPL-2.0
// @persona/wsapi: the wsapi's calls (one declaration each), their argument types and validation, the
// session contract between reader and writer, the mailed-token kinds, the request pipeline both use, and
// the FedCM identity provider's endpoints (fedcm/).
export * from './args.ts'
export * from './calls.ts'
export * from './csrf-header.ts'
export * from './define.ts'
export * from './fedcm/index.ts'
export * from './pipeline.ts'
export * from './replies.ts'
export * from './session.ts'
export * from './tokens.ts'
export * from './validate.ts'
