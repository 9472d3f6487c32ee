// SPDX-License-Identifier: MPL-2.0
// The one-shot init job (no Persona original: Persona's ops did this by hand), the same on every target:
//   `init.ts secrets`: under PERSONA_INIT_ROOT, one directory per holder (topology SECRETS holders:
//     reader, writer, certifier, db-master, db-replica, and init's own), plus `public` (the public key)
//     and `provided` (secrets made outside Persona: the mail relay's account, when the operator gives
//     one). Makes every secret init holds once (kept in init's own directory, reused on every run) and
//     gives each holder only its own, one file per secret named like its variable; the certifier key
//     pair; the master's first-start SQL with password hashes only. Compose runs it on volumes; an EC2
//     init host runs it on a tmpfs filled from and emptied into Secrets Manager.
//   `init.ts db`: once the master answers, creates the database and accounts (store bootstrap, as the
//     DBA account) and applies the migrations (as persona_admin). Idempotent.
//   `init.ts ses-smtp-password REGION < secret-access-key`: the SES SMTP password of an IAM key.
//   `init.ts k8s-keys`: the Helm chart's key setup, the key pair as Kubernetes Secrets (k8s-keys.ts).
import { createHash, createHmac, randomBytes } from 'node:crypto'
import { copyFile, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ensureKeys, PUBLIC_KEY_NAME } from '@persona/certifier/keygen'
import { isMonitoringPart, loadConfig, SECRET_NAMES, SECRETS, type SecretName } from '@persona/kit'
import { bootstrap, DB_ACCOUNTS, migrateLatest, openDb, REPLICATION_ACCOUNT } from '@persona/store'
import { type InitEnv, InitEnvSchema } from './env.ts'
import { K8sKeysEnvSchema, k8sKeys } from './k8s-keys.ts'

const DBA_ACCOUNT = 'persona_dba'

function log(line: string): void {
  process.stdout.write(`init: ${line}\n`)
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch {
    return false
  }
}

/** Writes `text` to `path` (mode 0400) unless it already holds exactly that. */
async function put(path: string, text: string): Promise<void> {
  if ((await exists(path)) && (await readFile(path, 'utf8')) === text) return
  const tmp = `${path}.tmp`
  await writeFile(tmp, text, { mode: 0o400 })
  await rename(tmp, path)
}

/** MariaDB's mysql_native_password hash, so the master's setup file holds no password. */
export function nativePasswordHash(password: string): string {
  const once = createHash('sha1').update(password).digest()
  return `*${createHash('sha1').update(once).digest('hex').toUpperCase()}`
}

/** The master's first-start SQL: the DBA and replication accounts, by password hash only. */
export function accountsSql(dbaPassword: string, replicationPassword: string): string {
  return [
    `CREATE USER IF NOT EXISTS '${DBA_ACCOUNT}'@'%' IDENTIFIED BY PASSWORD '${nativePasswordHash(dbaPassword)}';`,
    `GRANT ALL PRIVILEGES ON *.* TO '${DBA_ACCOUNT}'@'%' WITH GRANT OPTION;`,
    `CREATE USER IF NOT EXISTS '${REPLICATION_ACCOUNT}'@'%' IDENTIFIED BY PASSWORD '${nativePasswordHash(replicationPassword)}';`,
    `GRANT REPLICATION SLAVE ON *.* TO '${REPLICATION_ACCOUNT}'@'%';`,
    '',
  ].join('\n')
}

/**
 * SES's SMTP password for an IAM secret access key (AWS's documented derivation, version 4): the
 * writer's relay account on AWS is an IAM user whose key init turns into SMTP credentials.
 */
export function sesSmtpPassword(secretAccessKey: string, region: string): string {
  const sign = (key: Buffer, msg: string) => createHmac('sha256', key).update(msg, 'utf8').digest()
  let sig = sign(Buffer.from(`AWS4${secretAccessKey}`, 'utf8'), '11111111')
  for (const part of [region, 'ses', 'aws4_request', 'SendRawEmail']) sig = sign(sig, part)
  return Buffer.concat([Buffer.from([0x04]), sig]).toString('base64')
}

class Init {
  readonly root: string
  readonly own: string

  constructor(env: InitEnv) {
    this.root = env.PERSONA_INIT_ROOT
    this.own = env.PERSONA_SECRETS_DIR ?? join(env.PERSONA_INIT_ROOT, 'init')
  }

  async holderDir(holder: string): Promise<string> {
    const dir = join(this.root, holder)
    if (!(await exists(dir))) throw new Error(`the secrets directory of ${holder} is not mounted at ${dir}`)
    return dir
  }

