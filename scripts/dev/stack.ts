// SPDX-License-Identifier: MPL-2.0
// The whole of Persona on one machine, as separate processes: MariaDB master + replica (the store's
// launcher), the mail catcher, the seven services, nginx in front, and the example relying site and
// test IdP when their fixtures exist. `make dev` (scripts/dev.ts) and the stack tests both start it
// through startStack(); tests pass a temp dir and get free ports, so they can run beside a `make dev`.
import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { ensureKeys } from '@persona/certifier/keygen'
import {
  EXTERNAL_PORTS,
  freePorts,
  isPortInUse,
  SERVICE_SPECS,
  SERVICES,
  type ServiceName,
} from '@persona/kit'
import { type DatabasePair, startDatabases } from '@persona/store/launcher'
import { type NginxOptions, nginxUpstreams, renderNginxConfig } from '../../nginx/render.ts'
import { devSecretFiles, devSecretsDir, perService, plainEnv, type StackLayout, serviceEnv } from './env.ts'
import { type ManagedProcess, ProcessSet } from './processes.ts'
import { ensureDevSecrets, writeSecretFiles } from './secrets.ts'
import { buildWeb, haveWebBuild, REPO_DIST, ROOT } from './web.ts'

/** Every port the stack listens on (the databases' are picked by their launcher unless given). */
export interface StackPorts extends Record<ServiceName, number> {
  readonly nginx: number
  readonly smtp: number
  readonly mailHttp: number
  readonly exampleRp: number
  readonly testIdp: number
}

export interface StackOptions {
  /** State directory: db/, keys/, secrets.json, secrets/<service>/, nginx/, logs/ (make dev: .dev). */
  readonly dir: string
  /** Ports to use; the rest are free ports (freePorts, the default) or the standard ones. */
  readonly ports?: Partial<StackPorts> & { readonly dbMaster?: number; readonly dbReplica?: number }
  /** Pick free ports for everything not given in `ports` (default true; make dev: false). */
  readonly freePorts?: boolean
  /** Added to every service's env (e.g. `{ BCRYPT_ROUNDS: '4' }`); secrets are still filtered. */
  readonly env?: Readonly<Record<string, string>>
  readonly serviceEnv?: Readonly<Partial<Record<ServiceName, Readonly<Record<string, string>>>>>
  /** Print every process's output with a `[name]` prefix (make dev). */
  readonly echo?: boolean
  /** Build the web front end: always, only when the dist dir has no pages.json (default), or never. */
  readonly web?: 'always' | 'if-missing' | 'never'
  /** Where static serves from (default `<dir>/web`; make dev: services/web/dist). */
  readonly distDir?: string
  /** Start the example relying site and test IdP when their fixtures exist (default true). */
  readonly fixtures?: boolean
  /**
   * The origin browsers reach Persona at, when not nginx's own address: e.g. https://persona.test behind
   * a TLS front (the browser tests). Services get it as PUBLIC_URL (https means Secure cookies).
   */
  readonly publicOrigin?: string
  /** The example site's origin as browsers see it (its audience), e.g. https://rp.test. */
  readonly exampleRpOrigin?: string
  readonly logLevel?: string
  readonly readyTimeoutMs?: number
  /** The launcher's environment: the few inherited variables and SHIMMED_PRIMARIES (default process.env). */
  readonly parentEnv?: Readonly<Record<string, string | undefined>>
  /** Start without the services whose server.ts does not exist yet (never in tests: they must fail). */
  readonly skipMissing?: boolean
  /** Messages of the launcher itself (default: to logs/stack.log, and stdout when echo). */
  readonly log?: (line: string) => void
  /** nginx's per-address limits (make dev: NGINX_VERIFY_RATE) and the relying sites /verify's skips. */
  readonly nginxRateLimits?: NginxOptions['rateLimits']
  readonly nginxVerifyAllow?: readonly string[]
}

