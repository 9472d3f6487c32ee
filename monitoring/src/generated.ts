// SPDX-License-Identifier: MPL-2.0
// The files rendered from monitoring/src and kept in the repository, each with its renderer: the rule
// file, the Grafana dashboards, the README's alert table, and the configs of compose's monitoring images.
import { fileURLToPath } from 'node:url'
import { COMPOSE_FILES } from './compose.ts'
import { DASHBOARDS, renderDashboard } from './dashboards.ts'
import { renderRules } from './rules.ts'
import { renderReadme } from './runbook.ts'

const here = (p: string) => fileURLToPath(new URL(`../${p}`, import.meta.url))

export const RULES_FILE = here('rules/persona.rules.yml')
export const README_FILE = here('../README.md')

/** The Helm chart's copy of the rules (its PrometheusRule; a chart reads only files inside it). */
export const CHART_RULES_FILE = here('../charts/persona/files/persona.rules.yml')

export const GENERATED_FILES: Readonly<Record<string, () => string>> = {
  [RULES_FILE]: renderRules,
  [CHART_RULES_FILE]: renderRules,
  [README_FILE]: () => renderReadme(README_FILE),
  ...COMPOSE_FILES,
  ...Object.fromEntries(DASHBOARDS.map((d) => [here(`dashboards/${d.uid}.json`), () => renderDashboard(d)])),
}
