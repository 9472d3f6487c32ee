// SPDX-License-Identifier: MPL-2.0
// How a target fills a part's env. A `Site` says how things are addressed where the parts run (make
// dev: 127.0.0.1 and picked ports; compose and Kubernetes: service names; an EC2 host: 127.0.0.1 for
// the parts on the same host, load balancers and private DNS names for the others); partEnv() turns it
// into exactly the variables the part's schema declares that the site must set. Secrets never appear:
// each is a file (secretFilesOf), read by the kit from PERSONA_SECRETS_DIR.
import { FLOWS, type HostClass, SERVICE_SPECS, type ServiceName, upstreamEnv } from '@persona/kit'
import {
  CONTAINER_PATHS,
  isService,
  NODE_IMAGE_ENV,
  PART_SPECS,
  type PartName,
  type PartSpec,
  partsOfClass,
  type SecretFile,
  secretFilesOf,
} from './parts.ts'
import { PART_SCHEMAS } from './schemas.ts'

export interface Endpoint {
  readonly host: string
  readonly port: number
}

/** The edge's settings on a site (nginx). */
export interface EdgeSite {
  readonly mode: 'production' | 'local'
  /** `address:port` nginx listens on (default: the image's, 0.0.0.0:443 or :8080). */
  readonly listen?: string
  readonly serverNames: readonly string[]
  readonly verifierHost: string
  readonly httpRedirectPort?: number
  readonly trustedProxies?: readonly string[]
  readonly monitorAllow?: readonly string[]
}

export interface Site {
  /** The render's name, in messages: dev, compose, helm, host. */
  readonly render: string
  /** Containers of our images: NODE_ENV, HOST and PERSONA_SECRETS_DIR come from the image. */
  readonly containers: boolean
  readonly mode: 'development' | 'production'
  /** Processes (not containers): the address services listen on. */
  readonly listenHost?: string
  /** Listen ports other than the topology's (make dev's free ports). */
  readonly ports?: Partial<Record<ServiceName, number>>
  /** Base URL of `to` as `from` reaches it. */
  url(to: ServiceName, from: PartName): string
  readonly db: { readonly master: Endpoint; readonly replica: Endpoint; readonly name?: string }
  readonly smtp?: { readonly host: string; readonly port: number; readonly secure?: boolean }
  /** The public origin (https://login.example.org). */
  readonly publicUrl: string
  /** The issuer our certificates name (the public host name). */
  readonly issuerDomain: string
  /** Where each part's secrets are, when not the container path. */
  secretsDir?(part: PartName): string
  readonly publicKeyFile?: string
  /** The certifier's key file, when not in its secrets directory. */
  readonly privateKeyFile?: string
  readonly edge?: EdgeSite
  readonly logLevel?: string
  readonly trustProxy?: string
  readonly shutdownGraceMs?: number
  /** Values of other variables a part's schema declares, per part (checked against the schema). */
  readonly settings?: Readonly<Partial<Record<PartName, Readonly<Record<string, string>>>>>
}

/** host:port of a URL (nginx upstreams). */
function hostPort(url: string): string {
  const u = new URL(url)
  return `${u.hostname}:${u.port || (u.protocol === 'https:' ? '443' : '80')}`
}

/** Whether `part` may open a connection to service `to` (topology FLOWS). */
function calls(part: PartName, to: ServiceName): boolean {
  return FLOWS.some((f) => f.from === part && f.to === to)
}

function serviceEnv(svc: ServiceName, site: Site, declared: ReadonlySet<string>): Record<string, string> {
  const env: Record<string, string> = {}
  const set = (name: string, value: string | number | undefined) => {
    if (value !== undefined && declared.has(name)) env[name] = String(value)
  }
  if (!site.containers) {
    env.NODE_ENV = site.mode
    set('HOST', site.listenHost)
  }
  set(SERVICE_SPECS[svc].portEnv, site.ports?.[svc])
  set('LOG_LEVEL', site.logLevel)
  set('TRUST_PROXY', site.trustProxy)
  set('SHUTDOWN_GRACE_MS', site.shutdownGraceMs)
  for (const name of declared) {
    const up = /^([A-Z]+)_URL$/.exec(name)?.[1]?.toLowerCase()
    if (up !== undefined && isService(up) && calls(svc, up)) env[upstreamEnv(up)] = site.url(up, svc)
  }
  for (const [role, at] of [
    ['WRITER', site.db.master],
    ['READER', site.db.replica],
  ] as const) {
    set(`DB_${role}_HOST`, declared.has(`DB_${role}_HOST`) ? at.host : undefined)
    set(`DB_${role}_PORT`, declared.has(`DB_${role}_HOST`) ? at.port : undefined)
  }
  set('DB_NAME', site.db.name)
  if (site.smtp !== undefined) {
    set('SMTP_HOST', site.smtp.host)
    set('SMTP_PORT', site.smtp.port)
    if (site.smtp.secure !== undefined) set('SMTP_SECURE', String(site.smtp.secure))
  }
  set('PUBLIC_URL', site.publicUrl)
  set('ISSUER_DOMAIN', site.issuerDomain)
  set('PUBLIC_KEY_FILE', site.publicKeyFile ?? CONTAINER_PATHS.publicKeyFile)
  // Secure cookies need https: only a plain-http development origin turns them off.
  if (site.publicUrl.startsWith('http:')) set('COOKIE_SECURE', 'false')
  for (const s of secretFilesOf(svc)) {
    if (s.via === 'path') env[s.env] = site.privateKeyFile ?? `${secretsDirOf(svc, site)}/${s.file}`
  }
  if (!site.containers && secretFilesOf(svc).some((s) => s.via === 'dir')) {
    env.PERSONA_SECRETS_DIR = secretsDirOf(svc, site)
  }
  return env
}

