// SPDX-License-Identifier: MPL-2.0
// Prints the fixed variables of a cluster stack beside the home one (persona.auto.tfvars.json: the
// dns_zone_id and the data_plane value from the outputs of the stacks applied before it), so that
// terraform and the deploy CLI pass only the variables they drive:
//   node infra/src/data-plane-cli.ts <cluster> <zone-id> > infra/cdktf.out/stacks/persona-<cluster>/persona.auto.tfvars.json
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { clusterStackName } from './app.ts'
import { CLUSTERS } from './clusters.ts'
import { dataPlaneOf, dataPlaneValue, peersOf } from './data-plane.ts'

const stacks = fileURLToPath(new URL('../cdktf.out/stacks', import.meta.url))
const [name, zoneId] = process.argv.slice(2)
const cluster = CLUSTERS.find((c) => c.name === name)
if (cluster === undefined || zoneId === undefined) {
  process.stderr.write(
    `usage: node infra/src/data-plane-cli.ts <${CLUSTERS.map((c) => c.name).join('|')}> <zone-id>\n`,
  )
  process.exit(2)
}
const dp = dataPlaneOf(CLUSTERS)
/** Where terraform is (as for the emulator: PERSONA_TERRAFORM overrides). */
const TERRAFORM = process.env.PERSONA_TERRAFORM ?? 'terraform'
/** `terraform output -json` of an applied stack, as plain values. */
const outputsOf = (c: string): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(
      JSON.parse(
        execFileSync(
          TERRAFORM,
          [`-chdir=${stacks}/${clusterStackName({ ...cluster, name: c })}`, 'output', '-json'],
          {
            encoding: 'utf8',
          },
        ),
      ) as Record<string, { value: unknown }>,
    ).map(([k, v]) => [k, v.value]),
  )
const needed = new Set([dp.home.name, ...peersOf(dp, cluster).map((p) => p.name)])
const outputs = new Map([...needed].map((c) => [c, outputsOf(c)]))
const plane = dataPlaneValue(dp, cluster, outputs)
process.stdout.write(
  `${JSON.stringify({ dns_zone_id: zoneId, ...(plane === undefined ? {} : { data_plane: plane }) }, null, 2)}\n`,
)
