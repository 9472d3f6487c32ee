// SPDX-License-Identifier: MPL-2.0
// Dev secrets, generated once into `<dir>/secrets.json` (mode 0600) and reused on every start, so the
// databases made on the first run keep accepting the same passwords. Values start with
// DEV_SECRET_PREFIX (`dev-`) so a production start refuses them (kit defineServiceConfig).
import { randomBytes } from 'node:crypto'
import { chmod, open, readFile } from 'node:fs/promises'
import { DEV_SECRET_PREFIX } from '@persona/kit'
import type { DevSecrets } from './env.ts'

export const DEV_SECRET_KEYS = [
  'dbAdminPassword',
  'dbWriterPassword',
  'dbReaderPassword',
  'sessionSecret',
  'writerToken',
  'certifierToken',
] as const satisfies readonly (keyof DevSecrets)[]

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
