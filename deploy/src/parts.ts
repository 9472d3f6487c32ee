// SPDX-License-Identifier: MPL-2.0
// The deployment contract, part by part: what every deployable process needs wherever it runs (make
// dev, docker compose, the Helm chart, an EC2 host booted by Terraform): its image and command, the
// ports it listens on, how its health is asked, the files it reads (secrets always as files, never as
// env values), the user it runs as and the hardening around it. The env it reads is its config schema
// (schemas.ts); how a target fills that env is env.ts. Renders derive from this or are tested against it.
import {
  EXTERNAL_PORTS,
  type HostClass,
  SECRET_NAMES,
  SECRETS,
  SERVICE_SPECS,
  SERVICES,
  type SecretName,
  type ServiceName,
} from '@persona/kit/topology'
import type { ImageName } from './images.ts'

/** Every deployable part: the seven services, the edge, the two database roles and the one-shot init. */
export const PARTS = [...SERVICES, 'nginx', 'db-master', 'db-replica', 'init'] as const
export type PartName = (typeof PARTS)[number]

export function isService(part: string): part is ServiceName {
  return SERVICES.some((s) => s === part)
}

export function isPart(name: string): name is PartName {
  return PARTS.some((p) => p === name)
}

/** Paths inside every container (images, compose, Helm and the EC2 hosts mount at these). */
export const CONTAINER_PATHS = {
  /** One file per secret, named like its variable (the kit reads them: services/kit secret-files). */
  secretsDir: '/run/secrets/persona',
  /** The certifier's signing key, inside its secrets directory. */
  privateKeyFile: '/run/secrets/persona/root.secretkey.json',
  /** The certifier's public key (not secret), for the reader's support document and the verifier. */
  publicKeyDir: '/etc/persona/public',
  publicKeyFile: '/etc/persona/public/root.publickey.json',
  /** nginx's certificate chain and key (cert.pem, key.pem). */
  tlsDir: '/etc/persona/tls',
  /** MariaDB's data directory (a volume, owned by the run-as user). */
  dbDataDir: '/var/lib/mysql',
  /** The only writable path of a read-only root. */
  tmp: '/tmp',
  /** The init job's work: <initRoot>/<holder> for each holder, its own secrets in <initRoot>/init. */
  initRoot: '/run/persona',
} as const

/** The user every Persona container runs as (the node user of the Node images, dbuser, nginx). */
export const RUN_AS = { uid: 1000, gid: 1000 } as const

/** Around every container: compose's x-hardening, the chart's securityContext, `docker run` flags. */
export const HARDENING = {
  readOnlyRootFilesystem: true,
  capDrop: ['ALL'],
  noNewPrivileges: true,
  /** tmpfs mounts (the rest of the root is read-only). */
  tmpfs: [CONTAINER_PATHS.tmp],
} as const

/** Env every Node image sets (Dockerfile `runtime` stage): the deployment need not repeat it. */
export const NODE_IMAGE_ENV = {
  NODE_ENV: 'production',
  HOST: '0.0.0.0',
  PERSONA_SECRETS_DIR: CONTAINER_PATHS.secretsDir,
} as const

/**
 * Variables a part may receive beyond its config schema: read by the kit or the image itself rather
 * than the service's settings (secrets directory, build labels, the image healthcheck's URL), or by
 * Node and the base image (PATH ...).
 */
export const RUNTIME_ENV: readonly string[] = [
  'PERSONA_SECRETS_DIR',
  'PERSONA_VERSION',
  'PERSONA_REVISION',
  'HEALTH_URL',
  'NODE_ENV',
]
export const PLATFORM_ENV: readonly string[] = [
  'PATH',
  'HOME',
  'LANG',
  'LC_ALL',
  'TZ',
  'TMPDIR',
  'USER',
  'TERM',
  'NODE_VERSION',
  'NODE_OPTIONS',
  'NODE_EXTRA_CA_CERTS',
  'NODE_COMPILE_CACHE',
  'YARN_VERSION',
]

export type Health =
  | { readonly kind: 'http' | 'https'; readonly path: string; readonly port: number }
  | { readonly kind: 'command'; readonly command: readonly string[] }

export interface Port {
  readonly name: string
  readonly port: number
}

/** A file a part reads that the deployment provides (besides its secrets). */
export interface FileMount {
  readonly what: 'public-key' | 'tls' | 'db-data'
  readonly path: string
  readonly readOnly: boolean
}

export interface PartSpec {
  readonly image: ImageName
  /** The host class that runs it on EC2 (`init`: a one-shot host of its own). */
  readonly hostClass: HostClass | 'init'
  readonly command: readonly string[]
  readonly ports: readonly Port[]
  readonly health: Health | undefined
  /** Runs once to completion (compose: service_completed_successfully; Helm: a Job). */
  readonly oneShot: boolean
  readonly files: readonly FileMount[]
  readonly description: string
}

