// SPDX-License-Identifier: MPL-2.0
// What each host of the simulation runs, and with which environment: the one place the simulation
// describes processes. Service environments come from the same renderer as `make dev` (serviceEnv:
// upstreams from the topology's flows, secrets only to their holders), given this host's addresses and
// names: services listen on the host's address, readers reach their cluster's writer and certifier
// hosts and the replica name, writers the master name. When the deployment contract lands, this
// function becomes its render for native hosts.
import { join } from 'node:path'
import { SERVICE_SPECS, type ServiceName } from '@persona/kit'
import { renderNginxConfig } from '../../nginx/render.ts'
import {
  type DevSecrets,
  devSecretFiles,
  devSecretsDir,
  perService,
  type StackLayout,
  serviceEnv,
} from '../dev/env.ts'
import { ROOT } from '../dev/web.ts'
import { renderLbConfig } from './lb.ts'
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
import type { ProcSpec } from './procs.ts'
import type { Tls } from './tls.ts'

export interface SimContext {
  readonly plan: Plan
  readonly secrets: DevSecrets
  readonly keys: { readonly privateKeyFile: string; readonly publicKeyFile: string }
  readonly tls: Tls
}

export const PUBLIC_URL = `https://${SERVICE_NAME}`
const NGINX = '/usr/sbin/nginx'
const MAILCATCHER = join(ROOT, 'test', 'fixtures', 'mailcatcher', 'server.ts')
export const SMTP_PORT = 1025
export const MAIL_HTTP_PORT = 8025

/** Which services each host class runs (the topology's host classes). */
export function servicesOn(kind: Host['kind']): ServiceName[] {
  return (Object.keys(SERVICE_SPECS) as ServiceName[]).filter((s) => SERVICE_SPECS[s].hostClass === kind)
}

function clusterHost(plan: Plan, kind: Host['kind'], cluster: string | undefined): Host {
  const h = hostsOf(plan, kind, cluster)[0]
  if (h === undefined) throw new Error(`cluster ${cluster} has no ${kind} host`)
  return h
}

/** The layout serviceEnv renders from, for services on `host`. */
function layoutFor(ctx: SimContext, host: Host, release: string): StackLayout {
  const { plan } = ctx
  const cluster = host.cluster
  const writer = clusterHost(plan, 'dbwriter', cluster)
  const certifier = clusterHost(plan, 'certifier', cluster)
  const url = (h: Host, s: ServiceName) => `http://${h.address}:${SERVICE_SPECS[s].port}`
  const tuning: Record<string, string> = {
    BCRYPT_ROUNDS: String(plan.opts.bcryptRounds),
    BCRYPT_CONCURRENCY: '1',
    VERIFIER_WORKERS: '1',
    // Load tests come from one address (the machine): per-address limits are not what they test.
    RATE_SIGNIN_PER_MIN: '100000',
    RATE_EMAIL_PER_HOUR: '100000',
    NODE_COMPILE_CACHE: join(plan.opts.dir, 'run', 'node-compile-cache'),
    // nginx on this host is the only hop in front of the services; the router in front of the reader.
    TRUST_PROXY: host.address,
  }
  return {
    host: host.address,
    ports: perService((s) => SERVICE_SPECS[s].port),
    publicUrl: PUBLIC_URL,
    smtp: { host: SMTP_NAME, port: SMTP_PORT },
    db: {
      master: { host: MASTER_NAME, port: 3306 },
      replica: { host: replicaName(cluster ?? ''), port: 3306 },
      database: 'persona',
    },
    keys: ctx.keys,
    // Each service's secrets, one file each (the deployment contract), in this host's run directory.
    secretsRoot: join(paths(plan.opts.dir).run, host.name, 'secrets'),
    distDir: join(release, 'services', 'web', 'dist'),
    frameSources: [],
    shimmedPrimaries: '',
    logLevel: 'info',
    extra: tuning,
    perService: {
      // Database connections over TLS (the writer's crosses regions to the master).
      reader: {
        WRITER_URL: url(writer, 'writer'),
        CERTIFIER_URL: url(certifier, 'certifier'),
        COOKIE_SECURE: 'true',
        DB_TLS_CA: ctx.tls.caFile,
      },
      writer: { DB_TLS_CA: ctx.tls.caFile },
    },
  }
}

