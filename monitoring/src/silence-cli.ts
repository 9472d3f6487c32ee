// SPDX-License-Identifier: MPL-2.0
// CLI for the deploy tool and operators: `node monitoring/src/silence-cli.ts drain|lift|list CLUSTER
// [--alertmanager URL] [--reason TEXT] [--minutes N]`. Alertmanager defaults to ALERTMANAGER_URL, else
// http://127.0.0.1:${ALERTMANAGER_PORT:-9093}.
import { parseArgs } from 'node:util'
import { defaultAlertmanager, drainCluster, drainSilences, liftDrain } from './silences.ts'

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      alertmanager: { type: 'string' },
      reason: { type: 'string' },
      minutes: { type: 'string' },
    },
  })
  const [command, cluster] = positionals
  const am = values.alertmanager ?? defaultAlertmanager()
  if (command === 'list') {
    for (const s of await drainSilences(am, cluster)) process.stdout.write(`${s.id} ${s.comment}\n`)
    return
  }
  if (cluster === undefined || (command !== 'drain' && command !== 'lift')) {
    throw new Error(
      'usage: silence-cli.ts drain|lift|list CLUSTER [--alertmanager URL] [--reason TEXT] [--minutes N]',
    )
  }
  if (command === 'drain') {
    const minutes = values.minutes === undefined ? undefined : Number(values.minutes)
    if (minutes !== undefined && !(minutes > 0)) throw new Error('--minutes: a positive number')
    const id = await drainCluster(am, cluster, {
      ...(values.reason === undefined ? {} : { reason: values.reason }),
      ...(minutes === undefined ? {} : { durationMs: minutes * 60_000 }),
    })
    process.stdout.write(`silenced cluster ${cluster}: ${id}\n`)
  } else {
    process.stdout.write(`lifted ${await liftDrain(am, cluster)} drain silence(s) of cluster ${cluster}\n`)
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`)
  process.exit(1)
})