const serviceCommand = (svc: ServiceName) => ['node', `services/${svc}/src/server.ts`]
const HEARTBEAT = '/__lbheartbeat__'

function servicePart(svc: ServiceName): PartSpec {
  const port = SERVICE_SPECS[svc].port
  const files: FileMount[] = []
  if (svc === 'reader' || svc === 'verifier') {
    files.push({ what: 'public-key', path: CONTAINER_PATHS.publicKeyDir, readOnly: true })
  }
  return {
    image: svc,
    hostClass: SERVICE_SPECS[svc].hostClass,
    command: serviceCommand(svc),
    ports: [{ name: 'http', port }],
    health: { kind: 'http', path: HEARTBEAT, port },
    oneShot: false,
    files,
    description: SERVICE_SPECS[svc].description,
  }
}

const DB_HEALTH: Health = { kind: 'command', command: ['/usr/local/bin/healthcheck.sh'] }

export const PART_SPECS: Readonly<Record<PartName, PartSpec>> = {
  router: servicePart('router'),
  static: servicePart('static'),
  reader: servicePart('reader'),
  writer: servicePart('writer'),
  certifier: servicePart('certifier'),
  verifier: servicePart('verifier'),
  proxy: servicePart('proxy'),
  nginx: {
    image: 'nginx',
    hostClass: 'webhead',
    command: ['node', 'docker/nginx/start.ts'],
    ports: [
      { name: 'https', port: EXTERNAL_PORTS.nginx.https },
      { name: 'http', port: EXTERNAL_PORTS.nginx.http },
    ],
    health: { kind: 'https', path: HEARTBEAT, port: EXTERNAL_PORTS.nginx.https },
    oneShot: false,
    files: [{ what: 'tls', path: CONTAINER_PATHS.tlsDir, readOnly: true }],
    description: 'TLS, host and path routing, size and rate limits in front of router and verifier',
  },
  'db-master': {
    image: 'mariadb',
    hostClass: 'db',
    command: ['/usr/local/bin/entrypoint.sh'],
    ports: [{ name: 'mysql', port: EXTERNAL_PORTS['db-master'].mysql }],
    health: DB_HEALTH,
    oneShot: false,
    files: [{ what: 'db-data', path: CONTAINER_PATHS.dbDataDir, readOnly: false }],
    description: 'MariaDB master: every write, binary log for the replicas',
  },
  'db-replica': {
    image: 'mariadb',
    hostClass: 'db',
    command: ['/usr/local/bin/entrypoint.sh'],
    ports: [{ name: 'mysql', port: EXTERNAL_PORTS['db-replica'].mysql }],
    health: DB_HEALTH,
    oneShot: false,
    files: [{ what: 'db-data', path: CONTAINER_PATHS.dbDataDir, readOnly: false }],
    description: 'MariaDB replica (read-only, GTID replication): every read',
  },
  init: {
    image: 'init',
    hostClass: 'init',
    command: ['node', 'docker/init/init.ts'],
    ports: [],
    health: undefined,
    oneShot: true,
    files: [],
    description: 'one-shot: makes the secrets and keys, the database accounts and schema',
  },
}

/**
 * Connections of the one-shot init job, which the topology's FLOWS (long-running processes) leave out:
 * compose gives it a network to the master, Kubernetes a NetworkPolicy, EC2 a security group rule.
 */
export const ONE_SHOT_FLOWS = [
  {
    from: 'init',
    to: 'db-master',
    port: EXTERNAL_PORTS['db-master'].mysql,
    why: 'database accounts and migrations',
  },
] as const

/** A secret as a part receives it: a file, read by the kit (dir) or named by a path variable (path). */
export interface SecretFile {
  readonly secret: SecretName
  /** The variable it fills (dir) or the variable holding its path (path). */
  readonly env: string
  /** File name inside the part's secrets directory. */
  readonly file: string
  readonly via: 'dir' | 'path'
}

/** The file names of the certifier's key pair (Persona's var/root.*), in its secrets directory. */
export const PRIVATE_KEY_FILE_NAME = 'root.secretkey.json'
export const PUBLIC_KEY_FILE_NAME = 'root.publickey.json'

/** The secrets a part holds (topology SECRETS holders), each as a file in its secrets directory. */
export function secretFilesOf(part: PartName): SecretFile[] {
  return SECRET_NAMES.filter((s) => {
    const holders: readonly string[] = SECRETS[s].holders
    return holders.includes(part)
  }).map((secret) => {
    const env = SECRETS[secret].env
    return env.endsWith('_FILE')
      ? { secret, env, file: PRIVATE_KEY_FILE_NAME, via: 'path' as const }
      : { secret, env, file: env, via: 'dir' as const }
  })
}

/** The parts a host class runs (EC2 layout), in contract order. */
export function partsOfClass(cls: HostClass | 'init'): PartName[] {
  return PARTS.filter((p) => PART_SPECS[p].hostClass === cls)
}
