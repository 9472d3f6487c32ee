// SPDX-License-Identifier: MPL-2.0
// proxy settings. SHIMMED_PRIMARIES is refused in production: it would let a domain name point at
// any origin we choose, which only development and tests may do.
import { ConfigError, defineServiceConfig } from '@persona/kit'
import { Type } from 'typebox'
import { parseShims, type Shims } from './shims.ts'

export const CONFIG = defineServiceConfig(
  'proxy',
  {
    SHIMMED_PRIMARIES: Type.String({
      default: '',
      description: 'dev/test only: domain=origin pairs, comma separated, fetched instead of https://domain',
    }),
    PROXY_MAX_BYTES: Type.Integer({
      minimum: 1024,
      maximum: 1048576,
      default: 65536,
      description: 'largest document',
    }),
    PROXY_TIMEOUT_MS: Type.Integer({
      minimum: 100,
      maximum: 30000,
      default: 5000,
      description: 'whole fetch',
    }),
    PROXY_MAX_REDIRECTS: Type.Integer({
      minimum: 0,
      maximum: 5,
      default: 3,
      description: 'same-domain redirects',
    }),
  },
  (c) => {
    let shims: Shims
    try {
      shims = parseShims(c.SHIMMED_PRIMARIES)
    } catch (e) {
      throw new ConfigError(`invalid configuration: ${e instanceof Error ? e.message : String(e)}`)
    }
    if (c.production && shims.size > 0) {
      throw new ConfigError(
        'invalid configuration: SHIMMED_PRIMARIES is not allowed when NODE_ENV=production',
      )
    }
    return {
      shims,
      maxBytes: c.PROXY_MAX_BYTES,
      timeoutMs: c.PROXY_TIMEOUT_MS,
      maxRedirects: c.PROXY_MAX_REDIRECTS,
    }
  },
)

export type ProxyConfig = ReturnType<typeof CONFIG.load>

/** @throws {ConfigError} */
export function proxyConfig(env: Readonly<Record<string, string | undefined>> = process.env): ProxyConfig {
  return CONFIG.load(env)
}
