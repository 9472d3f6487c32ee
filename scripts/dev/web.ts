// SPDX-License-Identifier: MPL-2.0
// Builds the web front end (services/web/build.ts, esbuild) into a dist dir for the static service.
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

export const ROOT = join(import.meta.dirname, '..', '..')
export const WEB_BUILD = join(ROOT, 'services', 'web', 'build.ts')
export const REPO_DIST = join(ROOT, 'services', 'web', 'dist')

export function haveWebBuild(): boolean {
  return existsSync(WEB_BUILD)
}

/** Runs the build with WEB_DIST_DIR=distDir; returns its last output line. */
export async function buildWeb(distDir: string): Promise<string> {
  const { stdout } = await run(process.execPath, [WEB_BUILD], {
    env: { ...process.env, WEB_DIST_DIR: distDir },
    cwd: ROOT,
    timeout: 120_000,
  })
  return stdout.trim().split('\n').pop() ?? ''
}
