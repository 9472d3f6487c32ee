// SPDX-License-Identifier: MPL-2.0
// `make monitoring-render`: writes the generated files that are kept in the repository for operators
// and other tools: the rule file (monitoring/rules/persona.rules.yml) and the Grafana dashboards
// (monitoring/dashboards/*.json). A test fails when a checked-in copy differs from its source.
import { writeFileSync } from 'node:fs'
import { GENERATED_FILES } from './generated.ts'

for (const [path, render] of Object.entries(GENERATED_FILES)) {
  writeFileSync(path, render())
  process.stdout.write(`wrote ${path}\n`)
}
