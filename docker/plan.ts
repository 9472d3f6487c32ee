// SPDX-License-Identifier: MPL-2.0
// Image planner, run inside `docker build`: from each image's entry file, follows the imports to find
// the files and the workspace packages that process needs; after the one shared `npm ci --omit=dev`,
// copies out per image only the production packages those workspaces depend on. So every runtime image
// carries its own sources and dependencies only, and no hand-kept list can go stale.
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { isBuiltin } from 'node:module'
import { dirname, join, relative, resolve } from 'node:path'

/** Image target -> entry file (relative to the repository root). */
export const TARGETS: Readonly<Record<string, string>> = {
  router: 'services/router/src/server.ts',
  static: 'services/static/src/server.ts',
  reader: 'services/reader/src/server.ts',
  writer: 'services/writer/src/server.ts',
  certifier: 'services/certifier/src/server.ts',
  verifier: 'services/verifier/src/server.ts',
  proxy: 'services/proxy/src/server.ts',
  mailcatcher: 'test/fixtures/mailcatcher/server.ts',
  'example-rp': 'test/fixtures/example-rp/server.ts',
  init: 'docker/init/init.ts',
  nginx: 'docker/nginx/start.ts',
  'alert-receiver': 'monitoring/src/receiver.ts',
}

interface Workspace {
  readonly name: string
  readonly dir: string
}

/** Every workspace from the root package.json: its package name and folder. */
export function workspaces(root: string): Workspace[] {
  const pkg: unknown = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  const dirs = pkg !== null && typeof pkg === 'object' && 'workspaces' in pkg ? pkg.workspaces : []
  const out: Workspace[] = []
  for (const dir of Array.isArray(dirs) ? dirs : []) {
    if (typeof dir !== 'string') continue
    const file = join(root, dir, 'package.json')
    if (!existsSync(file)) continue
    const wp: unknown = JSON.parse(readFileSync(file, 'utf8'))
    if (wp !== null && typeof wp === 'object' && 'name' in wp && typeof wp.name === 'string') {
      out.push({ name: wp.name, dir })
    }
  }
  return out
}

/** Module specifiers imported by a TypeScript/JavaScript source (static, dynamic, side-effect, re-export). */
export function importsOf(source: string): string[] {
  const specs = new Set<string>()
  const patterns = [
    /\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /new\s+URL\(\s*['"](\.[^'"]+)['"]\s*,\s*import\.meta\.url\s*\)/g,
  ]
  for (const re of patterns) for (const m of source.matchAll(re)) if (m[1] !== undefined) specs.add(m[1])
  return [...specs]
}

export interface Plan {
  /** Files to copy (repository-relative), sources reached by imports plus whole `src` of packages used. */
  readonly files: string[]
  /** Workspace folders whose production dependencies the image needs (`npm ci -w`). */
  readonly workspaces: string[]
  /**
   * Workspaces of which only some files come, imported by subpath (`@persona/proxy/client`): the
   * image gets those files, their package.json and the package link, not the package's code or
   * dependencies (what the files import by name is in `packages`).
   */
  readonly borrowed: string[]
  /** npm packages the reached files import by name (declared by their workspace or merely hoisted). */
  readonly packages: string[]
  readonly missingEntry: boolean
}

/** `pkg` of `pkg/sub` or `@scope/pkg` of `@scope/pkg/sub`; undefined for builtins and relative paths. */
export function packageName(spec: string): string | undefined {
  if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:') || isBuiltin(spec))
    return undefined
  const parts = spec.split('/')
  const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]
  return name !== undefined && /^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/.test(name) ? name : undefined
}

function listTree(root: string, dir: string, out: Set<string>): void {
  for (const name of readdirSync(join(root, dir))) {
    const rel = join(dir, name)
    const st = statSync(join(root, rel))
    if (st.isDirectory()) {
      if (name !== 'test' && name !== 'node_modules') listTree(root, rel, out)
    } else if (!/\.test\.ts$/.test(name)) out.add(rel)
  }
}

