// SPDX-License-Identifier: MPL-2.0
// The environment each process of the local stack receives: the deployment contract's render
// (deploy/src/env.ts) for a site of processes on 127.0.0.1 with the stack's ports. Secrets are files,
// one directory per service holding exactly what the topology lets it hold (devSecretFiles), never env
// values. Nothing is inherited from the launcher's own environment except a few harmless variables,
// so a secret exported in the developer's shell never reaches a process that may not hold it.
import { partEnv, type Site, secretsDirOf } from '@persona/deploy/env'
import { PLATFORM_ENV, secretFilesOf } from '@persona/deploy/parts'
import { PART_SCHEMAS } from '@persona/deploy/schemas'
import { SECRET_NAMES, SECRETS, type SecretName, type ServiceName } from '@persona/kit'

/** The secrets the dev stack makes (.dev/secrets.json); the private key is a file of its own. */
export const DEV_SECRET_KEYS = [
  'dbAdminPassword',
  'dbWriterPassword',
  'dbReaderPassword',
  'sessionSecret',
  'writerToken',
  'certifierToken',
] as const satisfies readonly SecretName[]
export type DevSecrets = Readonly<Record<(typeof DEV_SECRET_KEYS)[number], string>>

export interface Endpoint {
  readonly host: string
  readonly port: number
}

export interface StackLayout {
  readonly host: string
  readonly ports: Readonly<Record<ServiceName, number>>
  /** The public origin browsers use, e.g. http://127.0.0.1:8080 (nginx) or https://persona.test. */
  readonly publicUrl: string
  readonly smtp: Endpoint
  readonly db: { readonly master: Endpoint; readonly replica: Endpoint; readonly database: string }
  readonly keys: { readonly privateKeyFile: string; readonly publicKeyFile: string }
  /** Each service's secrets directory is `<secretsRoot>/<service>`. */
  readonly secretsRoot: string
  readonly distDir: string
  /** Extra CSP frame-src entries for static (shimmed IdP origins in dev). */
  readonly frameSources: readonly string[]
  /** domain=origin pairs for the proxy (dev and tests only). */
  readonly shimmedPrimaries: string
  readonly logLevel: string
  /** Settings for every service whose schema declares them (e.g. BCRYPT_ROUNDS); never a secret. */
  readonly extra?: Readonly<Record<string, string>>
  /** Settings for one service, same rule. */
  readonly perService?: Readonly<Partial<Record<ServiceName, Readonly<Record<string, string>>>>>
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

/** Variables copied from the launcher's environment; everything else is set explicitly. */
export const INHERITED_ENV = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'USER', 'TERM'] as const

export function inheritedEnv(from: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const k of INHERITED_ENV) {
    const v = from[k]
    if (v !== undefined) out[k] = v
  }
  return out
}

const SECRET_ENVS = new Set<string>(SECRET_NAMES.map((s) => SECRETS[s].env))

/** Node's own settings (compile cache ...) pass through as they are. */
function isPlatform(name: string): boolean {
  return PLATFORM_ENV.includes(name)
}

/** The extra settings a service's schema declares (secrets never: they are files). */
function settingsFor(svc: ServiceName, layout: StackLayout): Record<string, string> {
  const declared = new Set(Object.keys(PART_SCHEMAS[svc].properties))
  const own: Record<string, string> = {}
  if (svc === 'static') {
    own.STATIC_DIST_DIR = layout.distDir
    own.STATIC_FRAME_SOURCES = ['https:', ...layout.frameSources].join(' ')
  }
  if (svc === 'proxy' && layout.shimmedPrimaries !== '') own.SHIMMED_PRIMARIES = layout.shimmedPrimaries
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries({ ...own, ...layout.extra, ...layout.perService?.[svc] })) {
    if (declared.has(k) && !SECRET_ENVS.has(k)) out[k] = v
  }
  return out
}

/** The extra settings that are Node's, not the service's (they go to every process). */
function platformExtras(svc: ServiceName, layout: StackLayout): Record<string, string> {
  return Object.fromEntries(
    Object.entries({ ...layout.extra, ...layout.perService?.[svc] }).filter(([k]) => isPlatform(k)),
  )
}

/** The contract's site for the local stack: processes on `layout.host`, each on its own port. */
export function devSite(layout: StackLayout): Site {
  return {
    render: 'dev',
    containers: false,
    mode: 'development',
    listenHost: layout.host,
    ports: layout.ports,
    url: (to) => `http://${layout.host}:${layout.ports[to]}`,
    db: { master: layout.db.master, replica: layout.db.replica, name: layout.db.database },
    smtp: { host: layout.smtp.host, port: layout.smtp.port },
    publicUrl: layout.publicUrl,
    issuerDomain: new URL(layout.publicUrl).hostname,
    secretsDir: (part) => `${layout.secretsRoot}/${part}`,
    publicKeyFile: layout.keys.publicKeyFile,
    privateKeyFile: layout.keys.privateKeyFile,
    logLevel: layout.logLevel,
    shutdownGraceMs: 3000,
    settings: perService((svc) => settingsFor(svc, layout)),
  }
}

/** The env of one service process. */
export function serviceEnv(
  svc: ServiceName,
  layout: StackLayout,
  parentEnv: Readonly<Record<string, string | undefined>> = {},
): Record<string, string> {
  return { ...inheritedEnv(parentEnv), ...platformExtras(svc, layout), ...partEnv(svc, devSite(layout)) }
}

/**
 * The secret files of one service: file name -> value, written into its secrets directory
 * (`secretsDirOf`). The certifier's key is made in place by the key setup and not listed here.
 */
export function devSecretFiles(svc: ServiceName, secrets: DevSecrets): Record<string, string> {
  const out: Record<string, string> = {}
  for (const s of secretFilesOf(svc)) {
    if (s.via !== 'dir') continue
    const key = DEV_SECRET_KEYS.find((k) => k === s.secret)
    if (key !== undefined) out[s.file] = secrets[key]
  }
  return out
}

/** Where the stack writes one service's secret files. */
export function devSecretsDir(svc: ServiceName, layout: StackLayout): string {
  return secretsDirOf(svc, devSite(layout))
}

/** Env of a process that may hold no secret at all (mail catcher, nginx, example site, test IdP). */
export function plainEnv(
  vars: Readonly<Record<string, string>>,
  parentEnv: Readonly<Record<string, string | undefined>> = {},
): Record<string, string> {
  const env: Record<string, string> = { ...inheritedEnv(parentEnv), ...vars }
  for (const name of SECRET_ENVS) delete env[name]
  return env
}
