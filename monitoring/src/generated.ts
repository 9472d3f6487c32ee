// SPDX-License-Identifier: MPL-2.0
// The files rendered from monitoring/src and kept in the repository, each with its renderer.
import { fileURLToPath } from 'node:url'
import { renderRules } from './rules.ts'

const here = (p: string) => fileURLToPath(new URL(`../${p}`, import.meta.url))

export const RULES_FILE = here('rules/persona.rules.yml')

export const GENERATED_FILES: Readonly<Record<string, () => string>> = {
  [RULES_FILE]: renderRules,
}
