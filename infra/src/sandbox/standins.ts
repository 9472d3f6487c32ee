// SPDX-License-Identifier: MPL-2.0
// What the host boot sandbox puts where AWS would be, each answering from what Terraform applied in the
// emulator (moto), on the sandbox network's gateway address (the sandbox hosts' only way out):
//   - the AWS API endpoints (the VPC's interface endpoints, private DNS on): TLS with the sandbox CA's
//     certificate, Secrets Manager, ECR, IAM and CloudWatch Logs answered by moto, the ECR registry by
//     the local registry `make push` filled;
//   - the instance metadata service (169.254.169.254, reached by a NAT rule in each host): instance id,
//     address, tags and the instance profile's role credentials, by the caller's address;
//   - the internal load balancers (TCP, round robin over the healthy registered targets) and the public
//     one (TLS with the ACM stand-in certificate, on loopback for the test's browser, on to the
//     webheads' nginx over TLS without SNI, as an ALB does, health-checking the target group's path);
//   - the SES SMTP endpoint: the mail catcher, accepting the SMTP account init made.
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import {
  type ClientRequest,
  createServer as createHttpServer,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http'
import { createServer as createHttpsServer, request as httpsRequest } from 'node:https'
import { connect, createServer as createTcpServer, type Server, type Socket } from 'node:net'
import { join } from 'node:path'
import { type MailCatcher, startMailCatcher } from '../../../test/fixtures/mailcatcher/catcher.ts'

export interface Tls {
  readonly caFile: string
  readonly ca: Buffer
  readonly cert: Buffer
  readonly key: Buffer
}

/** A sandbox CA and one certificate for `names`, made with openssl into `dir`. */
export function makeTls(dir: string, names: readonly string[], label: string): Tls {
  mkdirSync(dir, { recursive: true })
  const caFile = join(dir, 'ca.crt')
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=Persona sandbox CA'].concat(
      ['-keyout', join(dir, 'ca.key'), '-out', caFile],
    ),
    { stdio: 'pipe' },
  )
  return { caFile, ca: readFileSync(caFile), ...makeLeaf(dir, names, label) }
}

