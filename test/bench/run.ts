// SPDX-License-Identifier: MPL-2.0
// `npm run bench`: runs every test/bench/*.bench.ts in turn, each in its own Node process (so areas add
// benchmarks by adding files and one benchmark's warm caches or threads can't colour the next), and
// passes their output through. Exits non-zero if any benchmark fails.

import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const dir = fileURLToPath(new URL('.', import.meta.url))
// What the benchmarks need (wrk, vegeta, nginx, MariaDB...) is installed first when absent, saying so.
const deps = spawnSync('bash', [fileURLToPath(new URL('../../scripts/deps.sh', import.meta.url)), 'bench'], {
  stdio: 'inherit',
})
if (deps.status !== 0)
  console.log('deps: scripts/deps.sh bench failed; benchmarks that need what it installs say so')
const only = process.argv.slice(2)
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort()

if (files.length === 0) {
  console.error('no benchmarks found in test/bench/')
  process.exit(1)
}

let failed = 0
for (const file of files) {
  console.log(`\n=== ${file} ===`)
  const r = spawnSync(process.execPath, [`${dir}${file}`], { stdio: 'inherit' })
  if (r.status !== 0) {
    failed++
    console.log(`=== ${file} failed (${r.signal ?? `exit ${r.status}`}) ===`)
  }
}
console.log(`\n${files.length - failed}/${files.length} benchmarks completed`)
process.exit(failed === 0 ? 0 : 1)