export interface StackUrls {
  /** nginx: the only public entry, e.g. http://127.0.0.1:8080. */
  readonly public: string
  /** Persona's origin as browsers see it: `public`, or StackOptions.publicOrigin. */
  readonly publicOrigin: string
  /** Host name nginx sends wholly to the verifier (use as Host header on `public`). */
  readonly verifierHost: string
  /** Mail catcher HTTP API (Mailpit-shaped). */
  readonly mail: string
  /** Each service directly (tests only; nginx is the public way in). */
  readonly services: Readonly<Record<ServiceName, string>>
  readonly exampleRp?: string
  /** The example site's origin as browsers see it (exampleRp, or StackOptions.exampleRpOrigin). */
  readonly exampleRpOrigin?: string
  readonly testIdp?: string
}

/** Names of the processes a stack runs (besides mariadbd, run by the store's launcher). */
export type StackProcess = ServiceName | 'nginx' | 'mailcatcher' | 'example-rp' | 'test-idp'

export interface Stack {
  readonly dir: string
  readonly urls: StackUrls
  readonly ports: StackPorts
  readonly db: {
    readonly master: { host: string; port: number }
    readonly replica: { host: string; port: number }
    /** The master's unix socket (root connects through it: monitoring makes its account there). */
    readonly masterSocket: string
  }
  readonly keys: { readonly privateKeyFile: string; readonly publicKeyFile: string }
  /** Milliseconds from the call to every heartbeat answering. */
  readonly startupMs: number
  /** The env a process was started with (tests assert which secrets it holds). */
  envOf(name: StackProcess): Readonly<Record<string, string>>
  /** Pids of every process the stack started that is still running, mariadbd included. */
  pids(): number[]
  /** Stops one process (e.g. reader, to see the JSON 502). */
  stopService(name: StackProcess): Promise<void>
  /** Starts a stopped process again with the same env and waits for it to answer. */
  startService(name: StackProcess): Promise<void>
  /** Kills one MariaDB server (fault tests: losing the master); it is not restarted. */
  killDatabase(role: 'master' | 'replica', signal?: NodeJS.Signals): void
  /** Last lines a process printed. */
  tail(name: StackProcess, n?: number): string[]
  /** Stops everything it started, nginx first, databases last. Idempotent. */
  stop(): Promise<void>
}

const HOST = '127.0.0.1'
const NGINX_CANDIDATES = ['/usr/sbin/nginx', '/usr/bin/nginx']
const EXAMPLE_RP = join(ROOT, 'test', 'fixtures', 'example-rp', 'server.ts')
const TEST_IDP = join(ROOT, 'test', 'fixtures', 'test-idp', 'server.ts')
const MAILCATCHER = join(ROOT, 'test', 'fixtures', 'mailcatcher', 'server.ts')
const TEST_IDP_DOMAIN = 'idp.test'

export const DEFAULT_PORTS: StackPorts = {
  ...perService((s) => SERVICE_SPECS[s].port),
  nginx: EXTERNAL_PORTS.nginx.http,
  smtp: EXTERNAL_PORTS.smtp.smtp,
  mailHttp: EXTERNAL_PORTS.smtp.http,
  exampleRp: 10011,
  testIdp: 10010,
}

export function serverFile(svc: ServiceName): string {
  return join(ROOT, 'services', svc, 'src', 'server.ts')
}

function findNginx(): string {
  const found = NGINX_CANDIDATES.find((p) => existsSync(p))
  if (found === undefined) throw new Error('nginx not found (install Debian nginx-light; make dev does)')
  return found
}

async function resolvePorts(opts: StackOptions): Promise<StackPorts> {
  const given = opts.ports ?? {}
  const fixed = opts.freePorts === false
  const free = fixed ? [] : await freePorts(Object.keys(DEFAULT_PORTS).length)
  const pick = (k: keyof StackPorts): number =>
    given[k] ?? (fixed ? DEFAULT_PORTS[k] : (free.shift() ?? DEFAULT_PORTS[k]))
  return {
    ...perService((s) => pick(s)),
    nginx: pick('nginx'),
    smtp: pick('smtp'),
    mailHttp: pick('mailHttp'),
    exampleRp: pick('exampleRp'),
    testIdp: pick('testIdp'),
  }
}

