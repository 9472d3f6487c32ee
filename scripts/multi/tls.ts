// SPDX-License-Identifier: MPL-2.0
// The simulation's TLS: one private CA (its certificate is what clients trust) and certificates it
// issues for the public names (nginx on every webhead and load balancer), made with the machine's openssl.
// The directory and the certificates are readable by every user (parts running as the contract's user
// trust the CA); the private keys only by root (hosts get copies owned by their user).
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chmod, mkdir, writeFile } from 'node:fs/promises'
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

async function ensureCa(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o755 })
  await chmod(dir, 0o755)
  const caFile = join(dir, 'ca.pem')
  if (existsSync(caFile) && existsSync(join(dir, 'ca.key'))) return caFile
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
  await chmod(join(dir, 'ca.key'), 0o600)
  await chmod(caFile, 0o644)
  return caFile
}

/** A certificate `<base>.pem` / `<base>.key.pem` from the CA in `dir` for DNS names and IP addresses. */
export async function ensureCert(
  dir: string,
  base: string,
  sans: { dns: readonly string[]; ip?: readonly string[] },
): Promise<{ certFile: string; keyFile: string }> {
  await ensureCa(dir)
  const certFile = join(dir, `${base}.pem`)
  const keyFile = join(dir, `${base}.key.pem`)
  if (existsSync(certFile) && existsSync(keyFile)) return { certFile, keyFile }
  const csr = `${base}.csr`
  await openssl(
    ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${sans.dns[0]}`, '-keyout', keyFile, '-out', csr],
    dir,
  )
  const alt = [...sans.dns.map((n) => `DNS:${n}`), ...(sans.ip ?? []).map((a) => `IP:${a}`)].join(',')
  await writeFile(join(dir, `${base}.ext`), `subjectAltName=${alt}\nextendedKeyUsage=serverAuth\n`)
  await openssl(
    [
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '30',
    ].concat(['-extfile', `${base}.ext`, '-out', certFile]),
    dir,
  )
  await chmod(keyFile, 0o600)
  await chmod(certFile, 0o644)
  return { certFile, keyFile }
}

/** Makes (once) the CA and the certificate for the public `names` (nginx on webheads and load balancers). */
export async function ensureTls(dir: string, names: readonly string[]): Promise<Tls> {
  const caFile = await ensureCa(dir)
  const { certFile, keyFile } = await ensureCert(dir, 'cert', { dns: names })
  return { caFile, certFile, keyFile }
}