function nodeSpec(ctx: SimContext, host: Host, svc: ServiceName, release: string): ProcSpec {
  const env = serviceEnv(svc, layoutFor(ctx, host, release), process.env)
  return {
    host: host.name,
    ns: host.ns,
    name: svc,
    argv: [process.execPath, join(release, 'services', svc, 'src', 'server.ts')],
    env,
    cwd: release,
    ready: `http://${host.address}:${SERVICE_SPECS[svc].port}/__heartbeat__`,
  }
}

/** The services of a host: their processes and their secret files (written 0600 by the caller). */
function serviceProcesses(ctx: SimContext, host: Host, release: string, kind: Host['kind']): HostFiles {
  const layout = layoutFor(ctx, host, release)
  const services = servicesOn(kind)
  return {
    files: services.flatMap((s) =>
      Object.entries(devSecretFiles(s, ctx.secrets)).map(
        ([name, value]) => [join(devSecretsDir(s, layout), name), `${value}\n`] as const,
      ),
    ),
    procs: services.map((s) => nodeSpec(ctx, host, s, release)),
  }
}

/** nginx config files are written by the caller: `[path, text]` for each host that needs one. */
export interface HostFiles {
  readonly files: readonly (readonly [string, string])[]
  readonly procs: readonly ProcSpec[]
}

/** The processes (and config files) of one host, running release directory `release`. */
export function hostProcesses(ctx: SimContext, host: Host, release: string): HostFiles {
  const { plan, tls } = ctx
  const p = paths(plan.opts.dir)
  const runDir = join(p.run, host.name)
  const plain = { PATH: process.env.PATH ?? '/usr/bin:/bin' }
  const nginxSpec = (conf: string): ProcSpec => ({
    host: host.name,
    ns: host.ns,
    name: 'nginx',
    argv: [NGINX, '-c', conf, '-p', runDir, '-e', 'stderr'],
    env: plain,
    cwd: runDir,
    // Through nginx (its own address, port 80 for the LB, 443 for a webhead): probed by the caller.
  })
  switch (host.kind) {
    case 'webhead': {
      const conf = join(runDir, 'nginx.conf')
      const lb = clusterHost(plan, 'lb', host.cluster)
      const text = renderNginxConfig({
        mode: 'production',
        listen: { address: host.address, port: 443 },
        upstreams: {
          router: `${host.address}:${SERVICE_SPECS.router.port}`,
          verifier: `${host.address}:${SERVICE_SPECS.verifier.port}`,
        },
        serverNames: [SERVICE_NAME],
        verifierServerName: VERIFIER_NAME,
        tls: { certFile: tls.certFile, keyFile: tls.keyFile },
        accessLog: join(runDir, 'access.log'),
        errorLog: 'stderr',
        runDir,
        workerProcesses: 1,
        trustedProxies: [lb.address],
        monitorAllow: [lb.address, plan.gateway, host.address],
        rateLimits: { verify: { rate: 1000, burst: 2000 }, wsapi: { rate: 1000, burst: 2000 } },
      })
      const services = serviceProcesses(ctx, host, release, 'webhead')
      return { files: [[conf, text], ...services.files], procs: [...services.procs, nginxSpec(conf)] }
    }
    case 'dbwriter':
    case 'certifier':
      return serviceProcesses(ctx, host, release, host.kind)
    case 'lb': {
      const conf = join(runDir, 'nginx.conf')
      const text = renderLbConfig({
        address: host.address,
        webheads: hostsOf(plan, 'webhead', host.cluster).map((w) => w.address),
        serverNames: [SERVICE_NAME, VERIFIER_NAME],
        certFile: tls.certFile,
        keyFile: tls.keyFile,
        caFile: tls.caFile,
        drainFile: p.drain(host.cluster ?? ''),
        runDir,
        accessLog: join(runDir, 'access.log'),
      })
      return { files: [[conf, text]], procs: [nginxSpec(conf)] }
    }
    case 'mail':
      return {
        files: [],
        procs: [
          {
            host: host.name,
            ns: host.ns,
            name: 'mailcatcher',
            argv: [process.execPath, MAILCATCHER],
            env: {
              ...plain,
              MAILCATCHER_HOST: host.address,
              MAILCATCHER_SMTP_PORT: String(SMTP_PORT),
              MAILCATCHER_HTTP_PORT: String(MAIL_HTTP_PORT),
            },
            cwd: ROOT,
            ready: `http://${host.address}:${MAIL_HTTP_PORT}/api/v1/messages`,
          },
        ],
      }
    case 'db':
      return { files: [], procs: [] }
  }
}
