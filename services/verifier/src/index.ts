// SPDX-License-Identifier: MPL-2.0
export { buildApp } from './app.ts'
export { verifierConfig } from './config.ts'
