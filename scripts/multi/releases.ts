// SPDX-License-Identifier: MPL-2.0
// Releases for the simulation: what an image tag is in production, a directory here. A release is a
// snapshot of what the images hold (every workspace under services/, the web build, the nginx and init
// entry points under docker/ and nginx's renderer) taken from the
// working tree or from a git revision, so a deploy really swaps the code each process runs. Third-party
// packages are shared with the checkout (linked, not copied); our own workspaces resolve inside the
// release, so `@persona/kit` in release v2 is v2's kit.
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { cp, mkdir, readdir, rename, rm, symlink, writeFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { promisify } from 'node:util'
import { buildWeb, ROOT } from '../dev/web.ts'

const run = promisify(execFile)
const VERSION_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/

export function checkVersion(v: string): string {
  if (!VERSION_RE.test(v))
    throw new Error(`bad release version ${JSON.stringify(v)} (letters, digits, . _ -)`)
  return v
}

/** Besides the workspaces: the entry points of the nginx and init images, and nginx's renderer. */
const IMAGE_DIRS = ['docker', 'nginx'] as const

export const releaseDir = (releasesDir: string, version: string): string =>
  join(releasesDir, checkVersion(version))

/** The version `git describe` gives the checkout (what the images are tagged with). */
export async function describeVersion(): Promise<string> {
  try {
    const { stdout } = await run('git', ['describe', '--always', '--dirty', '--tags'], { cwd: ROOT })
    return stdout.trim().replace(/[^A-Za-z0-9._-]/g, '-')
  } catch {
    return 'dev'
  }
}

async function workspaces(from: string): Promise<string[]> {
  return (await readdir(join(from, 'services'), { withFileTypes: true }))
    .filter((d) => d.isDirectory() && existsSync(join(from, 'services', d.name, 'package.json')))
    .map((d) => d.name)
}

/** Links the checkout's third-party packages and the release's own workspaces into `dir/node_modules`. */
async function linkModules(dir: string): Promise<void> {
  const nm = join(dir, 'node_modules')
  await mkdir(join(nm, '@persona'), { recursive: true })
  for (const e of await readdir(join(ROOT, 'node_modules'), { withFileTypes: true })) {
    if (e.name === '@persona' || e.name.startsWith('.')) continue
    await symlink(join(ROOT, 'node_modules', e.name), join(nm, e.name))
  }
  for (const ws of await workspaces(dir)) {
    await symlink(relative(join(nm, '@persona'), join(dir, 'services', ws)), join(nm, '@persona', ws))
  }
}

/**
 * Makes release `version` from the working tree (or, with `rev`, from that git revision), unless it
 * exists. The web front end is built into it when the source has no build.
 */
export async function makeRelease(
  releasesDir: string,
  version: string,
  opts: { rev?: string; log?: (line: string) => void } = {},
): Promise<string> {
  const dir = releaseDir(releasesDir, version)
  if (existsSync(join(dir, '.complete'))) return dir
  const tmp = `${dir}.partial`
  await rm(tmp, { recursive: true, force: true })
  await mkdir(tmp, { recursive: true })
  if (opts.rev === undefined) {
    await cp(join(ROOT, 'package.json'), join(tmp, 'package.json'))
    for (const ws of await workspaces(ROOT)) {
      await cp(join(ROOT, 'services', ws), join(tmp, 'services', ws), {
        recursive: true,
        filter: (src) => !/\/(node_modules|test)(\/|$)/.test(src.slice(ROOT.length)),
      })
    }
    for (const d of IMAGE_DIRS) await cp(join(ROOT, d), join(tmp, d), { recursive: true })
  } else {
    const archive = join(tmp, 'src.tar')
    await run(
      'git',
      ['archive', '--format=tar', '-o', archive, opts.rev, 'package.json', 'services', ...IMAGE_DIRS],
      { cwd: ROOT },
    )
    await run('tar', ['-xf', archive, '-C', tmp])
    await rm(archive)
  }
  await linkModules(tmp)
  const dist = join(tmp, 'services', 'web', 'dist')
  if (!existsSync(join(dist, 'pages.json'))) {
    const src = join(ROOT, 'services', 'web', 'dist')
    if (opts.rev === undefined && existsSync(join(src, 'pages.json')))
      await cp(src, dist, { recursive: true })
    else opts.log?.(await buildWeb(dist))
  }
  await writeFile(join(tmp, '.complete'), `${version}\n`)
  await rm(dir, { recursive: true, force: true })
  await rename(tmp, dir)
  return dir
}
