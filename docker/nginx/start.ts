// SPDX-License-Identifier: MPL-2.0
// Entry of the nginx image: renders the configuration for where this container runs, from its
// environment, with the one renderer (nginx/render.ts), then becomes nginx (execve: nginx is PID 2
// under tini, signals reach it directly). The same image serves every target: production (TLS on 443,
// the default) on EC2's host network with upstreams on 127.0.0.1, in compose and Kubernetes with
// upstreams named by service; local (plain HTTP on 8080) for the development compose stack.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '@persona/kit/config'
import { type Static, Type } from 'typebox'
import { type NginxOptions, nginxUpstreams, renderNginxConfig } from '../../nginx/render.ts'

const DEFAULT_UPSTREAMS = nginxUpstreams()

/** Every variable the nginx part reads (the deployment contract lists them from here). */
export const NginxEnvSchema = Type.Object({
  NGINX_MODE: Type.Union([Type.Literal('production'), Type.Literal('local')], {
    default: 'production',
    description: 'production: TLS, HSTS, named hosts; local: plain HTTP for the development stack',
  }),
  NGINX_LISTEN: Type.Optional(
    Type.String({
      pattern: '^[0-9a-fA-F.:\\[\\]]+:[0-9]{1,5}$',
      description: 'address:port to listen on (default 0.0.0.0:443 in production, 0.0.0.0:8080 local)',
    }),
  ),
  NGINX_HTTP_REDIRECT_PORT: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 65535,
      description: 'production: a plain HTTP port redirecting to https',
    }),
  ),
  NGINX_SERVER_NAMES: Type.String({
    default: '',
    pattern: '^[A-Za-z0-9.* -]*$',
    description: 'the public host names of the site, space separated (required in production)',
  }),
  NGINX_VERIFIER_HOST: Type.String({
    default: '',
    pattern: '^[A-Za-z0-9.-]*$',
    description: "the verifier's own host name (required in production)",
  }),
  NGINX_ROUTER_UPSTREAM: Type.String({
    default: DEFAULT_UPSTREAMS.router ?? '',
    pattern: '^[A-Za-z0-9.:_\\[\\]-]+:[0-9]{1,5}$',
    description: 'host:port of the router as this container reaches it',
  }),
  NGINX_VERIFIER_UPSTREAM: Type.String({
    default: DEFAULT_UPSTREAMS.verifier ?? '',
    pattern: '^[A-Za-z0-9.:_\\[\\]-]+:[0-9]{1,5}$',
    description: 'host:port of the verifier as this container reaches it',
  }),
  NGINX_TRUSTED_PROXIES: Type.String({
    default: '',
    pattern: '^[0-9a-fA-F.:/ ]*$',
    description:
      'load balancers in front (addresses or CIDRs, space separated) whose X-Forwarded-For is believed',
  }),
  NGINX_MONITOR_ALLOW: Type.String({
    default: '127.0.0.1 ::1',
    pattern: '^[0-9a-fA-F.:/ ]*$',
    description: 'who may read the heartbeats (the load balancer health checks: its subnets)',
  }),
  NGINX_TLS_DIR: Type.String({
    default: '/etc/persona/tls',
    pattern: '^/[A-Za-z0-9_./-]*$',
    description: 'directory holding cert.pem and key.pem (production)',
  }),
  NGINX_WORKERS: Type.String({
    default: 'auto',
    pattern: '^(auto|[1-9][0-9]?)$',
    description: 'worker processes',
  }),
})
export type NginxEnv = Static<typeof NginxEnvSchema>

// In the container's private /tmp (tmpfs); where several run on one machine, each host's TMPDIR.
const RUN_DIR = join(tmpdir(), 'nginx')

const words = (s: string): string[] => s.split(/[\s,]+/).filter((w) => w !== '')

/** The renderer's options for `env`; throws one line naming what is wrong. */
export function nginxOptions(env: NginxEnv, runDir = RUN_DIR): NginxOptions {
  const prod = env.NGINX_MODE === 'production'
  const [, address = '0.0.0.0', port = prod ? '443' : '8080'] =
    /^(.*):(\d+)$/.exec(env.NGINX_LISTEN ?? '') ?? []
  const names = words(env.NGINX_SERVER_NAMES)
  if (prod && (names.length === 0 || env.NGINX_VERIFIER_HOST === '')) {
    throw new Error('nginx: production needs NGINX_SERVER_NAMES and NGINX_VERIFIER_HOST')
  }
  const tls = { certFile: join(env.NGINX_TLS_DIR, 'cert.pem'), keyFile: join(env.NGINX_TLS_DIR, 'key.pem') }
  return {
    mode: env.NGINX_MODE,
    listen: { address, port: Number(port) },
    upstreams: { router: env.NGINX_ROUTER_UPSTREAM, verifier: env.NGINX_VERIFIER_UPSTREAM },
    ...(names.length > 0 ? { serverNames: names } : {}),
    ...(env.NGINX_VERIFIER_HOST !== '' ? { verifierServerName: env.NGINX_VERIFIER_HOST } : {}),
    ...(prod ? { tls } : {}),
    ...(prod && env.NGINX_HTTP_REDIRECT_PORT !== undefined
      ? { httpRedirectPort: env.NGINX_HTTP_REDIRECT_PORT }
      : {}),
    trustedProxies: words(env.NGINX_TRUSTED_PROXIES),
    monitorAllow: words(env.NGINX_MONITOR_ALLOW),
    accessLog: '/dev/stdout',
    errorLog: '/dev/stderr',
    runDir,
    workerProcesses: env.NGINX_WORKERS === 'auto' ? 'auto' : Number(env.NGINX_WORKERS),
    foreground: true,
  }
}

function main(): never {
  const env = loadConfig(NginxEnvSchema)
  const opts = nginxOptions(env)
  for (const f of opts.tls === undefined ? [] : [opts.tls.certFile, opts.tls.keyFile]) {
    if (!existsSync(f))
      throw new Error(`nginx: production needs the TLS file ${f} (mount ${env.NGINX_TLS_DIR})`)
  }
  mkdirSync(RUN_DIR, { recursive: true, mode: 0o700 })
  const conf = join(RUN_DIR, 'nginx.conf')
  writeFileSync(conf, renderNginxConfig(opts))
  // The image's HEALTHCHECK asks the load balancer's question, on this container's own listener.
  const scheme = opts.tls === undefined ? 'http' : 'https'
  writeFileSync(join(RUN_DIR, 'health-url'), `${scheme}://127.0.0.1:${opts.listen.port}/__lbheartbeat__\n`)
  const nginx = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p)) ?? 'nginx'
  if (process.execve === undefined) throw new Error('nginx: this Node has no process.execve')
  return process.execve(nginx, [nginx, '-e', 'stderr', '-c', conf], {
    PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/bin',
  })
}

if (import.meta.main) {
  try {
    main()
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`)
    process.exit(1)
  }
}
