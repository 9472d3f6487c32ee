// SPDX-License-Identifier: MPL-2.0
// @persona/reader: the app and its settings, plus the proxy client other parts may reuse.
export * from './app.ts'
export * from './config.ts'
export * from './proxy-client.ts'