/** Follows imports from `entry` and returns what its image needs. */
export function plan(root: string, entry: string): Plan {
  const ws = workspaces(root)
  const files = new Set<string>()
  const used = new Set<string>()
  const packages = new Set<string>()
  const borrowed = new Set<string>()
  if (!existsSync(join(root, entry)))
    return { files: [], workspaces: [], borrowed: [], packages: [], missingEntry: true }
  const ownerOf = (rel: string): Workspace | undefined =>
    ws.find((w) => rel === w.dir || rel.startsWith(`${w.dir}/`))
  const queue = [entry]
  const seen = new Set<string>()
  while (queue.length > 0) {
    const rel = queue.pop()
    if (rel === undefined || seen.has(rel)) continue
    seen.add(rel)
    files.add(rel)
    const owner = ownerOf(rel)
    if (owner !== undefined && !borrowed.has(owner.dir)) used.add(owner.dir)
    if (!/\.(ts|js|mjs)$/.test(rel)) continue
    for (const spec of importsOf(readFileSync(join(root, rel), 'utf8'))) {
      if (spec.startsWith('.')) {
        const target = relative(root, resolve(root, dirname(rel), spec))
        if (existsSync(join(root, target)) && statSync(join(root, target)).isFile()) queue.push(target)
        continue
      }
      const m = /^(@persona\/[^/]+)(?:\/(.+))?$/.exec(spec)
      if (m === null) {
        const name = packageName(spec)
        if (name !== undefined) packages.add(name)
        continue
      }
      const w = ws.find((x) => x.name === m[1])
      if (w === undefined) continue
      // A subpath of another package (its client, say) brings that file and what it imports, only.
      const sub = m[2] === undefined ? undefined : join(w.dir, 'src', `${m[2]}.ts`)
      if (sub !== undefined && !used.has(w.dir) && existsSync(join(root, sub))) {
        borrowed.add(w.dir)
        queue.push(sub)
        continue
      }
      if (!seen.has(`${w.dir}/src`)) {
        // A package used by name comes whole (its src/ without tests): workers, migrations, assets.
        seen.add(`${w.dir}/src`)
        used.add(w.dir)
        const tree = new Set<string>()
        if (existsSync(join(root, w.dir, 'src'))) listTree(root, join(w.dir, 'src'), tree)
        for (const f of tree) queue.push(f)
      }
    }
  }
  for (const dir of used) borrowed.delete(dir)
  for (const dir of [...used, ...borrowed]) files.add(join(dir, 'package.json'))
  return {
    files: [...files].sort(),
    workspaces: [...used].sort(),
    borrowed: [...borrowed].sort(),
    packages: [...packages].sort(),
    missingEntry: false,
  }
}

/** The package.json of `dir`, as a plain object (empty when absent or malformed). */
function packageJson(dir: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? { ...v } : {}
  } catch {
    return {}
  }
}

function depNames(dir: string): string[] {
  const pj = packageJson(dir)
  const names: string[] = []
  for (const key of ['dependencies', 'optionalDependencies', 'peerDependencies']) {
    const deps = pj[key]
    if (deps !== null && typeof deps === 'object') names.push(...Object.keys(deps))
  }
  return names
}

/** Node's lookup: `<dir>/node_modules/<name>`, then each parent's, up to `app`. */
function resolvePackage(app: string, from: string, name: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name)
    if (existsSync(join(candidate, 'package.json'))) return candidate
    if (dir === app || dir === dirname(dir)) return undefined
  }
}

/**
 * The installed packages (paths relative to `app`) the given workspaces need at run time: their
 * dependencies, optional and peer ones that are installed, and so on down; workspace links excluded.
 */
export function dependencyClosure(
  app: string,
  workspaceDirs: readonly string[],
  imported: readonly string[] = [],
): string[] {
  const found = new Set<string>()
  const queue: [string, string][] = []
  for (const ws of workspaceDirs) for (const n of depNames(join(app, ws))) queue.push([join(app, ws), n])
  // Imported by name without being declared (hoisting made it work in the repository): include it too.
  // (A name the import scan found in a string, not an import, is not installed: say so and go on.)
  for (const n of imported) {
    if (resolvePackage(app, app, n) === undefined)
      process.stderr.write(`deps: ${n} imported but not installed\n`)
    else queue.push([app, n])
  }
  while (queue.length > 0) {
    const next = queue.pop()
    if (next === undefined) break
    const path = resolvePackage(app, next[0], next[1])
    if (path === undefined) continue // an optional or peer dependency that is not installed
    const rel = relative(app, path)
    if (found.has(rel) || lstatSync(path).isSymbolicLink()) continue
    found.add(rel)
    for (const n of depNames(path)) queue.push([path, n])
  }
  return [...found].sort()
}

/** Native prebuilds for other platforms (node-gyp-build layout) are dead weight in a linux image. */
const OTHER_PREBUILD = new RegExp(`/prebuilds/(?!linux-${process.arch})[^/]+$`)

