// SPDX-License-Identifier: MPL-2.0
// Configuration from environment variables, validated once at boot against a TypeBox schema. A wrong or
// missing value stops start-up with one clear line naming the variable.
import { envSchema } from 'env-schema'
import { type Static, type TObject, type TProperties, Type } from 'typebox'
import { SERVICE_SPECS, type ServiceName } from './topology.ts'

export class ConfigError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ConfigError'
  }
}

/**
 * Validates `env` against `schema` (coercing strings to numbers and booleans, applying defaults) and
 * returns a frozen object.
 * @throws {ConfigError} one line naming every bad or missing variable
 */
export function loadConfig<T extends TObject>(
  schema: T,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Readonly<Static<T>> {
  try {
    const cfg: Static<T> = envSchema({ schema, data: { ...env }, dotenv: false })
    return Object.freeze(cfg)
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e)
    throw new ConfigError(`invalid configuration: ${msg.replace(/\s+/g, ' ')}`)
  }
}

/** Settings every service has: where it listens, how it logs, how long it drains. */
export function baseConfig(service: ServiceName): TProperties {
  const spec = SERVICE_SPECS[service]
  return {
    HOST: Type.String({ default: '127.0.0.1', description: 'address to listen on' }),
    [spec.portEnv]: Type.Integer({
      minimum: 0,
      maximum: 65535,
      default: spec.port,
      description: 'listen port',
    }),
    LOG_LEVEL: Type.Union(
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
      { default: 'info', description: 'pino log level' },
    ),
    SHUTDOWN_GRACE_MS: Type.Integer({
      minimum: 0,
      maximum: 120000,
      default: 10000,
      description: 'how long in-flight requests may finish after SIGTERM',
    }),
    TRUST_PROXY: Type.String({
      default: 'loopback',
      description: 'which hops may set X-Forwarded-For (the nginx hop only)',
    }),
  }
}

/** The env var holding another service's base URL, e.g. `READER_URL`. */
export function upstreamEnv(service: ServiceName): string {
  return `${service.toUpperCase()}_URL`
}

/** A URL setting for calling `service`, defaulting to its loopback address. */
export function upstreamConfig(service: ServiceName): TProperties {
  return {
    [upstreamEnv(service)]: Type.String({
      // A pattern, not format 'uri': env-schema's ajv has no format plugins and rejects the schema.
      pattern: '^https?://[^\\s/?#]+(/[^\\s?#]*)?$',
      default: `http://127.0.0.1:${SERVICE_SPECS[service].port}`,
      description: `base URL of the ${service} service`,
    }),
  }
}

/** Reads a property from a loaded config by name, failing loudly when absent. */
export function configValue(cfg: Readonly<Record<string, unknown>>, key: string): string | number | boolean {
  const v = cfg[key]
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v
  throw new ConfigError(`configuration value ${key} is missing`)
}

/** Rejects production start when a secret still has its development value. */
export function refuseDevSecrets(
  production: boolean,
  secrets: Record<string, string>,
  devPrefix = 'dev-',
): void {
  if (!production) return
  for (const [name, value] of Object.entries(secrets)) {
    if (value === '' || value.startsWith(devPrefix)) {
      throw new ConfigError(`invalid configuration: ${name} must be set to a real secret in production`)
    }
  }
}

/** The settings every service has, read from a config loaded with `baseConfig(service)` in its schema. */
export interface ServiceSettings {
  readonly host: string
  readonly port: number
  readonly logLevel: string
  readonly graceMs: number
  readonly trustProxy: string
}

/**
 * Extracts the typed common settings from a loaded config (whose schema spread `baseConfig(service)`).
 * @throws {ConfigError} when the schema did not include them
 */
export function serviceSettings(
  cfg: Readonly<Record<string, unknown>>,
  service: ServiceName,
): ServiceSettings {
  return {
    host: String(configValue(cfg, 'HOST')),
    port: Number(configValue(cfg, SERVICE_SPECS[service].portEnv)),
    logLevel: String(configValue(cfg, 'LOG_LEVEL')),
    graceMs: Number(configValue(cfg, 'SHUTDOWN_GRACE_MS')),
    trustProxy: String(configValue(cfg, 'TRUST_PROXY')),
  }
}