/** Polls `url` until it answers 2xx; fails early when `proc` exits. */
async function waitHttp(
  url: string,
  deadline: number,
  proc?: ManagedProcess,
  headers?: Record<string, string>,
) {
  let last = ''
  for (;;) {
    if (proc !== undefined && !proc.running()) {
      const code = await proc.exited
      throw new Error(
        `${proc.name} exited (${code}) before answering ${url}:\n  ${proc.tail(15).join('\n  ')}`,
      )
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000), ...(headers ? { headers } : {}) })
      await res.arrayBuffer()
      if (res.ok) return
      last = `status ${res.status}`
    } catch (e) {
      last = e instanceof Error ? e.message : String(e)
    }
    if (Date.now() > deadline) {
      const tail = proc === undefined ? '' : `\n  ${proc.tail(15).join('\n  ')}`
      throw new Error(`${proc?.name ?? url} did not answer ${url} in time (${last})${tail}`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** A compact rendering of a pino JSON line for the console. */
export function compactLogLine(line: string): string {
  if (!line.startsWith('{')) return line
  try {
    const parsed: unknown = JSON.parse(line)
    if (typeof parsed !== 'object' || parsed === null) return line
    const o: Record<string, unknown> = { ...parsed }
    const levels: Record<number, string> = {
      10: 'trace',
      20: 'debug',
      30: 'info',
      40: 'WARN',
      50: 'ERROR',
      60: 'FATAL',
    }
    const level = typeof o.level === 'number' ? (levels[o.level] ?? String(o.level)) : String(o.level ?? '')
    const skip = new Set(['level', 'time', 'pid', 'hostname', 'service', 'msg', 'event'])
    const rest = Object.entries(o)
      .filter(([k]) => !skip.has(k))
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' ')
    return `${level} ${String(o.msg ?? '')} ${rest}`.trimEnd()
  } catch {
    return line
  }
}

export async function startStack(opts: StackOptions): Promise<Stack> {
  const t0 = performance.now()
  const dir = resolve(opts.dir)
  const parentEnv = opts.parentEnv ?? process.env
  const logDir = join(dir, 'logs')
  await mkdir(logDir, { recursive: true, mode: 0o700 })
  let stopped = false
  const procs: ProcessSet = new ProcessSet({
    logDir,
    echo: opts.echo === true,
    format: compactLogLine,
    onUnexpectedExit: (name, code) => {
      if (!stopped) say(`${name} exited on its own (${code}); see ${join(logDir, `${name}.log`)}`)
    },
  })
  const say = opts.log ?? ((line: string) => procs.say('dev', line))
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 180_000)
  const fixtures = opts.fixtures !== false
  const withRp = fixtures && existsSync(EXAMPLE_RP)
  const withIdp = fixtures && existsSync(TEST_IDP)

  const missing = SERVICES.filter((svc) => !existsSync(serverFile(svc)))
  if (missing.length > 0 && opts.skipMissing !== true) {
    throw new Error(`not built yet: ${missing.map((s) => `services/${s}/src/server.ts`).join(', ')}`)
  }
  const present = SERVICES.filter((svc) => !missing.includes(svc))
  const nginxBin = findNginx()
  const ports = await resolvePorts(opts)
  if (opts.freePorts === false) {
    const fixed: [string, number][] = [
      ...SERVICES.map((s): [string, number] => [s, ports[s]]),
      ['nginx', ports.nginx],
      ['mail catcher smtp', ports.smtp],
      ['mail catcher http', ports.mailHttp],
      ...(withRp ? [['example rp', ports.exampleRp] satisfies [string, number]] : []),
      ...(withIdp ? [['test idp', ports.testIdp] satisfies [string, number]] : []),
    ]
    for (const [what, port] of fixed) {
      if (await isPortInUse(port)) {
        throw new Error(
          `port ${port} (${what}) is in use: another make dev running? (ports can be overridden, see scripts/dev.ts)`,
        )
      }
    }
  }

  let db: DatabasePair | undefined
  const envs = new Map<
    StackProcess,
    { cmd: string; args: string[]; env: Record<string, string>; ready: () => Promise<void> }
  >()

  const stop = async () => {
    if (stopped) return
    stopped = true
    await procs.stopAll([
      ['nginx'],
      ['example-rp', 'test-idp', 'router', 'verifier', 'static'],
      ['reader'],
      ['writer', 'certifier', 'proxy', 'mailcatcher'],
    ])
    await db?.stop()
  }

  try {
    const { secrets, created } = await ensureDevSecrets(join(dir, 'secrets.json'))
    if (created) say(`generated dev secrets in ${join(dir, 'secrets.json')}`)
    const distDir = resolve(opts.distDir ?? join(dir, 'web'))
    const webMode = opts.web ?? 'if-missing'
    const webTask = async () => {
      if (webMode === 'never' || !haveWebBuild()) return
      if (webMode === 'if-missing' && existsSync(join(distDir, 'pages.json'))) return
      const t = performance.now()
      const line = await buildWeb(distDir)
      say(`${line} (${Math.round(performance.now() - t)} ms)`)
    }
    const dbTask = async () => {
      const pair = await startDatabases({
        dir: join(dir, 'db'),
        reuse: true,
        passwords: {
          admin: secrets.dbAdminPassword,
          writer: secrets.dbWriterPassword,
          reader: secrets.dbReaderPassword,
        },
        ...(opts.ports?.dbMaster === undefined ? {} : { masterPort: opts.ports.dbMaster }),
        ...(opts.ports?.dbReplica === undefined ? {} : { replicaPort: opts.ports.dbReplica }),
        log: (line) => procs.say('mariadb', line),
      })
      db = pair
      return pair
    }
    const [pair, keys] = await Promise.all([dbTask(), ensureKeys(join(dir, 'keys')), webTask()])

    const publicUrl = `http://${HOST}:${ports.nginx}`
    const publicOrigin = opts.publicOrigin === undefined ? publicUrl : new URL(opts.publicOrigin).origin
    const rpUrl = `http://${HOST}:${ports.exampleRp}`
    const rpOrigin = opts.exampleRpOrigin === undefined ? rpUrl : new URL(opts.exampleRpOrigin).origin
    const idpOrigin = `http://${HOST}:${ports.testIdp}`
    const parentShims = parentEnv.SHIMMED_PRIMARIES ?? ''
    const shims = [withIdp ? `${TEST_IDP_DOMAIN}=${idpOrigin}` : '', parentShims]
      .filter((s) => s !== '')
      .join(',')
    const shimOrigins = shims === '' ? [] : shims.split(',').map((e) => e.slice(e.indexOf('=') + 1).trim())
    const layout: StackLayout = {
      host: HOST,
      ports,
      publicUrl: publicOrigin,
      smtp: { host: HOST, port: ports.smtp },
      db: {
        master: { host: HOST, port: pair.master.port },
        replica: { host: HOST, port: pair.replica.port },
        database: pair.database,
      },
      keys,
      secretsRoot: join(dir, 'secrets'),
      distDir,
      frameSources: [...new Set(shimOrigins)],
      shimmedPrimaries: shims,
      logLevel: opts.logLevel ?? 'info',
      ...(opts.env === undefined ? {} : { extra: opts.env }),
      ...(opts.serviceEnv === undefined ? {} : { perService: opts.serviceEnv }),
    }

    const node = process.execPath
    // Node's compile cache (TypeScript stripped and compiled once) halves a service's start time.
    const compileCache = {
      NODE_COMPILE_CACHE: parentEnv.NODE_COMPILE_CACHE ?? join(tmpdir(), 'persona-node-compile-cache'),
    }
    const heartbeat = (name: StackProcess, url: string, headers?: Record<string, string>) => () =>
      waitHttp(url, Math.max(deadline, Date.now() + 30_000), procs.get(name), headers)
    envs.set('mailcatcher', {
      cmd: node,
      args: [MAILCATCHER],
      env: plainEnv(
        {
          MAILCATCHER_HOST: HOST,
          MAILCATCHER_SMTP_PORT: String(ports.smtp),
          MAILCATCHER_HTTP_PORT: String(ports.mailHttp),
        },
        parentEnv,
      ),
      ready: heartbeat('mailcatcher', `http://${HOST}:${ports.mailHttp}/api/v1/messages`),
    })
    for (const svc of present) {
      await writeSecretFiles(devSecretsDir(svc, layout), devSecretFiles(svc, secrets))
      envs.set(svc, {
        cmd: node,
        args: [serverFile(svc)],
        env: { ...serviceEnv(svc, layout, parentEnv), ...compileCache },
        ready: heartbeat(svc, `http://${HOST}:${ports[svc]}/__heartbeat__`),
      })
    }
    const nginxDir = join(dir, 'nginx')
    await mkdir(nginxDir, { recursive: true })
    const conf = renderNginxConfig({
      mode: 'local',
      listen: { address: HOST, port: ports.nginx },
      upstreams: nginxUpstreams(() => HOST, { router: ports.router, verifier: ports.verifier }),
      verifierServerName: 'verifier.localhost',
      accessLog: join(nginxDir, 'access.log'),
      errorLog: 'stderr',
      runDir: nginxDir,
      ...(opts.nginxRateLimits === undefined ? {} : { rateLimits: opts.nginxRateLimits }),
      ...(opts.nginxVerifyAllow === undefined ? {} : { verifyAllow: opts.nginxVerifyAllow }),
    })
    await writeFile(join(nginxDir, 'nginx.conf'), conf)
    envs.set('nginx', {
      cmd: nginxBin,
      args: ['-c', join(nginxDir, 'nginx.conf'), '-p', nginxDir, '-e', 'stderr'],
      env: plainEnv({}, parentEnv),
      ready: heartbeat('nginx', `${publicUrl}/__lbheartbeat__`),
    })
    if (withIdp) {
      envs.set('test-idp', {
        cmd: node,
        args: [TEST_IDP],
        env: plainEnv(
          { TEST_IDP_PORT: String(ports.testIdp), PERSONA_URL: publicOrigin, TEST_IDP_DOMAIN },
          parentEnv,
        ),
        ready: heartbeat('test-idp', `${idpOrigin}/.well-known/browserid`),
      })
    }
    if (withRp) {
      envs.set('example-rp', {
        cmd: node,
        args: [EXAMPLE_RP],
        env: plainEnv(
          {
            RP_PORT: String(ports.exampleRp),
            PERSONA_URL: publicOrigin,
            VERIFIER_URL: publicUrl,
            RP_ORIGIN: rpOrigin,
            ...compileCache,
          },
          parentEnv,
        ),
        ready: heartbeat('example-rp', `http://${HOST}:${ports.exampleRp}/`),
      })
    }

    for (const [name, spec] of envs) procs.start(name, spec.cmd, spec.args, { env: spec.env, cwd: ROOT })
    // nginx last, so it is not asked before the router answers.
    await Promise.all([...envs].filter(([n]) => n !== 'nginx').map(([, s]) => s.ready()))
    await envs.get('nginx')?.ready()
    // Through nginx: the router's deep heartbeat (reader and static) and the verifier host.
    await waitHttp(`${publicUrl}/__heartbeat__?deep=1`, deadline, procs.get('router'))

    const urls: StackUrls = {
      public: publicUrl,
      publicOrigin,
      verifierHost: 'verifier.localhost',
      mail: `http://${HOST}:${ports.mailHttp}`,
      services: Object.fromEntries(SERVICES.map((s) => [s, `http://${HOST}:${ports[s]}`])) as Record<
        ServiceName,
        string
      >,
      ...(withRp ? { exampleRp: rpUrl, exampleRpOrigin: rpOrigin } : {}),
      ...(withIdp ? { testIdp: idpOrigin } : {}),
    }
    const startupMs = Math.round(performance.now() - t0)
    const dbPair = pair
    return {
      dir,
      urls,
      ports,
      db: { master: layout.db.master, replica: layout.db.replica, masterSocket: pair.master.socket },
      keys,
      startupMs,
      envOf: (name) => {
        const spec = envs.get(name)
        if (spec === undefined) throw new Error(`no process ${name}`)
        return spec.env
      },
      pids: () => [
        ...procs.pids(),
        ...(dbPair.master.running() ? [dbPair.master.pid] : []),
        ...(dbPair.replica.running() ? [dbPair.replica.pid] : []),
      ],
      stopService: async (name) => {
        await procs.get(name)?.stop()
      },
      startService: async (name) => {
        const spec = envs.get(name)
        if (spec === undefined) throw new Error(`no process ${name}`)
        procs.start(name, spec.cmd, spec.args, { env: spec.env, cwd: ROOT })
        await spec.ready()
      },
      killDatabase: (role, signal = 'SIGKILL') => dbPair[role].kill(signal),
      tail: (name, n) => procs.get(name)?.tail(n) ?? [],
      stop,
    }
  } catch (e) {
    await stop()
    throw e
  }
}

export { REPO_DIST }
