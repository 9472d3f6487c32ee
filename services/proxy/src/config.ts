// SPDX-License-Identifier: MPL-2.0
// proxy settings. SHIMMED_PRIMARIES is refused in production: it would let a domain name point at
// any origin we choose, which only development and tests may do.
import { baseConfig, ConfigError, loadConfig, type ServiceSettings, serviceSettings } from '@persona/kit'
import { type Static, Type } from 'typebox'
import { parseShims, type Shims } from './shims.ts'

export const ProxyConfigSchema = Type.Object({
  ...baseConfig('proxy'),
  NODE_ENV: Type.String({ default: 'development', description: 'production refuses SHIMMED_PRIMARIES' }),
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
  PROXY_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 30000, default: 5000, description: 'whole fetch' }),
  PROXY_MAX_REDIRECTS: Type.Integer({
    minimum: 0,
    maximum: 5,
    default: 3,
    description: 'same-domain redirects',
  }),
})
export type ProxyEnv = Static<typeof ProxyConfigSchema>

export interface ProxyConfig extends ServiceSettings {
  readonly shims: Shims
  readonly maxBytes: number
  readonly timeoutMs: number
  readonly maxRedirects: number
}

/** @throws {ConfigError} */
export function proxyConfig(env: Readonly<Record<string, string | undefined>> = process.env): ProxyConfig {
  const c = loadConfig(ProxyConfigSchema, env)
  let shims: Shims
  try {
    shims = parseShims(c.SHIMMED_PRIMARIES)
  } catch (e) {
    throw new ConfigError(`invalid configuration: ${e instanceof Error ? e.message : String(e)}`)
  }
  if (c.NODE_ENV === 'production' && shims.size > 0) {
    throw new ConfigError('invalid configuration: SHIMMED_PRIMARIES is not allowed when NODE_ENV=production')
  }
  return {
    ...serviceSettings(c, 'proxy'),
    shims,
    maxBytes: c.PROXY_MAX_BYTES,
    timeoutMs: c.PROXY_TIMEOUT_MS,
    maxRedirects: c.PROXY_MAX_REDIRECTS,
  }
}
