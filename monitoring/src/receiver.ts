// SPDX-License-Identifier: MPL-2.0
// A webhook receiver that records what Alertmanager delivered: POST /page, /ticket, /heartbeat take
// Alertmanager's webhook payload; GET /notifications lists every delivery (newest last). The live tests
// read it; `MONITOR=1 make dev` runs it as the default receiver so a developer sees what would page.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface DeliveredAlert {
  readonly status: 'firing' | 'resolved'
  readonly labels: Readonly<Record<string, string>>
  readonly annotations: Readonly<Record<string, string>>
  readonly startsAt: string
}

export interface Notification {
  /** Which receiver path it came to: page, ticket or heartbeat. */
  readonly receiver: string
  readonly at: number
  readonly status: 'firing' | 'resolved'
  readonly groupLabels: Readonly<Record<string, string>>
  readonly alerts: readonly DeliveredAlert[]
}

export interface Receiver {
  readonly url: string
  readonly notifications: Notification[]
  close(): Promise<void>
}

const RECEIVERS = ['page', 'ticket', 'heartbeat']
const MAX_BODY = 1024 * 1024

function strings(v: unknown): Record<string, string> {
  if (typeof v !== 'object' || v === null) return {}
  return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'))
}

function parse(receiver: string, body: unknown): Notification | undefined {
  if (typeof body !== 'object' || body === null) return undefined
  const status = Reflect.get(body, 'status')
  const alerts = Reflect.get(body, 'alerts')
  if ((status !== 'firing' && status !== 'resolved') || !Array.isArray(alerts)) return undefined
  return {
    receiver,
    at: Date.now(),
    status,
    groupLabels: strings(Reflect.get(body, 'groupLabels')),
    alerts: alerts.map((a: unknown) => ({
      status: Reflect.get(Object(a), 'status') === 'resolved' ? 'resolved' : 'firing',
      labels: strings(Reflect.get(Object(a), 'labels')),
      annotations: strings(Reflect.get(Object(a), 'annotations')),
      startsAt: String(Reflect.get(Object(a), 'startsAt') ?? ''),
    })),
  }
}

/** Starts the receiver on host:port (port 0: any free one). */
export async function startReceiver(port = 0, host = '127.0.0.1'): Promise<Receiver> {
  const notifications: Notification[] = []
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0] ?? ''
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    if (req.method === 'GET' && path === '/notifications') return send(200, notifications)
    const receiver = path.slice(1)
    if (req.method !== 'POST' || !RECEIVERS.includes(receiver))
      return send(404, { error: 'no such receiver' })
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size <= MAX_BODY) chunks.push(c)
    })
    req.on('end', () => {
      if (size > MAX_BODY) return send(413, { error: 'too large' })
      let parsed: Notification | undefined
      try {
        parsed = parse(receiver, JSON.parse(Buffer.concat(chunks).toString('utf8')))
      } catch {
        parsed = undefined
      }
      if (parsed === undefined) return send(400, { error: 'not an Alertmanager webhook payload' })
      notifications.push(parsed)
      send(200, { ok: true })
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, resolve)
  })
  const addr = server.address()
  if (addr === null || typeof addr === 'string') throw new Error('receiver: no address')
  return {
    url: `http://${host}:${(addr satisfies AddressInfo).port}`,
    notifications,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

if (import.meta.main) {
  const port = Number(process.env.RECEIVER_PORT ?? '0')
  // RECEIVER_HOST: 0.0.0.0 in its container (compose's monitoring profile), loopback elsewhere.
  const r = await startReceiver(port, process.env.RECEIVER_HOST ?? '127.0.0.1')
  process.stdout.write(`alert receiver listening on ${r.url} (GET /notifications)\n`)
  const stop = () => r.close().then(() => process.exit(0))
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}
