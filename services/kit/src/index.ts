// SPDX-License-Identifier: MPL-2.0
// The service kit: plumbing written once for all seven services.
export * from './config.ts'
export * from './errors.ts'
export * from './heartbeat.ts'
export * from './internal-auth.ts'
export * from './internal-http.ts'
export * from './logger.ts'
export * from './ports.ts'
export * from './request-id.ts'
export * from './server.ts'
export * from './service.ts'
export * from './topology.ts'
