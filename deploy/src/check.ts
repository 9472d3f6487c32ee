// SPDX-License-Identifier: MPL-2.0
// Checks what a render gives a part against the part's own config schema and the contract: every
// variable known to the schema, no secret as an env value, the secrets present as files, the schema
// loading (exactly as the part would at start), and the site's wiring as the contract renders it.
// Each problem is one line naming the render, the part and the variable.
import { loadConfig, SECRET_NAMES, SECRETS } from '@persona/kit'
import { type PartName, PLATFORM_ENV, PUBLIC_KEY_FILE_NAME, RUNTIME_ENV, secretFilesOf } from './parts.ts'
import { PART_SCHEMAS } from './schemas.ts'

export interface RenderedPart {
  /** The env the render sets for the part (compose environment, Helm env, env files, ...). */
  readonly env: Readonly<Record<string, string>>
  /** What the image sets (merged under `env` for the load; never counted as unknown). */
  readonly imageEnv?: Readonly<Record<string, string>>
  /** File names the render puts in the part's secrets directory. */
  readonly secretFiles: readonly string[]
  /** The contract's env for this site (partEnv): each must be given, with this value. */
  readonly expected?: Readonly<Record<string, string>>
}

const SECRET_ENVS = new Set<string>(SECRET_NAMES.map((s) => SECRETS[s].env))

/** A value the schema accepts for a secret delivered as a file (the check never sees real secrets). */
const SAMPLE_SECRET = 'sample-secret-value-for-the-contract-check-0123456789abcdef'

/** Every problem with what `render` gives `part`; [] when the part would start as the contract says. */
export function checkPart(render: string, part: PartName, r: RenderedPart): string[] {
  const at = `${render}: ${part}:`
  const problems: string[] = []
  const schema = PART_SCHEMAS[part]
  const declared = new Set(Object.keys(schema.properties))
  for (const name of Object.keys(r.env)) {
    if (SECRET_ENVS.has(name) && !name.endsWith('_FILE')) {
      problems.push(`${at} secret ${name} is given as an env value (secrets are files)`)
    } else if (!declared.has(name) && !RUNTIME_ENV.includes(name) && !PLATFORM_ENV.includes(name)) {
      problems.push(`${at} unknown variable ${name} (${part} does not read it)`)
    }
  }
  const wanted = secretFilesOf(part)
  // init makes the secrets (it need not keep each), and a provided one (the relay's account) is optional.
  for (const s of wanted) {
    if (part === 'init' || 'provided' in SECRETS[s.secret]) continue
    if (!r.secretFiles.includes(s.file)) problems.push(`${at} missing secret file ${s.file} (${s.secret})`)
  }
  for (const f of r.secretFiles) {
    if (f === PUBLIC_KEY_FILE_NAME) continue // the certifier's public half, made beside its key
    if (!wanted.some((s) => s.file === f)) problems.push(`${at} secret file ${f} it may not hold`)
  }
  for (const [name, value] of Object.entries(r.expected ?? {})) {
    const got = r.env[name] ?? r.imageEnv?.[name]
    if (got === undefined) problems.push(`${at} missing variable ${name} (the contract sets ${value})`)
    else if (got !== value) problems.push(`${at} variable ${name} is ${got}, the contract says ${value}`)
  }
  const env: Record<string, string> = { ...r.imageEnv, ...r.env }
  for (const s of wanted) if (s.via === 'dir' && r.secretFiles.includes(s.file)) env[s.env] = SAMPLE_SECRET
  try {
    loadConfig(schema, env)
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e)
    const missing = [...msg.matchAll(/required property '([^']+)'/g)].map((m) => m[1])
    const bad = [...msg.matchAll(/\/([A-Z][A-Z0-9_]*) /g)].map((m) => m[1])
    const names = [...new Set([...missing, ...bad])]
    problems.push(
      names.length > 0
        ? `${at} ${missing.length > 0 ? 'missing' : 'bad'} variable ${names.join(', ')} (${msg})`
        : `${at} ${msg}`,
    )
  }
  return problems
}
