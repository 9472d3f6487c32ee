// SPDX-License-Identifier: MPL-2.0
// The mysqld exporters' database account where a local stack runs monitoring (`MONITOR=1 make dev`,
// `make multi`): its password (topology secret dbMonitorPassword) made once into the monitoring
// directory (mode 0600, `dev-` so a production start refuses it), the account made on the master by the
// store's bootstrap as root through the master's socket; replication carries it to the replicas.
import { randomBytes } from 'node:crypto'
import { mkdir, open, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { DEV_SECRET_PREFIX, SECRETS } from '@persona/kit'
import { monitorAccount } from '@persona/store/bootstrap'
import { rootKnex } from '@persona/store/launcher'

/** The password kept in `dir`, made on first use. */
export async function monitorPassword(dir: string): Promise<string> {
  const file = join(dir, SECRETS.dbMonitorPassword.env)
  try {
    return (await readFile(file, 'utf8')).trim()
  } catch (e) {
    if (!(e instanceof Error && 'code' in e && e.code === 'ENOENT')) throw e
  }
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const password = `${DEV_SECRET_PREFIX}${randomBytes(24).toString('base64url')}`
  const fh = await open(file, 'wx', 0o600)
  try {
    await fh.writeFile(`${password}\n`)
  } finally {
    await fh.close()
  }
  return password
}

/** Makes (or re-passwords) persona_monitor on the master behind `masterSocket`; returns its password. */
export async function ensureMonitorAccount(dir: string, masterSocket: string): Promise<string> {
  const password = await monitorPassword(dir)
  const root = rootKnex(masterSocket)
  try {
    await monitorAccount(root, password)
  } finally {
    await root.destroy()
  }
  return password
}
