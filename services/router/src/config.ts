// SPDX-License-Identifier: MPL-2.0
// Configuration of the router (Persona's `router` process): where reader and static live and how long
// each hop may take before the caller gets a JSON 504.
import {
  baseConfig,
  configValue,
  loadConfig,
  type ServiceSettings,
  serviceSettings,
  upstreamConfig,
  upstreamEnv,
} from '@persona/kit'
import { Type } from 'typebox'

export const RouterEnvSchema = Type.Object({
  ...baseConfig('router'),
  ...upstreamConfig('reader'),
  ...upstreamConfig('static'),
  ROUTER_UPSTREAM_TIMEOUT_MS: Type.Integer({
    minimum: 100,
    maximum: 120000,
    default: 15000,
    description: 'longest wait for an upstream answer (headers, then between body chunks)',
  }),
  ROUTER_CONNECT_TIMEOUT_MS: Type.Integer({
    minimum: 50,
    maximum: 30000,
    default: 2000,
    description: 'longest wait to open a connection to an upstream',
  }),
})

export interface RouterConfig extends ServiceSettings {
  readonly readerUrl: string
  readonly staticUrl: string
  readonly upstreamTimeoutMs: number
  readonly connectTimeoutMs: number
}

export function loadRouterConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): RouterConfig {
  const c = loadConfig(RouterEnvSchema, env)
  return {
    ...serviceSettings(c, 'router'),
    readerUrl: String(configValue(c, upstreamEnv('reader'))),
    staticUrl: String(configValue(c, upstreamEnv('static'))),
    upstreamTimeoutMs: Number(configValue(c, 'ROUTER_UPSTREAM_TIMEOUT_MS')),
    connectTimeoutMs: Number(configValue(c, 'ROUTER_CONNECT_TIMEOUT_MS')),
  }
}
