// SPDX-License-Identifier: MPL-2.0
// The environment each process of the local stack receives, as a pure function of the stack's layout
// and the dev secrets. What a service gets is derived from the topology table: its upstream URLs from
// the flows, its database role from the secret it may hold, its secrets from secretsOf(). Nothing is
// inherited from the launcher's own environment except a few harmless variables, so a secret exported
// in the developer's shell never reaches a process that may not hold it.
import {
  FLOWS,
  forbiddenSecretEnv,
  mayCall,
  SECRET_NAMES,
  SECRETS,
  SERVICE_SPECS,
  SERVICES,
  type SecretName,
  type ServiceName,
  secretsOf,
  upstreamEnv,
} from '@persona/kit'
import { dbEnvFor } from '@persona/store/config'

/** The generated secrets kept in .dev/secrets.json (the private key is a file, not a value). */
export type DevSecrets = Readonly<Record<Exclude<SecretName, 'certifierPrivateKey'>, string>>

export interface Endpoint {
  readonly host: string
  readonly port: number
}

export interface StackLayout {
  readonly host: string
  readonly ports: Readonly<Record<ServiceName, number>>
  /** The public origin (nginx), e.g. http://127.0.0.1:8080. */
  readonly publicUrl: string
  readonly smtp: Endpoint
  readonly db: { readonly master: Endpoint; readonly replica: Endpoint; readonly database: string }
  readonly keys: { readonly privateKeyFile: string; readonly publicKeyFile: string }
  readonly distDir: string
  /** Extra CSP frame-src entries for static (shimmed IdP origins in dev). */
  readonly frameSources: readonly string[]
  /** domain=origin pairs for the proxy (dev and tests only). */
  readonly shimmedPrimaries: string
  readonly logLevel: string
  /** Added to every service's env (e.g. BCRYPT_ROUNDS); secret names are dropped where not allowed. */
  readonly extra?: Readonly<Record<string, string>>
  /** Added to one service's env, same rule. */
  readonly perService?: Readonly<Partial<Record<ServiceName, Readonly<Record<string, string>>>>>
}

/** Variables copied from the launcher's environment; everything else is set explicitly. */
/** Narrows a flow-graph node to one of our services. */
export function isService(name: string): name is ServiceName {
  return SERVICES.some((s) => s === name)
}

/** A record over every service (the compiler checks that none is missing). */
export function perService<T>(f: (svc: ServiceName) => T): Record<ServiceName, T> {
  return {
    router: f('router'),
    static: f('static'),
    reader: f('reader'),
    writer: f('writer'),
    certifier: f('certifier'),
    verifier: f('verifier'),
    proxy: f('proxy'),
  }
}

export const INHERITED_ENV = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'USER', 'TERM'] as const

export function inheritedEnv(from: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const k of INHERITED_ENV) {
    const v = from[k]
    if (v !== undefined) out[k] = v
  }
  return out
}

function secretValue(name: SecretName, layout: StackLayout, secrets: DevSecrets): string {
  return name === 'certifierPrivateKey' ? layout.keys.privateKeyFile : secrets[name]
}

/** The env of one service process. */
export function serviceEnv(
  svc: ServiceName,
  layout: StackLayout,
  secrets: DevSecrets,
  parentEnv: Readonly<Record<string, string | undefined>> = {},
): Record<string, string> {
  const env: Record<string, string> = {
    ...inheritedEnv(parentEnv),
    NODE_ENV: 'development',
    HOST: layout.host,
    [SERVICE_SPECS[svc].portEnv]: String(layout.ports[svc]),
    LOG_LEVEL: layout.logLevel,
    SHUTDOWN_GRACE_MS: '3000',
    PUBLIC_URL: layout.publicUrl,
    ISSUER_DOMAIN: new URL(layout.publicUrl).hostname,
  }
  // Upstream URLs: exactly the services this one may call.
  for (const f of FLOWS) {
    if (f.from !== svc) continue
    const up = f.to
    if (isService(up)) env[upstreamEnv(up)] = `http://${layout.host}:${layout.ports[up]}`
  }
  // Secrets: exactly the ones secretsOf() lets it hold.
  const held = secretsOf(svc)
  for (const s of held) env[SECRETS[s].env] = secretValue(s, layout, secrets)
  // Database connection: writer role on the master, reader role on the replica, by the secret held.
  if (held.includes('dbWriterPassword') && mayCall(svc, 'db-master')) {
    Object.assign(env, dbEnvFor('WRITER', layout.db.master, secrets.dbWriterPassword, layout.db.database))
  }
  if (held.includes('dbReaderPassword') && mayCall(svc, 'db-replica')) {
    Object.assign(env, dbEnvFor('READER', layout.db.replica, secrets.dbReaderPassword, layout.db.database))
  }
  if (mayCall(svc, 'smtp')) {
    env.SMTP_HOST = layout.smtp.host
    env.SMTP_PORT = String(layout.smtp.port)
  }
  if (svc === 'reader' || svc === 'verifier') env.PUBLIC_KEY_FILE = layout.keys.publicKeyFile
  if (svc === 'reader') env.COOKIE_SECURE = 'false'
  if (svc === 'static') {
    env.STATIC_DIST_DIR = layout.distDir
    env.STATIC_FRAME_SOURCES = ['https:', ...layout.frameSources].join(' ')
  }
  if (svc === 'proxy' && layout.shimmedPrimaries !== '') env.SHIMMED_PRIMARIES = layout.shimmedPrimaries
  Object.assign(env, layout.extra, layout.perService?.[svc])
  // Whatever the extras said, a secret this service may not hold is never passed.
  for (const name of forbiddenSecretEnv(svc)) delete env[name]
  return env
}

/** Env of a process that may hold no secret at all (mail catcher, nginx, example site, test IdP). */
export function plainEnv(
  vars: Readonly<Record<string, string>>,
  parentEnv: Readonly<Record<string, string | undefined>> = {},
): Record<string, string> {
  const env: Record<string, string> = { ...inheritedEnv(parentEnv), ...vars }
  for (const s of SECRET_NAMES) delete env[SECRETS[s].env]
  return env
}
