// SPDX-License-Identifier: MPL-2.0
// What each host of the simulation runs, and with which environment: the deployment contract's render
// (deploy/src renderHostClass) for the host's class on its site (site.ts), the same declaration that
// renders make dev, compose, the Helm chart and the EC2 boot scripts. Each part runs its image's
// command from the release directory (what an image tag is here) as the contract's user, its health
// check is the one the load balancer asks, its secrets are files in its holder's directory. Hosts that
// production gets from the platform stand in for it: a load balancer per cluster (the ALB) and the mail
// catcher (the SMTP relay).
import { join } from 'node:path'
import { type PartRender, renderHostClass } from '@persona/deploy/env'
import { ROOT } from '../dev/web.ts'
import { renderLbConfig } from './lb.ts'
import { type Host, hostsOf, type Plan, paths, SERVICE_NAME, VERIFIER_NAME } from './plan.ts'
import type { ProcSpec, RunAs } from './procs.ts'
import { hostRunDir, hostTlsDir, hostTmpDir, type SimFiles, SMTP_PORT, simSite } from './site.ts'
import type { Tls } from './tls.ts'

export interface SimContext {
  readonly plan: Plan
  readonly files: SimFiles
  /** nginx's certificate for the public names (webheads and load balancers). */
  readonly tls: Tls
  /** The contract's user, or undefined where it cannot read the checkout (then as this process). */
  readonly runAs: RunAs | undefined
}

const NGINX = '/usr/sbin/nginx'
const MAILCATCHER = join(ROOT, 'test', 'fixtures', 'mailcatcher', 'server.ts')
export const MAIL_HTTP_PORT = 8025

/** A file a host needs before its processes start: path, text, and whether only its user reads it. */
export interface HostFile {
  readonly path: string
  readonly text: string
  /** Copied from this file instead of `text`. */
  readonly from?: string
  readonly mode: number
}

export interface HostFiles {
  /** Directories to make (owned by the run-as user), then files to write. */
  readonly dirs: readonly string[]
  readonly files: readonly HostFile[]
  readonly procs: readonly ProcSpec[]
}

/** The process of one part of the contract on `host`, from release directory `release`. */
function partProcess(ctx: SimContext, host: Host, release: string, r: PartRender): ProcSpec {
  const [program, ...args] = r.spec.command
  if (program !== 'node') throw new Error(`${r.part}: the simulation runs Node parts only (${program})`)
  const health = r.spec.health
  return {
    host: host.name,
    ns: host.ns,
    name: r.part,
    argv: [process.execPath, ...args.map((a) => join(release, a))],
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      // The containers' private /tmp (nginx keeps its configuration and temp files there).
      TMPDIR: hostTmpDir(ctx.plan, host),
      NODE_COMPILE_CACHE: join(paths(ctx.plan.opts.dir).run, 'node-compile-cache'),
      ...r.env,
    },
    cwd: release,
    ...(ctx.runAs === undefined ? {} : { runAs: ctx.runAs }),
    // The contract's health check (nginx's over TLS for the public name: asked by the caller).
    ...(health?.kind === 'http' ? { ready: `http://${host.address}:${health.port}${health.path}` } : {}),
    ...(health?.kind === 'https' ? { ready: `https://${SERVICE_NAME}:${health.port}${health.path}` } : {}),
  }
}

/** The processes (and the files they need) of one host, running release directory `release`. */
export function hostProcesses(ctx: SimContext, host: Host, release: string): HostFiles {
  const { plan, tls } = ctx
  const runDir = hostRunDir(plan, host)
  const plain = { PATH: process.env.PATH ?? '/usr/bin:/bin' }
  switch (host.kind) {
    case 'webhead':
    case 'dbwriter':
    case 'certifier': {
      const parts = renderHostClass(host.kind, simSite(plan, ctx.files, host))
      const tlsDir = hostTlsDir(plan, host)
      const files: HostFile[] = parts.some((p) => p.part === 'nginx')
        ? [
            { path: join(tlsDir, 'cert.pem'), text: '', from: tls.certFile, mode: 0o444 },
            { path: join(tlsDir, 'key.pem'), text: '', from: tls.keyFile, mode: 0o400 },
          ]
        : []
      return {
        dirs: [hostTmpDir(plan, host), ...(files.length > 0 ? [tlsDir] : [])],
        files,
        procs: parts.map((r) => partProcess(ctx, host, release, r)),
      }
    }
    case 'lb': {
      const conf = join(runDir, 'nginx.conf')
      const text = renderLbConfig({
        address: host.address,
        webheads: hostsOf(plan, 'webhead', host.cluster).map((w) => w.address),
        serverNames: [SERVICE_NAME, VERIFIER_NAME],
        certFile: tls.certFile,
        keyFile: tls.keyFile,
        caFile: tls.caFile,
        drainFile: paths(plan.opts.dir).drain(host.cluster ?? ''),
        runDir,
        accessLog: join(runDir, 'access.log'),
      })
      return {
        dirs: [],
        files: [{ path: conf, text, mode: 0o600 }],
        procs: [
          {
            host: host.name,
            ns: host.ns,
            name: 'nginx',
            argv: [NGINX, '-c', conf, '-p', runDir, '-e', 'stderr'],
            env: plain,
            cwd: runDir,
          },
        ],
      }
    }
    case 'mail':
      return {
        dirs: [],
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
      return { dirs: [], files: [], procs: [] }
  }
}
