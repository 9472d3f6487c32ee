// SPDX-License-Identifier: MPL-2.0
// Image planner, run inside `docker build`: from each image's entry file, follows the imports to find
// the files and the workspace packages that process needs, so every runtime image carries only those
// sources and `npm ci -w` installs only their production dependencies. No hand-kept lists to go stale.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
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
  'nginx-render': 'nginx/render.ts',
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
  readonly missingEntry: boolean
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
  if (!existsSync(join(root, entry))) return { files: [], workspaces: [], missingEntry: true }
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
    if (owner !== undefined) used.add(owner.dir)
    if (!/\.(ts|js|mjs)$/.test(rel)) continue
    for (const spec of importsOf(readFileSync(join(root, rel), 'utf8'))) {
      if (spec.startsWith('.')) {
        const target = relative(root, resolve(root, dirname(rel), spec))
        if (existsSync(join(root, target)) && statSync(join(root, target)).isFile()) queue.push(target)
        continue
      }
      const m = /^(@persona\/[^/]+)(?:\/(.+))?$/.exec(spec)
      if (m === null) continue
      const w = ws.find((x) => x.name === m[1])
      if (w === undefined) continue
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
  for (const dir of used) files.add(join(dir, 'package.json'))
  return { files: [...files].sort(), workspaces: [...used].sort(), missingEntry: false }
}

/**
 * CLI: `node docker/plan.ts <root> <out>` writes, per target, `<out>/<target>/` (its files),
 * `<out>/<target>.workspaces` (`-w dir` arguments for npm ci) and `<out>/manifests/` (package.json files
 * and the lock, the only input of the dependency layers).
 */
function main(root: string, out: string): void {
  mkdirSync(join(out, 'manifests'), { recursive: true })
  cpSync(join(root, 'package.json'), join(out, 'manifests/package.json'))
  cpSync(join(root, 'package-lock.json'), join(out, 'manifests/package-lock.json'))
  for (const w of workspaces(root)) {
    mkdirSync(join(out, 'manifests', w.dir), { recursive: true })
    cpSync(join(root, w.dir, 'package.json'), join(out, 'manifests', w.dir, 'package.json'))
  }
  for (const [target, entry] of Object.entries(TARGETS)) {
    const p = plan(root, entry)
    if (p.missingEntry) process.stderr.write(`plan: ${target}: entry ${entry} not found (image left empty)\n`)
    mkdirSync(join(out, target), { recursive: true })
    for (const f of p.files) {
      mkdirSync(dirname(join(out, target, f)), { recursive: true })
      cpSync(join(root, f), join(out, target, f))
    }
    writeFileSync(join(out, `${target}.workspaces`), p.workspaces.map((w) => `-w ${w}`).join(' '))
    process.stdout.write(`plan: ${target}: ${p.files.length} files, workspaces ${p.workspaces.join(' ')}\n`)
  }
}

if (import.meta.main) {
  const [root, out] = process.argv.slice(2)
  if (root === undefined || out === undefined) {
    process.stderr.write('usage: node docker/plan.ts <repo-root> <out-dir>\n')
    process.exit(2)
  }
  main(root, out)
}
