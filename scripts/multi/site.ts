// SPDX-License-Identifier: MPL-2.0
// The simulation as a target of the deployment contract (deploy/src): a `Site` per host, saying how
// that host addresses everything, from which the contract renders exactly the processes and env a host
// of its class runs in production (renderHostClass). Parts run natively as the contract's user, in
// production mode: services listen on the host's address, parts of one class call each other on the
// host, the other classes of their own cluster through those hosts, writers the master name and readers
// their cluster's replica name; secrets are files, each holder's directory made by the contract's init
// job in one store standing in for Secrets Manager (replicated to every cluster).
import { join } from 'node:path'
import type { Site } from '@persona/deploy/env'
import { PARTS, type PartName, PUBLIC_KEY_FILE_NAME } from '@persona/deploy/parts'
import { PART_SCHEMAS } from '@persona/deploy/schemas'
import { SERVICE_SPECS } from '@persona/kit'
import {
  type Host,
  hostsOf,
  MASTER_NAME,
  type Plan,
  paths,
  replicaName,
  SERVICE_NAME,
  SMTP_NAME,
  VERIFIER_NAME,
} from './plan.ts'

export const PUBLIC_URL = `https://${SERVICE_NAME}`
export const SMTP_PORT = 1025
export const DB_PORT = 3306

/** Where the simulation keeps what its hosts read (under the state directory). */
export interface SimFiles {
  /** The init job's root: one directory per secret holder, `public`, `provided` (Secrets Manager's part). */
  readonly secretsRoot: string
  /** The CA every TLS client of the simulation trusts (public). */
  readonly caFile: string
}

export function simFiles(plan: Plan): SimFiles {
  const p = paths(plan.opts.dir)
  return { secretsRoot: p.secrets, caFile: join(p.tls, 'ca.pem') }
}

/** A holder's secrets directory in the store: the contract names holders like their parts. */
export const holderDir = (files: SimFiles, holder: string): string => join(files.secretsRoot, holder)
export const publicKeyFileOf = (files: SimFiles): string =>
  join(files.secretsRoot, 'public', PUBLIC_KEY_FILE_NAME)

/** A host's own directory: its temp files (TMPDIR, the containers' /tmp) and nginx's certificate. */
export const hostRunDir = (plan: Plan, host: Host): string => join(paths(plan.opts.dir).run, host.name)
export const hostTmpDir = (plan: Plan, host: Host): string => join(hostRunDir(plan, host), 'tmp')
export const hostTlsDir = (plan: Plan, host: Host): string => join(hostRunDir(plan, host), 'tls')

/** The first host of a class in a cluster (the simulation runs one dbwriter and one certifier each). */
export function clusterHost(plan: Plan, kind: Host['kind'], cluster: string | undefined): Host {
  const h = hostsOf(plan, kind, cluster)[0]
  if (h === undefined) throw new Error(`cluster ${cluster} has no ${kind} host`)
  return h
}

/**
 * Settings the simulation gives every part whose schema declares them: a 2-core machine runs 30-odd
 * processes (low bcrypt cost, one worker each), load tests come from a few addresses (per-address
 * sign-in limits are not what they test), and database connections are over TLS (the writer's crosses
 * regions to the master).
 */
function tuning(plan: Plan, files: SimFiles): Record<string, string> {
  return {
    BCRYPT_ROUNDS: String(plan.opts.bcryptRounds),
    BCRYPT_CONCURRENCY: '1',
    VERIFIER_WORKERS: '1',
    RATE_SIGNIN_PER_MIN: '100000',
    RATE_EMAIL_PER_HOUR: '100000',
    DB_TLS_CA: files.caFile,
    NGINX_WORKERS: '1',
  }
}

/** Only the variables `part`'s own schema declares (a setting it does not read would be refused). */
function declared(part: PartName, values: Readonly<Record<string, string>>): Record<string, string> {
  const props = PART_SCHEMAS[part].properties
  return Object.fromEntries(Object.entries(values).filter(([k]) => k in props))
}

/** The contract's site for one host of the simulation (`release`: the directory of the code it runs). */
export function simSite(plan: Plan, files: SimFiles, host: Host): Site {
  const cluster = host.cluster
  const lb = host.kind === 'webhead' ? clusterHost(plan, 'lb', cluster) : undefined
  const values = tuning(plan, files)
  return {
    render: `multi:${host.name}`,
    containers: false,
    mode: 'production',
    listenHost: host.address,
    url: (to) => {
      const cls = SERVICE_SPECS[to].hostClass
      const at = cls === host.kind ? host : clusterHost(plan, cls, cluster)
      return `http://${at.address}:${SERVICE_SPECS[to].port}`
    },
    db: {
      master: { host: MASTER_NAME, port: DB_PORT },
      replica: { host: replicaName(cluster ?? ''), port: DB_PORT },
      name: 'persona',
    },
    smtp: { host: SMTP_NAME, port: SMTP_PORT },
    publicUrl: PUBLIC_URL,
    issuerDomain: SERVICE_NAME,
    secretsDir: (part) => holderDir(files, part),
    publicKeyFile: publicKeyFileOf(files),
    logLevel: 'info',
    // The one hop in front of a service: nginx on this host (for the reader, the router on this host).
    trustProxy: host.address,
    edge: {
      mode: 'production',
      listen: `${host.address}:443`,
      serverNames: [SERVICE_NAME],
      verifierHost: VERIFIER_NAME,
      // The cluster's load balancer is the hop whose X-Forwarded-For nginx believes; it, the machine
      // (monitoring, readiness) and the host itself may read the heartbeats.
      trustedProxies: lb === undefined ? [] : [lb.address],
      monitorAllow: [...(lb === undefined ? [] : [lb.address]), plan.gateway, host.address],
    },
    settings: Object.fromEntries(
      PARTS.map((p) => [
        p,
        declared(p, {
          ...values,
          ...(p === 'nginx' ? { NGINX_TLS_DIR: hostTlsDir(plan, host) } : {}),
          ...(p === 'init' ? { PERSONA_INIT_ROOT: files.secretsRoot } : {}),
        }),
      ]),
    ),
  }
}
