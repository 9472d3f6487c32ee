// SPDX-License-Identifier: MPL-2.0
// @persona/reader: the app and its settings.
export * from './app.ts'
export * from './config.ts'