function edgeEnv(site: Site): Record<string, string> {
  const e = site.edge
  if (e === undefined) throw new Error(`${site.render}: the site has no edge settings for nginx`)
  return {
    NGINX_MODE: e.mode,
    ...(e.listen === undefined ? {} : { NGINX_LISTEN: e.listen }),
    ...(e.httpRedirectPort === undefined ? {} : { NGINX_HTTP_REDIRECT_PORT: String(e.httpRedirectPort) }),
    ...(e.serverNames.length === 0 ? {} : { NGINX_SERVER_NAMES: e.serverNames.join(' ') }),
    ...(e.verifierHost === '' ? {} : { NGINX_VERIFIER_HOST: e.verifierHost }),
    NGINX_ROUTER_UPSTREAM: hostPort(site.url('router', 'nginx')),
    NGINX_VERIFIER_UPSTREAM: hostPort(site.url('verifier', 'nginx')),
    ...(e.trustedProxies === undefined ? {} : { NGINX_TRUSTED_PROXIES: e.trustedProxies.join(' ') }),
    ...(e.monitorAllow === undefined ? {} : { NGINX_MONITOR_ALLOW: e.monitorAllow.join(' ') }),
  }
}

/** Where `part`'s secret files are on this site. */
export function secretsDirOf(part: PartName, site: Site): string {
  return site.secretsDir?.(part) ?? CONTAINER_PATHS.secretsDir
}

/**
 * The env a site must give `part`: the variables of its schema the site has values for, the settings
 * it names for the part, and never a secret. Values the image already sets are left out on containers.
 * @throws {Error} when a setting names a variable the part's schema does not declare
 */
export function partEnv(part: PartName, site: Site): Record<string, string> {
  const declared = new Set(Object.keys(PART_SCHEMAS[part].properties))
  let env: Record<string, string>
  if (isService(part)) env = serviceEnv(part, site, declared)
  else if (part === 'nginx') env = edgeEnv(site)
  else if (part === 'db-master') env = { PERSONA_DB_ROLE: 'master' }
  else if (part === 'db-replica') {
    env = { PERSONA_DB_ROLE: 'replica', PERSONA_DB_MASTER_HOST: site.db.master.host }
  } else env = { DB_MASTER_HOST: site.db.master.host, DB_MASTER_PORT: String(site.db.master.port) }
  for (const [name, value] of Object.entries(site.settings?.[part] ?? {})) {
    if (!declared.has(name))
      throw new Error(`${site.render}: ${part} does not read ${name} (not in its schema)`)
    env[name] = value
  }
  return env
}

/** What the image sets for a part (the Node images' runtime env; nothing for MariaDB and nginx). */
export function imageEnv(part: PartName): Record<string, string> {
  if (part === 'init') return { ...NODE_IMAGE_ENV, PERSONA_SECRETS_DIR: `${CONTAINER_PATHS.initRoot}/init` }
  return isService(part) ? { ...NODE_IMAGE_ENV } : {}
}

/** One part as a host runs it: everything a target needs to start it, from the contract. */
export interface PartRender {
  readonly part: PartName
  readonly spec: PartSpec
  /** Exactly the variables the site must set (the image's own env aside, on containers). */
  readonly env: Readonly<Record<string, string>>
  /** Its secrets, each a file in `secretsDir` (or at the path its variable names). */
  readonly secrets: readonly SecretFile[]
  readonly secretsDir: string
}

/**
 * Everything a host of class `cls` runs on `site`, part by part: for a target that starts hosts of
 * its own (EC2 boot scripts, network-namespace hosts of a local multi-cluster simulation).
 */
export function renderHostClass(cls: HostClass | 'init', site: Site): PartRender[] {
  return partsOfClass(cls).map((part) => ({
    part,
    spec: PART_SPECS[part],
    env: partEnv(part, site),
    secrets: secretFilesOf(part),
    secretsDir: secretsDirOf(part, site),
  }))
}
