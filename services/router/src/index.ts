// SPDX-License-Identifier: MPL-2.0
// The router: the entry for web traffic, proxying to reader and static.
export * from './app.ts'
export * from './config.ts'