/** What to copy of a package: not its nested node_modules (copied on their own if needed). */
function keep(pkg: string, src: string): boolean {
  const nested = join(pkg, 'node_modules')
  return src !== nested && !src.startsWith(`${nested}/`) && !OTHER_PREBUILD.test(src)
}

/** Writes `<out>/node_modules` (and nested ones) holding only the closure, plus the workspace links. */
function copyDependencies(
  app: string,
  workspaceDirs: readonly string[],
  imported: readonly string[],
  out: string,
): number {
  const closure = dependencyClosure(app, workspaceDirs, imported)
  mkdirSync(join(out, 'node_modules'), { recursive: true })
  for (const rel of closure) {
    const from = join(app, rel)
    cpSync(from, join(out, rel), {
      recursive: true,
      verbatimSymlinks: true,
      filter: (src) => keep(from, src),
    })
  }
  for (const ws of workspaceDirs) {
    const name = packageJson(join(app, ws)).name
    if (typeof name !== 'string') continue
    const link = join(out, 'node_modules', name)
    mkdirSync(dirname(link), { recursive: true })
    symlinkSync(relative(dirname(link), join(out, ws)), link)
  }
  return closure.length
}

/**
 * CLI, inside `docker build`:
 * - `node docker/plan.ts plan <root> <out>` writes, per target, `<out>/<target>/` (its files),
 *   `<out>/lists/<target>` (its workspace folders, one a line, then `npm:<name>` per imported package) and `<out>/manifests/` (package.json
 *   files and the lock: the only input of the dependency layer, so it survives source edits);
 * - `node docker/plan.ts deps <app> <lists> <out>`: after one `npm ci --omit=dev` in `<app>`, writes
 *   `<out>/<target>/` with only that target's production packages.
 */
function planAll(root: string, out: string): void {
  mkdirSync(join(out, 'manifests'), { recursive: true })
  mkdirSync(join(out, 'lists'), { recursive: true })
  cpSync(join(root, 'package.json'), join(out, 'manifests/package.json'))
  cpSync(join(root, 'package-lock.json'), join(out, 'manifests/package-lock.json'))
  for (const w of workspaces(root)) {
    mkdirSync(join(out, 'manifests', w.dir), { recursive: true })
    cpSync(join(root, w.dir, 'package.json'), join(out, 'manifests', w.dir, 'package.json'))
  }
  for (const [target, entry] of Object.entries(TARGETS)) {
    const p = plan(root, entry)
    if (p.missingEntry) throw new Error(`plan: ${target}: entry ${entry} not found`)
    mkdirSync(join(out, target), { recursive: true })
    for (const f of p.files) {
      mkdirSync(dirname(join(out, target, f)), { recursive: true })
      cpSync(join(root, f), join(out, target, f))
    }
    // A borrowed package is linked here, beside its files: the dependency layer links workspaces only.
    for (const dir of p.borrowed) {
      const name = packageJson(join(root, dir)).name
      if (typeof name !== 'string') continue
      const link = join(out, target, 'node_modules', name)
      mkdirSync(dirname(link), { recursive: true })
      symlinkSync(relative(dirname(link), join(out, target, dir)), link)
    }
    const lines = [...p.workspaces, ...p.packages.map((n) => `npm:${n}`)]
    writeFileSync(join(out, 'lists', target), lines.map((l) => `${l}\n`).join(''))
    process.stdout.write(`plan: ${target}: ${p.files.length} files, workspaces ${p.workspaces.join(' ')}\n`)
  }
}

function depsAll(app: string, lists: string, out: string): void {
  for (const target of readdirSync(lists)) {
    const lines = readFileSync(join(lists, target), 'utf8')
      .split('\n')
      .filter((l) => l !== '')
    const dirs = lines.filter((l) => !l.startsWith('npm:'))
    const imported = lines.filter((l) => l.startsWith('npm:')).map((l) => l.slice(4))
    const n = copyDependencies(app, dirs, imported, join(out, target))
    process.stdout.write(`deps: ${target}: ${n} packages\n`)
  }
}

if (import.meta.main) {
  const [cmd, a, b, c] = process.argv.slice(2)
  if (cmd === 'plan' && a !== undefined && b !== undefined) planAll(a, b)
  else if (cmd === 'deps' && a !== undefined && b !== undefined && c !== undefined) depsAll(a, b, c)
  else {
    process.stderr.write('usage: node docker/plan.ts plan <root> <out> | deps <app> <lists> <out>\n')
    process.exit(2)
  }
}
