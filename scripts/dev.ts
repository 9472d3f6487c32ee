// SPDX-License-Identifier: MPL-2.0
// `make dev`: all of Persona on this machine (MariaDB master + replica, mail catcher, the seven
// services, nginx on http://127.0.0.1:8080, the example relying site and test IdP), state in .dev/
// (kept across restarts; `make clean-dev` wipes it). Ctrl-C or SIGTERM stops everything it started.
// Port overrides (to run beside another stack): NGINX_PORT, ROUTER_PORT ... PROXY_PORT,
// MAILCATCHER_SMTP_PORT, MAILCATCHER_HTTP_PORT, RP_PORT, TEST_IDP_PORT, DB_MASTER_PORT, DB_REPLICA_PORT.
// Also read: LOG_LEVEL, BCRYPT_ROUNDS, SHIMMED_PRIMARIES (extra domain=origin pairs for the proxy),
// PERSONA_DEV_DIR (state dir, default .dev), WEB_DIST_DIR (web build output, default services/web/dist),
// NGINX_VERIFY_RATE (/verify requests per second per client address; 0 or unset: no limit) and
// NGINX_VERIFY_ALLOW (addresses or CIDRs, space or comma separated, that the limit skips).
// MONITOR=1 also starts Prometheus, Alertmanager and the blackbox exporter (monitoring/src/dev.ts).
import { join } from 'node:path'
import { SERVICE_SPECS, SERVICES } from '@persona/kit'
import { startDevMonitoring } from '../monitoring/src/dev.ts'
import { verifyLimit } from '../nginx/render.ts'
import { REPO_DIST, type Stack, type StackOptions, startStack } from './dev/stack.ts'
import { ROOT } from './dev/web.ts'

function portFrom(name: string): number | undefined {
  const v = process.env[name]
  if (v === undefined || v === '') return undefined
  const n = Number(v)
  if (!Number.isInteger(n) || n <= 0 || n > 65535) {
    process.stderr.write(`make dev: ${name}=${v} is not a port\n`)
    process.exit(2)
  }
  return n
}

function definedOnly(o: Record<string, number | undefined>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).filter((e): e is [string, number] => e[1] !== undefined))
}

const ports = definedOnly({
  nginx: portFrom('NGINX_PORT'),
  smtp: portFrom('MAILCATCHER_SMTP_PORT'),
  mailHttp: portFrom('MAILCATCHER_HTTP_PORT'),
  exampleRp: portFrom('RP_PORT'),
  testIdp: portFrom('TEST_IDP_PORT'),
  dbMaster: portFrom('DB_MASTER_PORT'),
  dbReplica: portFrom('DB_REPLICA_PORT'),
  ...Object.fromEntries(SERVICES.map((s) => [s, portFrom(SERVICE_SPECS[s].portEnv)])),
})
const extraEnv: Record<string, string> = {}
if (process.env.BCRYPT_ROUNDS) extraEnv.BCRYPT_ROUNDS = process.env.BCRYPT_ROUNDS

let verifyRate: ReturnType<typeof verifyLimit> | undefined
try {
  const v = process.env.NGINX_VERIFY_RATE
  verifyRate = v === undefined || v === '' ? undefined : verifyLimit(v)
} catch (e) {
  process.stderr.write(`make dev: ${e instanceof Error ? e.message : e}\n`)
  process.exit(2)
}
const verifyAllow = (process.env.NGINX_VERIFY_ALLOW ?? '').split(/[\s,]+/).filter(Boolean)

const opts: StackOptions = {
  dir: process.env.PERSONA_DEV_DIR || join(ROOT, '.dev'),
  ports,
  freePorts: false,
  echo: true,
  web: 'always',
  distDir: process.env.WEB_DIST_DIR || REPO_DIST,
  logLevel: process.env.LOG_LEVEL ?? 'info',
  env: extraEnv,
  ...(verifyRate === undefined ? {} : { nginxRateLimits: { verify: verifyRate } }),
  ...(verifyAllow.length === 0 ? {} : { nginxVerifyAllow: verifyAllow }),
}

let stack: Stack | undefined
let stopMonitoring: (() => Promise<void>) | undefined
let stopping = false
const onSignal = (sig: NodeJS.Signals) => {
  if (stack === undefined || stopping) {
    // During start-up, or a second Ctrl-C: exit now; the exit hooks kill every process group.
    process.stdout.write(`\n[dev]        ${sig}: stopping now\n`)
    process.exit(130)
  }
  stopping = true
  process.stdout.write(`\n[dev]        ${sig}: stopping every process (Ctrl-C again to force)\n`)
  const running = stack
  Promise.resolve(stopMonitoring?.())
    .then(() => running.stop())
    .then(
      () => {
        process.stdout.write('[dev]        stopped\n')
        process.exit(0)
      },
      (e: unknown) => {
        process.stderr.write(`[dev]        stop failed: ${e instanceof Error ? e.message : String(e)}\n`)
        process.exit(1)
      },
    )
}
process.on('SIGINT', onSignal)
process.on('SIGTERM', onSignal)
process.on('SIGHUP', onSignal)

const monitorLines: string[] = []
try {
  stack = await startStack(opts)
  if (process.env.MONITOR === '1') {
    const m = await startDevMonitoring(stack)
    stopMonitoring = m.monitoring.stop
    monitorLines.push(...m.lines)
  }
} catch (e) {
  await stack?.stop()
  process.stderr.write(`\nmake dev: ${e instanceof Error ? e.message : String(e)}\n`)
  process.exit(1)
}
const u = stack.urls
process.stdout.write(
  [
    '',
    `  Persona is ready at ${u.public}  (started in ${(stack.startupMs / 1000).toFixed(1)} s)`,
    `  verifier:        ${u.public}/verify  (or http://${u.verifierHost}:${stack.ports.nginx}/verify)`,
    ...(u.exampleRp ? [`  example site:    ${u.exampleRp}`] : []),
    ...(u.testIdp ? [`  test IdP:        ${u.testIdp}  (addresses @idp.test)`] : []),
    `  mail catcher:    ${u.mail}/api/v1/messages`,
    ...monitorLines,
    `  state and logs:  ${stack.dir}  (make clean-dev wipes it)`,
    '',
    '',
  ].join('\n'),
)
