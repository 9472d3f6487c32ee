// SPDX-License-Identifier: MPL-2.0
// Configuration of the router (Persona's `router` process): where reader and static live and how long
// each hop may take before the caller gets a JSON 504.
import { defineServiceConfig } from '@persona/kit'
import { Type } from 'typebox'

export const CONFIG = defineServiceConfig(
  'router',
  {
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
  },
  (c) => ({
    readerUrl: c.upstream.reader,
    staticUrl: c.upstream.static,
    upstreamTimeoutMs: c.ROUTER_UPSTREAM_TIMEOUT_MS,
    connectTimeoutMs: c.ROUTER_CONNECT_TIMEOUT_MS,
  }),
)

export type RouterConfig = ReturnType<typeof CONFIG.load>

export function loadRouterConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): RouterConfig {
  return CONFIG.load(env)
}
