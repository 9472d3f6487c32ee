// SPDX-License-Identifier: MPL-2.0
// Dev secrets, generated once into `<dir>/secrets.json` (mode 0600) and reused on every start, so the
// databases made on the first run keep accepting the same passwords. Values start with
// DEV_SECRET_PREFIX (`dev-`) so a production start refuses them (kit defineServiceConfig). Each service
// gets its own as files (writeSecretFiles), as every deployment target delivers them.
import { randomBytes } from 'node:crypto'
import { chmod, mkdir, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { DEV_SECRET_PREFIX } from '@persona/kit'
import type { DevSecrets } from './env.ts'

function fresh(): DevSecrets {
  const make = () => `${DEV_SECRET_PREFIX}${randomBytes(24).toString('base64url')}`
  return {
    dbAdminPassword: make(),
    dbWriterPassword: make(),
    dbReaderPassword: make(),
    sessionSecret: `${DEV_SECRET_PREFIX}${randomBytes(32).toString('base64url')}`,
    writerToken: make(),
    certifierToken: make(),
  }
}

function parse(text: string, file: string): DevSecrets {
  const raw: unknown = JSON.parse(text)
  if (typeof raw !== 'object' || raw === null) throw new Error(`${file}: not an object`)
  const get = (k: string): string => {
    const v: unknown = Object.getOwnPropertyDescriptor(raw, k)?.value
    if (typeof v !== 'string' || v.length < 16)
      throw new Error(`${file}: ${k} missing (make clean-dev resets)`)
    return v
  }
  return {
    dbAdminPassword: get('dbAdminPassword'),
    dbWriterPassword: get('dbWriterPassword'),
    dbReaderPassword: get('dbReaderPassword'),
    sessionSecret: get('sessionSecret'),
    writerToken: get('writerToken'),
    certifierToken: get('certifierToken'),
  }
}

/** Reads the secrets file, creating it (0600) on first use. */
export async function ensureDevSecrets(file: string): Promise<{ secrets: DevSecrets; created: boolean }> {
  try {
    const secrets = parse(await readFile(file, 'utf8'), file)
    await chmod(file, 0o600)
    return { secrets, created: false }
  } catch (e) {
    if (!(e instanceof Error && 'code' in e && e.code === 'ENOENT')) throw e
  }
  const secrets = fresh()
  const fh = await open(file, 'wx', 0o600)
  try {
    await fh.writeFile(`${JSON.stringify(secrets, null, 2)}\n`)
  } finally {
    await fh.close()
  }
  return { secrets, created: true }
}

/**
 * Makes `dir` (0700) hold exactly `files` (each 0600): stale files of an older layout are removed, so a
 * service never finds a secret the topology no longer lets it hold.
 */
export async function writeSecretFiles(dir: string, files: Readonly<Record<string, string>>): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 })
  await chmod(dir, 0o700)
  for (const name of await readdir(dir)) {
    if (!(name in files)) await rm(join(dir, name), { force: true })
  }
  for (const [name, value] of Object.entries(files)) {
    const tmp = join(dir, `.${name}.tmp`)
    await writeFile(tmp, `${value}\n`, { mode: 0o600 })
    await rename(tmp, join(dir, name))
  }
}
