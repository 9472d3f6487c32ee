// SPDX-License-Identifier: MPL-2.0
// Configuration of the static service (Persona's `static` process): where the built front end lives and
// which origins the dialog may frame (IdP provisioning pages: https: in production, plus the shimmed
// test IdP origins in development).
import { fileURLToPath } from 'node:url'
import { defineServiceConfig } from '@persona/kit'
import { Type } from 'typebox'

export const DEFAULT_DIST_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url))

export const CONFIG = defineServiceConfig(
  'static',
  {
    STATIC_DIST_DIR: Type.String({ default: DEFAULT_DIST_DIR, description: 'the web build output (dist/)' }),
    STATIC_FRAME_SOURCES: Type.String({
      default: 'https:',
      pattern: "^[A-Za-z0-9:/._*' -]*$",
      description: 'space-separated CSP frame-src sources besides self (IdP provisioning pages)',
    }),
    STATIC_ENTRY_MAX_AGE: Type.Integer({
      minimum: 0,
      maximum: 86400,
      default: 300,
      description: 'seconds browsers may cache the unhashed entry points (include.js)',
    }),
  },
  (c) => ({
    distDir: c.STATIC_DIST_DIR,
    frameSources: c.STATIC_FRAME_SOURCES.split(/\s+/).filter((s) => s !== ''),
    entryMaxAge: c.STATIC_ENTRY_MAX_AGE,
  }),
)

export type StaticConfig = ReturnType<typeof CONFIG.load>

export function loadStaticConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): StaticConfig {
  return CONFIG.load(env)
}
