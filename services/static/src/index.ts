// SPDX-License-Identifier: MPL-2.0
// The static service: serves the built web front end with its caching and security headers.
export * from './app.ts'
export * from './config.ts'
export * from './headers.ts'
export * from './pages.ts'
