// SPDX-License-Identifier: MPL-2.0
// docker-compose.yml as Compose itself reads it: `docker compose config` (or docker-compose 1.29's) with
// the given override files and environment, parsed, with the two CLIs' output forms made one (ports
// and volumes as short strings). Also the sample environment a real host's override is rendered with.
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { parse } from 'yaml'

const run = promisify(execFile)
export const ROOT = join(import.meta.dirname, '../..')

export type Obj = Record<string, unknown>
export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Compose v2 as a docker plugin when present, else docker-compose 1.29. */
export async function composeCli(): Promise<string[]> {
  try {
    await run('docker', ['compose', 'version'], { timeout: 20_000 })
    return ['docker', 'compose']
  } catch {
    return ['docker-compose']
  }
}

/** The files of a real host: the base and the production override. */
export const PRODUCTION_FILES = ['docker-compose.yml', 'docker-compose.production.yml'] as const

/** .env.example's variables with values a test can use (a TLS dir and relay that exist in the test). */
export function productionEnv(over: Readonly<Record<string, string>> = {}): Record<string, string> {
  return {
    PERSONA_REGISTRY: 'registry.example.com/persona',
    PERSONA_VERSION: 'v1.0.0',
    PERSONA_HOSTNAME: 'login.example.com',
    PERSONA_VERIFIER_HOSTNAME: 'verifier.login.example.com',
    PERSONA_PUBLIC_URL: 'https://login.example.com',
    PERSONA_TLS_DIR: '/etc/persona/tls',
    PERSONA_SMTP_HOST: 'smtp.example.com',
    PERSONA_SMTP_PORT: '587',
    PERSONA_SMTP_SECURE: 'false',
    PERSONA_EMAIL_FROM: 'Persona <no-reply@example.com>',
    ...over,
  }
}

export interface ComposeConfig {
  readonly services: Readonly<Record<string, Obj>>
  readonly networks: Readonly<Record<string, Obj>>
  readonly volumes: Readonly<Record<string, Obj>>
}

/**
 * `compose -f ... config` with exactly `env` (plus PATH/HOME) as its environment.
 * @throws {Error} with Compose's message when the files do not render
 */
export async function composeConfig(
  files: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<ComposeConfig> {
  const [cmd = 'docker-compose', ...pre] = await composeCli()
  const args = [...pre, ...files.flatMap((f) => ['-f', join(ROOT, f)]), '--project-directory', ROOT, 'config']
  let stdout: string
  try {
    ;({ stdout } = await run(cmd, args, {
      cwd: ROOT,
      timeout: 60_000,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env },
    }))
  } catch (e) {
    const stderr = isObj(e) && typeof e.stderr === 'string' ? e.stderr : String(e)
    throw new Error(`compose config ${files.join(' ')}: ${stderr.trim()}`)
  }
  const doc: unknown = parse(stdout)
  if (!isObj(doc) || !isObj(doc.services)) throw new Error('compose config printed no services')
  const obj = (v: unknown): Record<string, Obj> =>
    isObj(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, isObj(x) ? x : {}])) : {}
  return { services: obj(doc.services), networks: obj(doc.networks), volumes: obj(doc.volumes) }
}

export function strings(v: unknown): string[] {
  if (v === undefined || v === null) return []
  if (Array.isArray(v)) return v.map(String)
  if (isObj(v)) return Object.keys(v)
  return [String(v)]
}

/** Published ports as `host_ip:published:target` (short syntax, protocol dropped). */
export function portsOf(s: Obj): string[] {
  const ports = Array.isArray(s.ports) ? s.ports : []
  return ports.map((p: unknown) => {
    if (isObj(p)) return `${String(p.host_ip ?? '0.0.0.0')}:${String(p.published)}:${String(p.target)}`
    return String(p).replace(/\/tcp$/, '')
  })
}

export interface Mount {
  readonly source: string
  readonly target: string
  readonly readOnly: boolean
  readonly kind: 'volume' | 'bind'
}

/** Mounts of a service, both CLIs' forms. */
export function mountsOf(s: Obj): Mount[] {
  const vols = Array.isArray(s.volumes) ? s.volumes : []
  return vols.map((v: unknown): Mount => {
    if (isObj(v)) {
      return {
        source: String(v.source ?? ''),
        target: String(v.target ?? ''),
        readOnly: v.read_only === true,
        kind: v.type === 'bind' ? 'bind' : 'volume',
      }
    }
    const [source = '', target = '', mode = ''] = String(v).split(':')
    return {
      source,
      target,
      readOnly: mode.split(',').includes('ro'),
      kind: source.startsWith('/') ? 'bind' : 'volume',
    }
  })
}

/** A service's environment as a map (values as strings). */
export function environmentOf(s: Obj): Record<string, string> {
  const env = s.environment
  if (isObj(env))
    return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]))
  const out: Record<string, string> = {}
  for (const e of strings(env)) {
    const i = e.indexOf('=')
    if (i > 0) out[e.slice(0, i)] = e.slice(i + 1)
  }
  return out
}

export function networksOf(s: Obj): string[] {
  return strings(s.networks)
}
