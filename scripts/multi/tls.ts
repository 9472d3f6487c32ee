// SPDX-License-Identifier: MPL-2.0
// The simulation's TLS: one private CA (its certificate is what clients trust) and certificates it
// issues for the public names (nginx on every webhead and load balancer), made with the machine's openssl.
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

export interface Tls {
  readonly caFile: string
  readonly certFile: string
  readonly keyFile: string
}

async function openssl(args: string[], cwd: string): Promise<void> {
  try {
    await run('openssl', args, { cwd })
  } catch (e) {
    const err = e instanceof Error && 'stderr' in e ? String(e.stderr).trim() : String(e)
    throw new Error(`openssl ${args[0]}: ${err}`)
  }
}

/** Makes (once) the CA and one certificate for `names` in `dir`. */
export async function ensureTls(dir: string, names: readonly string[]): Promise<Tls> {
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const caFile = join(dir, 'ca.pem')
  const certFile = join(dir, 'cert.pem')
  const keyFile = join(dir, 'key.pem')
  if (existsSync(caFile) && existsSync(certFile) && existsSync(keyFile)) return { caFile, certFile, keyFile }
  await openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '30',
      '-subj',
      '/CN=Persona simulation CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
    ],
    dir,
  )
  await openssl(
    [
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      `/CN=${names[0]}`,
      '-keyout',
      'key.pem',
      '-out',
      'req.csr',
    ],
    dir,
  )
  await writeFile(
    join(dir, 'ext.cnf'),
    `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}\nextendedKeyUsage=serverAuth\n`,
  )
  await openssl(
    [
      'x509',
      '-req',
      '-in',
      'req.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '30',
      '-extfile',
      'ext.cnf',
      '-out',
      'cert.pem',
    ],
    dir,
  )
  return { caFile, certFile, keyFile }
}
