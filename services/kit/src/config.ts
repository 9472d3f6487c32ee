// SPDX-License-Identifier: MPL-2.0
// Configuration from environment variables, validated once at boot against a TypeBox schema. A wrong or
// missing value stops start-up with one clear line naming the variable. `defineServiceConfig` is the one
// shape every service's settings take: the common fields, the URLs of the services the topology lets it
// call, its own fields, all typed, and production refusal of the development secrets it may hold.
import { envSchema } from 'env-schema'
import { type Static, type TObject, type TProperties, type TString, Type } from 'typebox'
import { withSecretFiles } from './secret-files.ts'
import {
  DEV_SECRET_PREFIX,
  mayHold,
  SECRET_NAMES,
  SECRETS,
  SERVICE_SPECS,
  SERVICES,
  type ServiceName,
  secretsOf,
  type UpstreamOf,
  upstreamsOf,
} from './topology.ts'

export class ConfigError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ConfigError'
  }
}

type Env = Readonly<Record<string, string | undefined>>

/**
 * Validates `env` against `schema` (coercing strings to numbers and booleans, applying defaults) and
 * returns a frozen object.
 * @throws {ConfigError} one line naming every bad or missing variable
 */
export function loadConfig<T extends TObject>(schema: T, env: Env = process.env): Readonly<Static<T>> {
  try {
    const cfg: Static<T> = envSchema({ schema, data: { ...env }, dotenv: false })
    return Object.freeze(cfg)
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e)
    throw new ConfigError(`invalid configuration: ${msg.replace(/\s+/g, ' ')}`)
  }
}

/**
 * `{ [key]: value }` with the key's literal type kept: TypeScript widens a computed key to `string`,
 * which would lose the field from the config's static type.
 */