  /** A secret init holds, from its own directory; made on first use (64 hex characters) unless provided. */
  async secret(name: SecretName): Promise<string | undefined> {
    const env = SECRETS[name].env
    const path = join(this.own, env)
    if (await exists(path)) return (await readFile(path, 'utf8')).trim()
    let value: string
    if ('provided' in SECRETS[name]) {
      const given = join(this.root, 'provided', env)
      // Absent, or empty (compose mounts /dev/null when the relay wants no account): none.
      if (!(await exists(given))) return undefined
      value = (await readFile(given, 'utf8')).trim()
      if (value === '') return undefined
    } else if (name === 'dbAccountsSql') {
      const dba = await this.secret('dbDbaPassword')
      const repl = await this.secret('dbReplicationPassword')
      if (dba === undefined || repl === undefined) throw new Error('no DBA or replication password')
      value = accountsSql(dba, repl)
    } else {
      value = randomBytes(32).toString('hex')
    }
    await put(path, value)
    return value
  }

  async secrets(): Promise<void> {
    await mkdir(this.own, { recursive: true, mode: 0o700 })
    const given: string[] = []
    for (const name of SECRET_NAMES) {
      const spec = SECRETS[name]
      const holders: readonly string[] = spec.holders
      // Only what init holds; the file secret (the certifier key) is made below.
      if (!holders.includes('init') || spec.form !== 'value') continue
      const value = await this.secret(name)
      if (value === undefined) continue
      for (const holder of holders) {
        if (holder === 'init') continue
        // Monitoring is optional: a deployment without the mysqld exporter mounts no directory for it.
        if (isMonitoringPart(holder) && !(await exists(join(this.root, holder)))) continue
        await put(join(await this.holderDir(holder), spec.env), value)
        given.push(`${holder}:${spec.env}`)
      }
    }
    const keys = await ensureKeys(await this.holderDir('certifier'))
    const pub = join(await this.holderDir('public'), PUBLIC_KEY_NAME)
    if (
      !(await exists(pub)) ||
      (await readFile(pub, 'utf8')) !== (await readFile(keys.publicKeyFile, 'utf8'))
    ) {
      await copyFile(keys.publicKeyFile, `${pub}.tmp`)
      await rename(`${pub}.tmp`, pub)
    }
    log(
      `secrets and keys in place (${given.length} files for ${new Set(given.map((g) => g.split(':')[0])).size} holders)`,
    )
  }

  async db(env: InitEnv): Promise<void> {
    const need = async (name: SecretName): Promise<string> => {
      const v = await this.secret(name)
      if (v === undefined) throw new Error(`${SECRETS[name].env} is missing`)
      return v
    }
    const dbaPassword = await need('dbDbaPassword')
    // The monitoring account, where init made its password (the chart's job is given none).
    const monitorFile = join(this.own, SECRETS.dbMonitorPassword.env)
    const monitor = (await exists(monitorFile)) ? (await readFile(monitorFile, 'utf8')).trim() : ''
    const passwords = {
      admin: await need('dbAdminPassword'),
      writer: await need('dbWriterPassword'),
      reader: await need('dbReaderPassword'),
      ...(monitor === '' ? {} : { monitor }),
    }
    const at = {
      host: env.DB_MASTER_HOST,
      port: env.DB_MASTER_PORT,
      connectTimeoutMs: 2000,
      queryTimeoutMs: 120000,
    }
    const dba = openDb('ADMIN', { ...at, user: env.DB_DBA_USER, password: dbaPassword, database: 'mysql' })
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          await dba.ping()
          break
        } catch (e) {
          if (attempt >= 300) throw e
          if (attempt % 15 === 1) log(`waiting for the master at ${env.DB_MASTER_HOST}:${env.DB_MASTER_PORT}`)
          await new Promise((r) => setTimeout(r, 1000))
        }
      }
      await bootstrap(dba.knex, passwords)
    } finally {
      await dba.close()
    }
    const admin = openDb('ADMIN', {
      ...at,
      user: DB_ACCOUNTS.ADMIN,
      password: passwords.admin,
      database: env.DB_NAME,
    })
    try {
      const applied = await migrateLatest(admin.knex)
      log(`database ready; migrations applied now: ${applied.length === 0 ? 'none' : applied.join(', ')}`)
    } finally {
      await admin.close()
    }
  }
}

async function stdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const c of process.stdin) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)))
  return Buffer.concat(chunks).toString('utf8').trim()
}

async function main(argv: string[]): Promise<void> {
  const env = loadConfig(InitEnvSchema)
  const init = new Init(env)
  switch (argv[0]) {
    case 'secrets':
      return init.secrets()
    case 'db':
      return init.db(env)
    case 'ses-smtp-password': {
      const region = argv[1]
      if (region === undefined) throw new Error('ses-smtp-password needs the region')
      process.stdout.write(`${sesSmtpPassword(await stdin(), region)}\n`)
      return
    }
    case 'k8s-keys':
      log(await k8sKeys(loadConfig(K8sKeysEnvSchema)))
      return
    default:
      throw new Error('usage: node docker/init/init.ts secrets|db|ses-smtp-password REGION|k8s-keys')
  }
}

if (import.meta.main) {
  main(process.argv.slice(2)).then(
    () => process.exit(0),
    (e: unknown) => {
      process.stderr.write(
        `init ${process.argv[2] ?? ''} failed: ${e instanceof Error ? e.message : String(e)}\n`,
      )
      process.exit(1)
    },
  )
}
