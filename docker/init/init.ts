// SPDX-License-Identifier: MPL-2.0
// The compose stack's one-shot init (no Persona original: Persona's ops did this by hand). Two phases:
//   `init.ts secrets`: makes every secret once and gives each holder (topology.ts SECRETS) only its own
//     copy, one file per variable in that holder's volume; the certifier key pair; password hashes for
//     the database master. Runs before anything else, reuses what exists.
//   `init.ts db`: once the master answers, creates the database and accounts (store bootstrap, as the
//     DBA account) and applies the migrations (as persona_admin). Idempotent on every start.
import { createHash, randomBytes } from 'node:crypto'
import { copyFile, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ensureKeys, PUBLIC_KEY_NAME } from '@persona/certifier/keygen'
import { SECRET_NAMES, SECRETS } from '@persona/kit'
import { bootstrap, DB_ACCOUNTS, DEFAULT_DB_NAME, migrateLatest, openDb } from '@persona/store'

/** Where the init container mounts each holder's secrets volume: `<ROOT>/<holder>`. */
const ROOT = process.env.PERSONA_INIT_ROOT ?? '/run/persona'
const MASTER_HOST = process.env.DB_MASTER_HOST ?? 'db-master'
/** Secrets outside the topology table, held by init and the database containers only. */
const DBA_PASSWORD = 'DB_DBA_PASSWORD'
const REPLICATION_PASSWORD = 'DB_REPLICATION_PASSWORD'
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

/** The secret kept in init's own volume, made on first use (64 hex characters). */
async function secret(env: string): Promise<string> {
  const path = join(ROOT, 'init', env)
  if (await exists(path)) return (await readFile(path, 'utf8')).trim()
  const value = randomBytes(32).toString('hex')
  await put(path, value)
  return value
}

/** MariaDB's mysql_native_password hash, so the master's setup file holds no password. */
export function nativePasswordHash(password: string): string {
  const once = createHash('sha1').update(password).digest()
  return `*${createHash('sha1').update(once).digest('hex').toUpperCase()}`
}

async function holderDir(holder: string): Promise<string> {
  const dir = join(ROOT, holder)
  if (!(await exists(dir))) throw new Error(`the secrets volume of ${holder} is not mounted at ${dir}`)
  return dir
}

async function secretsPhase(): Promise<void> {
  await mkdir(join(ROOT, 'init'), { recursive: true })
  for (const name of SECRET_NAMES) {
    const spec = SECRETS[name]
    const holders: readonly string[] = spec.holders
    // Only what init may hold; the file secret (the certifier key) is made below.
    if (!holders.includes('init') || spec.env.endsWith('_FILE')) continue
    const value = await secret(spec.env)
    for (const holder of holders) {
      if (holder !== 'init') await put(join(await holderDir(holder), spec.env), value)
    }
  }
  const dba = await secret(DBA_PASSWORD)
  const repl = await secret(REPLICATION_PASSWORD)
  await put(join(await holderDir('db-replica'), REPLICATION_PASSWORD), repl)
  await put(
    join(await holderDir('db-master'), 'accounts.sql'),
    [
      `CREATE USER IF NOT EXISTS '${DBA_ACCOUNT}'@'%' IDENTIFIED BY PASSWORD '${nativePasswordHash(dba)}';`,
      `GRANT ALL PRIVILEGES ON *.* TO '${DBA_ACCOUNT}'@'%' WITH GRANT OPTION;`,
      `CREATE USER IF NOT EXISTS 'repl'@'%' IDENTIFIED BY PASSWORD '${nativePasswordHash(repl)}';`,
      `GRANT REPLICATION SLAVE ON *.* TO 'repl'@'%';`,
      '',
    ].join('\n'),
  )
  const keys = await ensureKeys(await holderDir('certifier'))
  const pub = join(await holderDir('public'), PUBLIC_KEY_NAME)
  if (
    !(await exists(pub)) ||
    (await readFile(pub, 'utf8')) !== (await readFile(keys.publicKeyFile, 'utf8'))
  ) {
    await copyFile(keys.publicKeyFile, `${pub}.tmp`)
    await rename(`${pub}.tmp`, pub)
  }
  log('secrets and keys in place')
}

async function dbPhase(): Promise<void> {
  const dbaPassword = await secret(DBA_PASSWORD)
  const passwords = {
    admin: await secret(SECRETS.dbAdminPassword.env),
    writer: await secret(SECRETS.dbWriterPassword.env),
    reader: await secret(SECRETS.dbReaderPassword.env),
  }
  const at = { host: MASTER_HOST, port: 3306, connectTimeoutMs: 2000, queryTimeoutMs: 120000 }
  const dba = openDb('ADMIN', { ...at, user: DBA_ACCOUNT, password: dbaPassword, database: 'mysql' })
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await dba.ping()
        break
      } catch (e) {
        if (attempt >= 60) throw e
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
    database: DEFAULT_DB_NAME,
  })
  try {
    const applied = await migrateLatest(admin.knex)
    log(`database ready; migrations applied now: ${applied.length === 0 ? 'none' : applied.join(', ')}`)
  } finally {
    await admin.close()
  }
}

if (import.meta.main) {
  const phase = process.argv[2]
  const run = phase === 'secrets' ? secretsPhase : phase === 'db' ? dbPhase : undefined
  if (run === undefined) {
    process.stderr.write('usage: node docker/init/init.ts secrets|db\n')
    process.exit(2)
  }
  run().then(
    () => process.exit(0),
    (e: unknown) => {
      process.stderr.write(`init ${phase} failed: ${e instanceof Error ? e.message : String(e)}\n`)
      process.exit(1)
    },
  )
}
