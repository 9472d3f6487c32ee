// SPDX-License-Identifier: MPL-2.0
// Renders Persona's nginx configuration from one template: `local` (plain HTTP on 127.0.0.1:8080 for
// make dev and the tests) or `production` (TLS, HSTS, a distinct verifier host name, unknown hosts
// refused). nginx may reach exactly the services the topology's flow table lets it reach (router and
// verifier); every path, limit and header below is set here, nowhere else. Runs as non-root: pid and
// temp files live in `runDir`.

import { writeFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { parseArgs } from 'node:util'
import {
  API_DESCRIPTION_PATH,
  FLOWS,
  METRICS_PATHS,
  SERVICE_SPECS,
  SERVICES,
  type ServiceName,
  VERIFIER_PUBLIC_PATHS,
} from '@persona/kit'

/** The services nginx may call, from the flow table (router and verifier). */
export const NGINX_UPSTREAMS: readonly ServiceName[] = FLOWS.filter((f) => f.from === 'nginx').map((f) => {
  const to = f.to
  const svc = SERVICES.find((s) => s === to)
  if (svc === undefined) throw new Error(`nginx: flow to ${to} is not a service`)
  return svc
})

export type Upstreams = Readonly<Record<string, string>>

/** `host:port` of each nginx upstream, ports from the flow table (or `ports`), on `host`. */
export function nginxUpstreams(
  hostOf: (service: ServiceName) => string = () => '127.0.0.1',
  ports: Partial<Record<ServiceName, number>> = {},
): Record<string, string> {
  return Object.fromEntries(
    NGINX_UPSTREAMS.map((svc) => {
      const flow = FLOWS.find((f) => f.from === 'nginx' && f.to === svc)
      return [svc, `${hostOf(svc)}:${ports[svc] ?? flow?.port ?? SERVICE_SPECS[svc].port}`]
    }),
  )
}

export interface RateLimit {
  /** Requests per second per client address. */
  readonly rate: number
  readonly burst: number
}

export interface NginxOptions {
  readonly mode: 'local' | 'production'
  /** Address and port to listen on (local: 127.0.0.1:8080; production: 0.0.0.0:443). */
  readonly listen: { readonly address: string; readonly port: number }
  /** Production only: a plain-HTTP port that redirects to https (omit for none). */
  readonly httpRedirectPort?: number
  /** `host:port` per upstream; must name exactly the services in NGINX_UPSTREAMS. */
  readonly upstreams: Upstreams
  /** Public host names of the site (production: required; local: any host). */
  readonly serverNames?: readonly string[]
  /** Host name whose every path goes to the verifier (production: required, distinct). */
  readonly verifierServerName?: string
  readonly tls?: { readonly certFile: string; readonly keyFile: string }
  readonly accessLog: string
  readonly errorLog: string
  /** Directory for the pid file and temp files (must be writable by the nginx user). */
  readonly runDir: string
  readonly workerProcesses?: number | 'auto'
  /** Emit `daemon off;` (make dev and containers run nginx in the foreground). */
  readonly foreground?: boolean
  readonly maxBodySize?: string
  /** Per-address limits; a `verify` rate of 0 means no limit on /verify. */
  readonly rateLimits?: { readonly verify?: RateLimit; readonly wsapi?: RateLimit }
  /** Addresses or CIDRs (known relying sites' backends) that /verify's per-address limit skips. */
  readonly verifyAllow?: readonly string[]
  /**
   * Verifications nginx has under way at the verifier at once (all nginx workers together); past it a
   * relying site gets 503 too busy with Retry-After at once instead of a place in a queue (default
   * verifyMaxConnsFor this host: right when the verifier runs beside nginx, one process per core; set
   * it where the verifier runs elsewhere or behind one address for many hosts).
   */
  readonly verifyMaxConns?: number
  /** Addresses of load balancers in front of nginx whose X-Forwarded-For is believed (realip). */
  readonly trustedProxies?: readonly string[]
  /** Production: who may read the shallow heartbeats (the rest get 403; nobody gets anything else under /__). */
  readonly monitorAllow?: readonly string[]
}

const SAFE_NAME = /^[A-Za-z0-9.*_-]+$/
const SAFE_PATH = /^[A-Za-z0-9_./:@+-]+$/
const SAFE_ADDR = /^[A-Za-z0-9.:[\]/_-]+$/
const SAFE_SIZE = /^[0-9]+[kKmM]?$/
const NOT_FOUND = { success: false, code: 'ERR_NOT_FOUND', reason: 'not found' }

function check(value: string, re: RegExp, what: string): string {
  if (!re.test(value)) throw new Error(`nginx config: unsafe ${what}: ${JSON.stringify(value)}`)
  return value
}

// /verify's per-address limit is generous in production and off in development: a relying site's
// backend posts from a few addresses, and the verifier sheds load itself (503 + Retry-After) when
// saturated. Operators lower it, or list known relying sites in verifyAllow.
const DEFAULT_LIMITS = {
  local: { verify: { rate: 0, burst: 0 }, wsapi: { rate: 100, burst: 200 } },
  production: { verify: { rate: 1000, burst: 2000 }, wsapi: { rate: 10, burst: 30 } },
} as const

/**
 * Load shedding in front of the verifier: a few verifications queued per verifier process keep each
 * one busy, and are a few milliseconds of work (Mozilla's verifier refused past 30 queued jobs).
 * Beyond that a queue only adds latency, and requests that would wait in nginx and the kernel's accept
 * queues are answered at once instead. Only requests whose whole body nginx has read count (upstream
 * max_conns, not limit_conn), so clients sending slowly hold no place.
 */
const VERIFY_CONNS_PER_CORE = 8
/** The default limit: VERIFY_CONNS_PER_CORE for each core of a host running one verifier process per core. */
export function verifyMaxConnsFor(cores: number = availableParallelism()): number {
  return VERIFY_CONNS_PER_CORE * Math.max(1, cores)
}
/** What nginx and the verifier answer when shedding load (the verifier's TOO_BUSY). */
const VERIFY_BUSY = { status: 'failure', reason: 'too busy' }

/** A JSON answer nginx gives itself (rate limited, too large, router down). */
function jsonLocation(name: string, status: number, body: object): string {
  return `    location @${name} {
      default_type application/json;
      return ${status} '${JSON.stringify(body)}';
    }`
}

export function renderNginxConfig(o: NginxOptions): string {
  const prod = o.mode === 'production'
  const names = (o.serverNames ?? []).map((n) => check(n, SAFE_NAME, 'server name'))
  const verifierName =
    o.verifierServerName === undefined ? undefined : check(o.verifierServerName, SAFE_NAME, 'verifier host')
  const upstreamKeys = Object.keys(o.upstreams).sort()
  if (upstreamKeys.join(',') !== [...NGINX_UPSTREAMS].sort().join(',')) {
    throw new Error(
      `nginx config: upstreams must be exactly ${NGINX_UPSTREAMS.join(', ')} (got ${upstreamKeys.join(', ')})`,
    )
  }
  const router = check(o.upstreams.router ?? '', SAFE_ADDR, 'router upstream')
  const verifier = check(o.upstreams.verifier ?? '', SAFE_ADDR, 'verifier upstream')
  if (prod) {
    if (o.tls === undefined) throw new Error('nginx config: production needs tls.certFile and tls.keyFile')
    if (names.length === 0) throw new Error('nginx config: production needs serverNames')
    if (verifierName === undefined || names.includes(verifierName)) {
      throw new Error('nginx config: production needs a verifierServerName distinct from the site names')
    }
  }
  const runDir = check(o.runDir.replace(/\/$/, ''), SAFE_PATH, 'runDir')
  const listenAddr = check(o.listen.address, SAFE_ADDR, 'listen address')
  const listen = `${listenAddr.includes(':') && !listenAddr.startsWith('[') ? `[${listenAddr}]` : listenAddr}:${o.listen.port}`
  const limits = { ...DEFAULT_LIMITS[o.mode], ...o.rateLimits }
  const bodySize = check(o.maxBodySize ?? '64k', SAFE_SIZE, 'maxBodySize')
  const workers = o.workerProcesses ?? (prod ? 'auto' : 1)
  const tlsListen = prod ? ' ssl http2' : ''
  const hsts = prod
    ? '    add_header Strict-Transport-Security "max-age=63072000; includeSubDomains" always;\n'
    : ''
  const tls =
    prod && o.tls !== undefined
      ? `    ssl_certificate ${check(o.tls.certFile, SAFE_PATH, 'certFile')};
    ssl_certificate_key ${check(o.tls.keyFile, SAFE_PATH, 'keyFile')};
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_prefer_server_ciphers off;
    ssl_session_cache shared:persona_tls:10m;
    ssl_session_timeout 1d;
    ssl_session_tickets off;
`
      : ''
  const realIp = (o.trustedProxies ?? [])
    .map((a) => `  set_real_ip_from ${check(a, SAFE_ADDR, 'trusted proxy')};\n`)
    .join('')
  const realIpTail =
    realIp === '' ? '' : `${realIp}  real_ip_header X-Forwarded-For;\n  real_ip_recursive on;\n`
  const monitorAllow = (o.monitorAllow ?? ['127.0.0.1', '::1'])
    .map((a) => `      allow ${check(a, SAFE_ADDR, 'monitor address')};\n`)
    .join('')
  // Internal paths never leave the private network, on any host name: metrics and deep heartbeats are
  // read on each process's own port. Only the shallow heartbeats remain, for the load balancer, with
  // any query dropped (`?deep=1` gets the shallow answer); everything else under /__ is not found.
  const heartbeat = (path: string, upstream: string) => `    location = ${path} {
${monitorAllow}      deny all;
      rewrite ^ ${path}? break;
      proxy_pass http://${upstream};
    }
`
  const monitor = (upstream: string) =>
    prod
      ? `${heartbeat('/__lbheartbeat__', upstream)}${heartbeat('/__heartbeat__', upstream)}    location ^~ /__ {
      default_type application/json;
      return 404 '${JSON.stringify(NOT_FOUND)}';
    }
`
      : ''
  // Metrics never leave the private network: the scraper reads each process directly (kit metrics.ts).
  // (A prefix: /metrics/ and /metrics.json are not passed on either.)
  const noMetrics = METRICS_PATHS.map(
    (p) => `    location ^~ ${check(p, SAFE_PATH, 'metrics path')} {
      default_type application/json;
      return 404 '${JSON.stringify(NOT_FOUND)}';
    }
`,
  ).join('')
  // error_page set in a location replaces every inherited one, so each location lists all of its own.
  const errorPages = (rateLimited: string, unavailable: string, indent = '      ') =>
    [
      `error_page 413 = @${unavailable === 'verify_unavailable' ? 'verify_too_large' : 'too_large'};`,
      `error_page 429 = @${rateLimited};`,
      `error_page 502 503 504 = @${unavailable};`,
    ]
      .map((l) => `${indent}${l}\n`)
      .join('')
  const namedLocations = [
    jsonLocation('too_large', 413, {
      success: false,
      code: 'ERR_PAYLOAD_TOO_LARGE',
      reason: 'request body too large',
    }),
    jsonLocation('wsapi_rate_limited', 429, {
      success: false,
      code: 'ERR_RATE_LIMITED',
      reason: 'too many requests',
    }),
    jsonLocation('unavailable', 502, {
      success: false,
      code: 'ERR_BAD_GATEWAY',
      reason: 'service is unavailable',
    }),
    jsonLocation('verify_too_large', 413, { status: 'failure', reason: 'request body too large' }),
    jsonLocation('verify_rate_limited', 429, { status: 'failure', reason: 'too many requests' }),
    // The verifier at its max_conns: nginx finds "no live upstreams" and names the upstream group
    // instead of an address (a single server is never marked down, so this is the only way to get it).
    `    location @verify_unavailable {
      default_type application/json;
      if ($persona_verifier_busy) {
        add_header Retry-After 1 always;
        return 503 '${JSON.stringify(VERIFY_BUSY)}';
      }
      return 502 '${JSON.stringify({ status: 'failure', reason: 'verifier is unavailable' })}';
    }`,
  ].join('\n')
  const verifyLimited = limits.verify.rate > 0
  const verifyLimitLine = verifyLimited
    ? `      limit_req zone=persona_verify burst=${limits.verify.burst} nodelay;\n`
    : ''
  const verifyLocation = (path: string) => `    location ${path} {
${verifyLimitLine}${errorPages('verify_rate_limited', 'verify_unavailable')}      proxy_pass http://persona_verifier;
    }
`
  const verifyLocations = VERIFIER_PUBLIC_PATHS.map((p) =>
    verifyLocation(`= ${check(p, SAFE_PATH, 'verifier path')}`),
  ).join('')
  const errorLog = check(o.errorLog, SAFE_PATH, 'errorLog')
  const verifyMaxConns = o.verifyMaxConns ?? verifyMaxConnsFor()
  if (!Number.isInteger(verifyMaxConns) || verifyMaxConns < 1) {
    throw new Error(`nginx config: verifyMaxConns must be a positive integer (got ${verifyMaxConns})`)
  }
  const exempt = (o.verifyAllow ?? []).map((a) => check(a, SAFE_ADDR, 'verifyAllow address'))
  // Known relying sites get an empty key, which limit_req does not count.
  const verifyKey = exempt.length === 0 ? '$binary_remote_addr' : '$persona_verify_key'
  const verifyZone = !verifyLimited
    ? '  # /verify: no per-address limit (the verifier sheds load itself).\n'
    : `${
        exempt.length === 0
          ? ''
          : `  geo $persona_verify_exempt {
    default 0;
${exempt.map((a) => `    ${a} 1;\n`).join('')}  }
  map $persona_verify_exempt $persona_verify_key {
    1 "";
    default $binary_remote_addr;
  }
`
      }  limit_req_zone ${verifyKey} zone=persona_verify:10m rate=${limits.verify.rate}r/s;
`
  const siteServer = `  server {
    listen ${listen}${tlsListen}${prod ? '' : ' default_server'};
    server_name ${names.length > 0 ? names.join(' ') : '_'};
${tls}${hsts}${errorPages('wsapi_rate_limited', 'unavailable', '    ')}${namedLocations}
${verifyLocations}    location /wsapi/ {
      limit_req zone=persona_wsapi burst=${limits.wsapi.burst} nodelay;
${errorPages('wsapi_rate_limited', 'unavailable')}      proxy_pass http://persona_router;
    }
${noMetrics}${monitor('persona_router')}    location / {
      proxy_pass http://persona_router;
    }
  }
`
  const verifierServer =
    verifierName === undefined
      ? ''
      : `  # The verifier's own host name: every path goes to the verifier, nothing to the router.
  server {
    listen ${listen}${tlsListen};
    server_name ${verifierName};
${tls}${hsts}${errorPages('verify_rate_limited', 'verify_unavailable', '    ')}${namedLocations}
${noMetrics}${monitor('persona_verifier')}    # The public API's description, at the same path as on the site's host name.
    location = ${API_DESCRIPTION_PATH} {
      proxy_pass http://persona_router;
    }
${verifyLocation('/')}  }
`
  // A load balancer's health check names no host (an address, no SNI): it lands here, as does any
  // unknown name. They get the shallow heartbeats (for monitorAllow only, as on the named hosts) and
  // nothing else.
  const refuseUnknown = prod
    ? `  # Unknown or absent host names: the load balancer's heartbeats, no content.
  server {
    listen ${listen} ssl default_server;
    server_name _;
${tls}${heartbeat('/__lbheartbeat__', 'persona_router')}${heartbeat('/__heartbeat__', 'persona_router')}    location / {
      default_type application/json;
      return 421 '{"success":false,"code":"ERR_MISDIRECTED","reason":"unknown host name"}';
    }
  }
`
    : ''
  const redirect =
    prod && o.httpRedirectPort !== undefined
      ? `  server {
    listen ${listenAddr.includes(':') && !listenAddr.startsWith('[') ? `[${listenAddr}]` : listenAddr}:${o.httpRedirectPort};
    server_name ${[...names, ...(verifierName === undefined ? [] : [verifierName])].join(' ')};
    location / {
      return 301 https://$host$request_uri;
    }
  }
`
      : ''

  return `# Persona nginx configuration (${o.mode}), generated by nginx/render.ts: edit the template, not this file.
${o.foreground === false ? '' : 'daemon off;\n'}worker_processes ${workers};
pid ${runDir}/nginx.pid;
error_log ${errorLog} warn;

events {
  worker_connections 1024;
}

http {
  default_type application/octet-stream;
  server_tokens off;
  client_body_temp_path ${runDir}/client_body;
  proxy_temp_path ${runDir}/proxy;
  fastcgi_temp_path ${runDir}/fastcgi;
  uwsgi_temp_path ${runDir}/uwsgi;
  scgi_temp_path ${runDir}/scgi;

  # A caller's request id is kept only when short and plain; otherwise nginx makes one.
  map $http_x_request_id $persona_request_id {
    "~^[A-Za-z0-9._:-]{8,128}$" $http_x_request_id;
    default $request_id;
  }

  # No token, password or assertion in any log. The access log has one JSON line per request with the
  # path only: no query string (email links carry tokens there), not even one a client percent-encoded
  # into the path; no body, cookie or referrer; and the rate limiter's verdict (limit_req).
  map $uri $persona_log_path {
    "~^(?<path>[^?]*)\\?" $path;
    default $uri;
  }
  log_format persona_json escape=json '{"time":"$time_iso8601","request_id":"$persona_request_id",'
    '"remote_addr":"$remote_addr","host":"$host","method":"$request_method","path":"$persona_log_path",'
    '"status":$status,"bytes":$body_bytes_sent,"request_time":$request_time,'
    '"upstream":"$upstream_addr","upstream_status":"$upstream_status",'
    '"upstream_time":"$upstream_response_time","limit_req":"$limit_req_status",'
    '"user_agent":"$http_user_agent"}';
  access_log ${check(o.accessLog, SAFE_PATH, 'accessLog')} persona_json;
  # nginx writes every error about a request with its whole request line, query string included, so
  # request-time errors stay out of the error log (alert and above only: nginx's own faults). What an
  # operator needs of them is in the access log: status, upstream, upstream status and time, limit_req.
  error_log ${errorLog} alert;

${realIpTail}  # Request size and time limits.
  client_max_body_size ${bodySize};
  client_body_buffer_size ${bodySize};
  large_client_header_buffers 4 16k;
  client_header_timeout 15s;
  client_body_timeout 15s;
  send_timeout 30s;
  keepalive_timeout 65s;

  # Per-client rate limits for the two public APIs.
${verifyZone}  limit_req_zone $binary_remote_addr zone=persona_wsapi:10m rate=${limits.wsapi.rate}r/s;
  limit_req_status 429;
  limit_req_log_level info;

  # The only two places nginx sends traffic (the topology's nginx flows).
  upstream persona_router {
    server ${router};
    keepalive 32;
  }
  # The verifier sheds load here first (max_conns), counted across nginx's workers (zone).
  upstream persona_verifier {
    zone persona_verifier 64k;
    server ${verifier} max_conns=${verifyMaxConns};
    keepalive 32;
  }
  map $upstream_addr $persona_verifier_busy {
    persona_verifier 1;
    default 0;
  }

  proxy_http_version 1.1;
  proxy_set_header Connection "";
  proxy_set_header Host $host;
  # nginx is the edge: the client address is the one it saw (or the realip one), never a client's claim.
  proxy_set_header X-Forwarded-For $remote_addr;
  proxy_set_header X-Forwarded-Proto $scheme;
  proxy_set_header X-Forwarded-Host $host;
  proxy_set_header X-Request-Id $persona_request_id;
  proxy_connect_timeout 2s;
  proxy_send_timeout 30s;
  proxy_read_timeout 30s;
  proxy_buffering on;

${siteServer}${verifierServer}${refuseUnknown}${redirect}}
`
}

/**
 * /verify's per-address limit from an operator's text (NGINX_VERIFY_RATE, --verify-rate): requests per
 * second, 0 for none; the burst is twice the rate.
 * @throws {Error} naming `what` when the text is not a whole number
 */
export function verifyLimit(text: string, what = 'NGINX_VERIFY_RATE'): RateLimit {
  if (!/^\d{1,6}$/.test(text.trim()))
    throw new Error(`${what}: "${text}" is not a number of requests per second`)
  const rate = Number(text.trim())
  return { rate, burst: rate * 2 }
}

/** CLI: `node nginx/render.ts --mode local --run-dir DIR [--out FILE] ...`; prints when no --out. */
function main(argv: string[]): void {
  const { values } = parseArgs({
    args: argv,
    options: {
      mode: { type: 'string', default: 'local' },
      listen: { type: 'string' },
      router: { type: 'string' },
      verifier: { type: 'string' },
      'server-name': { type: 'string', multiple: true },
      'verifier-host': { type: 'string' },
      cert: { type: 'string' },
      key: { type: 'string' },
      'access-log': { type: 'string' },
      'error-log': { type: 'string' },
      'run-dir': { type: 'string', default: '/tmp/persona-nginx' },
      'http-redirect-port': { type: 'string' },
      'trusted-proxy': { type: 'string', multiple: true },
      'monitor-allow': { type: 'string', multiple: true },
      'verify-rate': { type: 'string' },
      'verify-allow': { type: 'string', multiple: true },
      'verify-max-conns': { type: 'string' },
      background: { type: 'boolean', default: false },
      out: { type: 'string' },
    },
  })
  const mode = values.mode === 'production' ? 'production' : 'local'
  const [
    address = mode === 'production' ? '0.0.0.0' : '127.0.0.1',
    port = mode === 'production' ? '443' : '8080',
  ] = (values.listen ?? '').match(/^(.*):(\d+)$/)?.slice(1) ?? []
  const defaults = nginxUpstreams()
  const runDir = values['run-dir'] ?? '/tmp/persona-nginx'
  const conf = renderNginxConfig({
    mode,
    listen: { address, port: Number(port) },
    upstreams: {
      router: values.router ?? defaults.router ?? '',
      verifier: values.verifier ?? defaults.verifier ?? '',
    },
    ...(values['server-name'] === undefined ? {} : { serverNames: values['server-name'] }),
    ...(values['verifier-host'] === undefined ? {} : { verifierServerName: values['verifier-host'] }),
    ...(values.cert !== undefined && values.key !== undefined
      ? { tls: { certFile: values.cert, keyFile: values.key } }
      : {}),
    ...(values['http-redirect-port'] === undefined
      ? {}
      : { httpRedirectPort: Number(values['http-redirect-port']) }),
    ...(values['trusted-proxy'] === undefined ? {} : { trustedProxies: values['trusted-proxy'] }),
    ...(values['monitor-allow'] === undefined ? {} : { monitorAllow: values['monitor-allow'] }),
    ...(values['verify-rate'] === undefined
      ? {}
      : { rateLimits: { verify: verifyLimit(values['verify-rate'], '--verify-rate') } }),
    ...(values['verify-allow'] === undefined ? {} : { verifyAllow: values['verify-allow'] }),
    ...(values['verify-max-conns'] === undefined
      ? {}
      : { verifyMaxConns: Number(values['verify-max-conns']) }),
    accessLog: values['access-log'] ?? `${runDir}/access.log`,
    errorLog: values['error-log'] ?? `${runDir}/error.log`,
    runDir,
    foreground: !values.background,
  })
  if (values.out === undefined) process.stdout.write(conf)
  else writeFileSync(values.out, conf)
}

if (import.meta.main) {
  try {
    main(process.argv.slice(2))
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`)
    process.exit(1)
  }
}
