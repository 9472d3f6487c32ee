// SPDX-License-Identifier: MPL-2.0
// A small postMessage RPC channel speaking jschannel's wire format (what Persona's include.js,
// communication iframe and provisioning API used): JSON strings, `scope::method`, numeric ids,
// `result` / `error`+`message` replies, notifications, and a `__ready` ping/pong handshake.
// Every message is checked against the expected window and origin.

export type Handler = (params: unknown, origin: string) => unknown

export interface Channel {
  call(method: string, params?: unknown): Promise<unknown>
  notify(method: string, params?: unknown): void
  bind(method: string, handler: Handler): void
  destroy(): void
  /** The peer's origin (for an any-origin channel, the first origin that spoke on it). */
  origin(): string | undefined
}

/** What the channel needs of the peer window (a real Window, or a stand-in in unit tests). */
export interface PeerWindow {
  postMessage(message: string, targetOrigin: string): void
}

/** Where the peer's messages arrive (this window; an EventTarget in unit tests). */
export interface MessageHost {
  addEventListener(type: 'message', listener: (ev: MessageEvent) => void): void
  removeEventListener(type: 'message', listener: (ev: MessageEvent) => void): void
}

export interface ChannelOptions {
  /** The peer window (an iframe's contentWindow, window.parent, the opener). */
  readonly window: PeerWindow
  /** Defaults to this window. */
  readonly host?: MessageHost
  /** The exact peer origin, or '*' to accept the first origin that talks and then only that one. */
  readonly origin: string
  readonly scope: string
  readonly onReady?: () => void
}

interface Wire {
  id?: number
  method?: string
  params?: unknown
  result?: unknown
  error?: string
  message?: string
}

function parse(data: unknown): Wire | undefined {
  if (typeof data !== 'string') return undefined
  try {
    const m: unknown = JSON.parse(data)
    return typeof m === 'object' && m !== null && !Array.isArray(m) ? m : undefined
  } catch {
    return undefined
  }
}

let nextId = Math.floor(Math.random() * 1_000_000) + 1

export function buildChannel(opts: ChannelOptions): Channel {
  const handlers = new Map<string, Handler>()
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  const queue: Wire[] = []
  let peerOrigin = opts.origin === '*' ? undefined : opts.origin
  let ready = false
  let destroyed = false
  const prefix = `${opts.scope}::`

  function post(msg: Wire, force = false): void {
    if (destroyed) return
    if (!ready && !force) {
      queue.push(msg)
      return
    }
    // Before the peer has spoken on an any-origin channel only the content-free ping goes to '*'.
    opts.window.postMessage(JSON.stringify(msg), peerOrigin ?? '*')
  }

  async function answer(id: number, method: string, params: unknown, origin: string): Promise<void> {
    const h = handlers.get(method)
    if (!h) {
      post({ id, error: 'method_not_found', message: `no handler for ${method}` })
      return
    }
    try {
      const result = await h(params, origin)
      post({ id, result })
    } catch (e) {
      post({ id, error: 'runtime_error', message: e instanceof Error ? e.message : String(e) })
    }
  }

  function onMessage(ev: MessageEvent): void {
    if (destroyed || ev.source !== opts.window) return
    if (peerOrigin !== undefined && ev.origin !== peerOrigin) return
    const m = parse(ev.data)
    if (!m) return
    const isOurs = typeof m.method === 'string' ? m.method.startsWith(prefix) : typeof m.id === 'number'
    if (!isOurs) return
    if (peerOrigin === undefined) peerOrigin = ev.origin
    if (typeof m.method === 'string') {
      const method = m.method.slice(prefix.length)
      if (method === '__ready') {
        if (ready) return
        ready = true
        if (m.params === 'ping') post({ method: `${prefix}__ready`, params: 'pong' }, true)
        for (const q of queue.splice(0)) post(q)
        opts.onReady?.()
        return
      }
      if (typeof m.id === 'number') void answer(m.id, method, m.params, ev.origin)
      else handlers.get(method)?.(m.params, ev.origin)
      return
    }
    if (typeof m.id === 'number') {
      const p = pending.get(m.id)
      if (!p) return
      pending.delete(m.id)
      if (typeof m.error === 'string') p.reject(new Error(m.message ?? m.error))
      else p.resolve(m.result)
    }
  }

  const host: MessageHost = opts.host ?? window
  host.addEventListener('message', onMessage)
  setTimeout(() => post({ method: `${prefix}__ready`, params: 'ping' }, true), 0)

  return {
    call(method, params) {
      const id = nextId++
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject })
        post({ id, method: prefix + method, params })
      })
    },
    notify(method, params) {
      post({ method: prefix + method, params })
    },
    bind(method, handler) {
      handlers.set(method, handler)
    },
    destroy() {
      destroyed = true
      host.removeEventListener('message', onMessage)
      for (const p of pending.values()) p.reject(new Error('channel destroyed'))
      pending.clear()
    },
    origin: () => peerOrigin,
  }
}
