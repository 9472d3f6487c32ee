// SPDX-License-Identifier: MPL-2.0
// Secrets arrive as files, never as env values: one file per secret in the directory named by
// PERSONA_SECRETS_DIR, named like its variable (WRITER_TOKEN, SESSION_SECRET, ...), mounted read-only
// for the one process that holds it (compose volume, Kubernetes Secret volume, tmpfs on an EC2 host).
// Only the secrets the topology lets the service hold are read; a variable already set wins (tests).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { SECRETS, type SecretHolder, secretsOf } from './topology.ts'

type Env = Readonly<Record<string, string | undefined>>

/** The env var naming the directory of the process's secret files. */
export const SECRETS_DIR_ENV = 'PERSONA_SECRETS_DIR'

/**
 * `env` with each value secret `holder` holds filled from `<PERSONA_SECRETS_DIR>/<VARIABLE>` when that
 * file exists (one trailing newline dropped). Without PERSONA_SECRETS_DIR, `env` as it is.
 * @throws {Error} when a secret file exists but cannot be read, or is empty (one line naming the file)
 */
export function withSecretFiles(holder: SecretHolder, env: Env): Env {
  const dir = env[SECRETS_DIR_ENV]
  if (dir === undefined || dir === '') return env
  const out: Record<string, string | undefined> = { ...env }
  for (const name of secretsOf(holder)) {
    const spec = SECRETS[name]
    if (spec.form !== 'value' || out[spec.env] !== undefined) continue
    const file = join(dir, spec.env)
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch (e) {
      if (e instanceof Error && 'code' in e && e.code === 'ENOENT') continue
      throw new Error(`secret file ${file} cannot be read (${e instanceof Error ? e.message : String(e)})`)
    }
    const value = text.replace(/\r?\n$/, '')
    if (value === '') throw new Error(`secret file ${file} is empty`)
    out[spec.env] = value
  }
  return out
}
