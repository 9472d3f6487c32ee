// SPDX-License-Identifier: MPL-2.0
// @persona/writer: the app, its settings and the mailer.
export * from './app.ts'
export * from './config.ts'
export * from './mailer.ts'