export function keyed<const K extends string, V>(key: K, value: V): { readonly [P in K]: V } {
  return Object.fromEntries([[key, value]]) as { readonly [P in K]: V }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

type PortEnv<S extends ServiceName> = (typeof SERVICE_SPECS)[S]['portEnv']

/** Settings every service has: where it listens, how it logs, how long it drains, which mode it runs in. */
export function baseConfig<S extends ServiceName>(service: S) {
  const spec = SERVICE_SPECS[service]
  return {
    NODE_ENV: Type.String({
      default: 'development',
      description: "'production' refuses development secrets and development-only settings",
    }),
    HOST: Type.String({ default: '127.0.0.1', description: 'address to listen on' }),
    ...keyed(
      spec.portEnv satisfies PortEnv<S>,
      Type.Integer({ minimum: 0, maximum: 65535, default: spec.port, description: 'listen port' }),
    ),
    LOG_LEVEL: Type.Union(
      LOG_LEVELS.map((l) => Type.Literal(l)),
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
export function upstreamEnv<S extends ServiceName>(service: S): `${Uppercase<S>}_URL` {
  return `${toUpper(service)}_URL`
}

function toUpper<S extends string>(s: S): Uppercase<S> {
  return s.toUpperCase() as Uppercase<S>
}

type UpstreamProps<S extends ServiceName> = {
  readonly [U in UpstreamOf<S> as `${Uppercase<U>}_URL`]: TString
}

function upstreamSchema(service: ServiceName): TString {
  return Type.String({
    // A pattern, not format 'uri': env-schema's ajv has no format plugins and rejects the schema.
    pattern: '^https?://[^\\s/?#]+(/[^\\s?#]*)?$',
    default: `http://127.0.0.1:${SERVICE_SPECS[service].port}`,
    description: `base URL of the ${service} service`,
  })
}

/** The services `service` may call (topology FLOWS), as a list the compiler knows. */
function upstreams<S extends ServiceName>(service: S): UpstreamOf<S>[] {
  const out: UpstreamOf<S>[] = []
  for (const to of upstreamsOf(service)) {
    const svc = SERVICES.find((s): s is UpstreamOf<S> => s === to)
    if (svc !== undefined) out.push(svc)
  }
  return out
}

/** A URL field for each service that `service` may call (topology FLOWS), defaulting to loopback. */
export function upstreamConfig<S extends ServiceName>(service: S): UpstreamProps<S> {
  return Object.fromEntries(
    upstreams(service).map((u) => [upstreamEnv(u), upstreamSchema(u)]),
  ) as UpstreamProps<S>
}

/** The settings every service has, typed. */
export interface ServiceSettings {
  readonly host: string
  readonly port: number
  readonly logLevel: LogLevel
  readonly graceMs: number
  readonly trustProxy: string
  /** NODE_ENV=production: development secrets and development-only settings are refused. */
  readonly production: boolean
}

type BaseProps<S extends ServiceName> = ReturnType<typeof baseConfig<S>>
type SchemaProps<S extends ServiceName, P extends TProperties> = BaseProps<S> & UpstreamProps<S> & P

/** A service's loaded settings: the common ones, its upstreams' URLs, its own fields, what it derives. */
export type ServiceConfig<S extends ServiceName, P extends TProperties, D = unknown> = ServiceSettings &
  Readonly<Static<TObject<P>>> & {
    readonly name: S
    /** Base URL of every service this one may call (topology FLOWS), e.g. `upstream.writer`. */
    readonly upstream: Readonly<Record<UpstreamOf<S>, string>>
  } & Readonly<D>

export interface ServiceConfigDefinition<S extends ServiceName, P extends TProperties, D> {
  readonly service: S
  /**
   * Every variable the service reads, each with a description: render a deployment's environment and
   * check it against this (`Value.Check`, or `load(env)` for the exact start-up verdict).
   */
  readonly schema: TObject<SchemaProps<S, P>>
  /**
   * Validates `env`, refuses development secrets when NODE_ENV=production, returns frozen typed settings.
   * @throws {ConfigError} one line naming the bad variable
   */
  load(env?: Env): ServiceConfig<S, P, D>
}

/**
 * Declares a service's settings once. `fields` are its own variables (each with a description);
 * `derive` computes typed values from them (lists parsed, limits clamped) and may throw ConfigError.
 * The secrets the service declares must be exactly those the topology lets it hold.
 * @throws {TypeError} at definition when the fields and the topology's SECRETS table disagree
 * @example
 *   export const CONFIG = defineServiceConfig('writer', { WRITER_TOKEN: Type.String({ minLength: 16, description: '...' }) })
 *   const cfg = CONFIG.load()  // cfg.WRITER_TOKEN: string, cfg.port: number
 */
export function defineServiceConfig<S extends ServiceName, P extends TProperties, D = unknown>(
  service: S,
  fields: P,
  derive?: (c: ServiceConfig<S, P>) => D,
): ServiceConfigDefinition<S, P, D> {
  checkSecretFields(service, Object.keys(fields))
  const props: SchemaProps<S, P> = { ...baseConfig(service), ...upstreamConfig(service), ...fields }
  const schema = Type.Object(props)
  const portEnv = SERVICE_SPECS[service].portEnv
  return {
    service,
    schema,
    load(given: Env = process.env) {
      // Secrets come as files (PERSONA_SECRETS_DIR), and are checked like any other value.
      const env = secretFilesOrFail(service, given)
      // The schema has validated every field; the common ones are read back through one untyped view
      // here (a generic S leaves Static<> unresolved), and the whole is typed once on the way out.
      const c: Readonly<Record<string, unknown>> = loadConfig(schema, env)
      const production = c.NODE_ENV === 'production'
      if (production) refuseDevSecrets(service, env)
      const upstream = Object.fromEntries(
        upstreams(service).map((u) => [u, requireString(c, upstreamEnv(u))]),
      )
      const level = requireString(c, 'LOG_LEVEL')
      const settings: ServiceSettings = {
        host: requireString(c, 'HOST'),
        port: requireNumber(c, portEnv),
        logLevel: LOG_LEVELS.find((l) => l === level) ?? 'info',
        graceMs: requireNumber(c, 'SHUTDOWN_GRACE_MS'),
        trustProxy: requireString(c, 'TRUST_PROXY'),
        production,
      }
      const loaded = { ...c, ...settings, name: service, upstream: Object.freeze(upstream) } as ServiceConfig<
        S,
        P
      >
      return Object.freeze({ ...loaded, ...(derive === undefined ? {} : derive(loaded)) }) as ServiceConfig<
        S,
        P,
        D
      >
    },
  }
}

function secretFilesOrFail(service: ServiceName, env: Env): Env {
  try {
    return withSecretFiles(service, env)
  } catch (e) {
    throw new ConfigError(`invalid configuration: ${e instanceof Error ? e.message : String(e)}`)
  }
}

// The schema guarantees these keys; reading them through a typed view would need per-service generics.
function requireString(c: object, key: string): string {
  const v: unknown = Reflect.get(c, key)
  if (typeof v !== 'string') throw new ConfigError(`invalid configuration: ${key} is missing`)
  return v
}

function requireNumber(c: object, key: string): number {
  const v: unknown = Reflect.get(c, key)
  if (typeof v !== 'number') throw new ConfigError(`invalid configuration: ${key} is missing`)
  return v
}

/** Each secret the topology lets `service` hold is a declared field, and it declares no other secret. */
function checkSecretFields(service: ServiceName, declared: readonly string[]): void {
  for (const name of SECRET_NAMES) {
    const env = SECRETS[name].env
    const held = mayHold(service, name)
    if (held && !declared.includes(env)) {
      throw new TypeError(`${service} config: topology lets it hold ${env} but it declares no such field`)
    }
    if (!held && declared.includes(env)) {
      throw new TypeError(`${service} config: declares ${env}, a secret the topology does not let it hold`)
    }
  }
}

/** Whether a secret's value is one the development stack made (scripts/dev: `dev-` prefix). */
export function isDevSecret(value: string): boolean {
  return value.startsWith(DEV_SECRET_PREFIX)
}

/**
 * Refuses production start when a secret `service` holds (topology SECRETS) has a development value.
 * File secrets name a path, not a value, and are checked by whoever reads the file.
 * @throws {ConfigError} one line naming the variable
 */
export function refuseDevSecrets(service: ServiceName, env: Env): void {
  for (const name of secretsOf(service)) {
    const spec = SECRETS[name]
    if (spec.form !== 'value') continue
    const value = env[spec.env]
    if (value !== undefined && isDevSecret(value)) {
      throw new ConfigError(
        `invalid configuration: ${spec.env} is a development secret (${DEV_SECRET_PREFIX}...); NODE_ENV=production needs a real one`,
      )
    }
  }
}

/** A field whose schema carries no description (config definitions must describe every variable). */
export function undescribedFields(schema: TObject): string[] {
  return Object.entries(schema.properties)
    .filter(
      ([, s]) => typeof Reflect.get(s, 'description') !== 'string' || Reflect.get(s, 'description') === '',
    )
    .map(([k]) => k)
}