/** A certificate for `names` from the sandbox CA in `dir`. */
export function makeLeaf(
  dir: string,
  names: readonly string[],
  label: string,
): { cert: Buffer; key: Buffer } {
  const run = (args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' })
  const [key, csr, cert, ext] = ['key', 'csr', 'crt', 'ext'].map((x) => join(dir, `${label}.${x}`)) as [
    string,
    string,
    string,
    string,
  ]
  writeFileSync(ext, `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}\n`)
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${names[0]}`, '-keyout', key, '-out', csr])
  run(
    ['x509', '-req', '-in', csr, '-CA', join(dir, 'ca.crt'), '-CAkey', join(dir, 'ca.key')].concat([
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      ext,
      '-out',
      cert,
    ]),
  )
  return { cert: readFileSync(cert), key: readFileSync(key) }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()))
}

/** Sends `req` on through `open` (a request to the next hop) and its answer back; 502 when it fails. */
function relay(
  req: IncomingMessage,
  res: ServerResponse,
  open: (answer: (r: IncomingMessage) => void) => ClientRequest,
): void {
  const up = open((r) => {
    res.writeHead(r.statusCode ?? 502, r.headers)
    r.pipe(res)
  })
  up.on('error', () => {
    if (!res.headersSent) res.writeHead(502)
    res.end()
  })
  req.pipe(up)
}

/** Forwards an HTTP request to `port` on loopback, Host header and all. */
function forward(req: IncomingMessage, res: ServerResponse, port: number): void {
  relay(req, res, (answer) =>
    httpRequest({ host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers }, answer),
  )
}

export interface InstanceView {
  readonly id: string
  readonly ip: string
  readonly tags: Readonly<Record<string, string>>
  readonly role: string
}

export interface TargetGroupView {
  readonly port: number
  readonly targets: readonly string[]
  /** The target group's health check path (as applied). */
  readonly healthPath: string
}

export interface LoadBalancerView {
  readonly dnsName: string
  readonly internal: boolean
  /** listener port -> target group */
  readonly listeners: ReadonlyMap<number, TargetGroupView>
}

export interface StandIns {
  readonly publicLbPort: number
  readonly mail: MailCatcher
  /** Healthy targets per load balancer listener, for the test's waiting. */
  healthy(lb: string, port: number): string[]
  /** Whether every listener of every load balancer has a healthy target. */
  allHealthy(): boolean
  stop(): Promise<void>
}

export interface StandInOptions {
  readonly gateway: string
  readonly tls: Tls
  readonly motoPort: number
  readonly registryPort: number
  readonly registryHost: string
  readonly imdsPort: number
  readonly smtpPort: number
  readonly instances: () => readonly InstanceView[]
  readonly loadBalancers: readonly LoadBalancerView[]
  /** The public load balancer's certificate (the ACM stand-in) for the service names. */
  readonly publicCert: { readonly cert: Buffer; readonly key: Buffer }
  readonly publicLbPort: number
  readonly log: (line: string) => void
}

export async function startStandIns(o: StandInOptions): Promise<StandIns> {
  const servers: Server[] = []
  const timers: NodeJS.Timeout[] = []

  // ---- AWS API endpoints and the ECR registry, by host name
  const api = createHttpsServer({ cert: o.tls.cert, key: o.tls.key }, (req, res) => {
    const host = String(req.headers.host ?? '').split(':')[0] ?? ''
    forward(req, res, host === o.registryHost ? o.registryPort : o.motoPort)
  })
  await listen(api, 443, o.gateway)
  servers.push(api)

  // ---- instance metadata, IMDSv2, by the caller's address
  const imds = createHttpServer((req, res) => {
    const ip = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '')
    const inst = o.instances().find((i) => i.ip === ip)
    const path = (req.url ?? '').replace(/\?.*$/, '')
    const send = (status: number, body: string, type = 'text/plain') => {
      res.writeHead(status, { 'content-type': type })
      res.end(body)
    }
    if (req.method === 'PUT' && path === '/latest/api/token') return send(200, 'sandbox-imds-token')
    if (inst === undefined) return send(404, 'not an instance of the emulator')
    if (req.headers['x-aws-ec2-metadata-token'] !== 'sandbox-imds-token')
      return send(401, 'IMDSv2 token required')
    const md = '/latest/meta-data/'
    if (path === `${md}instance-id`) return send(200, inst.id)
    if (path === `${md}local-ipv4`) return send(200, inst.ip)
    if (path === `${md}placement/region` || path === `${md}placement/availability-zone`)
      return send(200, 'us-east-1a')
    if (path.startsWith(`${md}tags/instance/`)) {
      const v = inst.tags[decodeURIComponent(path.slice(`${md}tags/instance/`.length))]
      return v === undefined ? send(404, '') : send(200, v)
    }
    if (path === `${md}iam/security-credentials/` || path === `${md}iam/security-credentials`)
      return send(200, inst.role)
    if (path === `${md}iam/security-credentials/${inst.role}`) {
      return send(
        200,
        JSON.stringify({
          Code: 'Success',
          Type: 'AWS-HMAC',
          AccessKeyId: 'testing',
          SecretAccessKey: 'testing',
          Token: 'testing',
          LastUpdated: new Date().toISOString(),
          Expiration: new Date(Date.now() + 6 * 3600_000).toISOString(),
        }),
        'application/json',
      )
    }
    if (path === '/latest/dynamic/instance-identity/document') {
      return send(
        200,
        JSON.stringify({
          region: 'us-east-1',
          instanceId: inst.id,
          privateIp: inst.ip,
          accountId: '123456789012',
        }),
        'application/json',
      )
    }
    return send(404, '')
  })
  await listen(imds, o.imdsPort, o.gateway)
  servers.push(imds)

  // ---- load balancers: registered targets, health-checked as the target groups say
  const health = new Map<string, Set<string>>()
  const key = (lb: string, port: number) => `${lb}:${port}`
  const ipOf = (id: string) => o.instances().find((i) => i.id === id)?.ip
  for (const lb of o.loadBalancers) {
    for (const [port, tg] of lb.listeners) {
      const healthy = new Set<string>()
      health.set(key(lb.dnsName, port), healthy)
      const check = () => {
        for (const id of tg.targets) {
          const ip = ipOf(id)
          if (ip === undefined) continue
          const done = (ok: boolean) => (ok ? healthy.add(ip) : healthy.delete(ip))
          const opts = { host: ip, port: tg.port, path: tg.healthPath, timeout: 1500 }
          const r = lb.internal
            ? httpRequest(opts, (res) => {
                res.resume()
                done(res.statusCode === 200)
              })
            : httpsRequest({ ...opts, rejectUnauthorized: false, servername: '' }, (res) => {
                res.resume()
                done(res.statusCode === 200)
              })
          r.on('timeout', () => r.destroy())
          r.on('error', () => done(false))
          r.end()
        }
      }
      check()
      timers.push(setInterval(check, 2000))
      let next = 0
      const pick = (): string | undefined => {
        const ips = [...healthy]
        return ips.length === 0 ? undefined : ips[next++ % ips.length]
      }
      if (lb.internal) {
        const srv = createTcpServer((client: Socket) => {
          const ip = pick()
          if (ip === undefined) return client.destroy()
          const up = connect(tg.port, ip)
          client.pipe(up).pipe(client)
          up.on('error', () => client.destroy())
          client.on('error', () => up.destroy())
        })
        await listen(srv, port, o.gateway)
        servers.push(srv)
      } else {
        const srv = createHttpsServer({ cert: o.publicCert.cert, key: o.publicCert.key }, (req, res) => {
          const ip = pick()
          if (ip === undefined) {
            res.writeHead(503)
            res.end('no healthy target')
            return
          }
          // As an ALB: TLS to the target without SNI and unverified, the client's address forwarded.
          relay(req, res, (answer) =>
            httpsRequest(
              {
                host: ip,
                port: tg.port,
                method: req.method,
                path: req.url,
                rejectUnauthorized: false,
                servername: '',
                headers: {
                  ...req.headers,
                  'x-forwarded-for': req.socket.remoteAddress ?? '',
                  'x-forwarded-proto': 'https',
                  'x-forwarded-port': '443',
                },
              },
              answer,
            ),
          )
        })
        await listen(srv, o.publicLbPort, '127.0.0.1')
        servers.push(srv)
      }
      o.log(`load balancer ${lb.dnsName}:${port} -> ${tg.targets.length} targets on ${tg.port}`)
    }
  }

  // ---- the SES SMTP endpoint
  const mail = await startMailCatcher({
    host: o.gateway,
    smtpPort: o.smtpPort,
    httpPort: 0,
    acceptAuth: true,
  })

  return {
    publicLbPort: o.publicLbPort,
    mail,
    healthy: (lb, port) => [...(health.get(key(lb, port)) ?? [])],
    allHealthy: () => health.size > 0 && [...health.values()].every((h) => h.size > 0),
    stop: async () => {
      for (const t of timers) clearInterval(t)
      await Promise.all(servers.map(close))
      await mail.stop()
    },
  }
}
