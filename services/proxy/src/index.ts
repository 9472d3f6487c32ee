// SPDX-License-Identifier: MPL-2.0
export { buildApp, IDP_ORIGIN_HEADER, type ProxyDeps } from './app.ts'
export { proxyConfig } from './config.ts'
