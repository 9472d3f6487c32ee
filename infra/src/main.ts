// SPDX-License-Identifier: MPL-2.0
// `make infra`: synthesizes every stack into infra/cdktf.out (what `cdktf synth` would do), without
// the cdktf CLI. Then: cd infra/cdktf.out/stacks/<stack> && terraform init && terraform plan.
import { fileURLToPath } from 'node:url'
import { synth } from './app.ts'

const outdir = fileURLToPath(new URL('../cdktf.out', import.meta.url))
const stacks = synth({ outdir })
process.stdout.write(`synthesized ${stacks.join(', ')} into ${outdir}/stacks\n`)
