// SPDX-License-Identifier: MPL-2.0
// The protocol core stays pure: every file under services/browserid/src may import only node:crypto,
// node:buffer, node-jose (through one wrapper file) or relative files, and touches no process
// environment, wall clock or Math.random.

import assert from 'node:assert/strict'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

const SRC = fileURLToPath(new URL('../src/', import.meta.url))
const ALLOWED = new Set(['node:crypto', 'node:buffer'])
const JOSE_WRAPPER = 'jose-wrapper.ts'
const FORBIDDEN_GLOBALS = [
  /\bprocess\s*\./,
  /\bDate\.now\s*\(/,
  /\bnew\s+Date\s*\(/,
  /\bMath\.random\s*\(/,
  /\bfetch\s*\(/,
  /\brequire\s*\(/,
]

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : []
  })
}

function specifiers(source: string): string[] {
  const out: string[] = []
  const re =
    /\b(?:import|export)\s[^'"]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]?([^'")]+)/g
  for (const m of source.matchAll(re)) out.push(m[1] ?? m[2] ?? m[3] ?? '')
  return out
}

test('src has files to check', () => {
  assert.ok(walk(SRC).length >= 5)
})

test('the scanner catches impure imports', () => {
  assert.deepEqual(specifiers("import fs from 'node:fs'\nexport { x } from './y.ts'\nimport('net')"), [
    'node:fs',
    './y.ts',
    'net',
  ])
})

for (const file of walk(SRC)) {
  const rel = file.slice(SRC.length)
  test(`${rel} is pure`, () => {
    const source = readFileSync(file, 'utf8')
    for (const spec of specifiers(source)) {
      const ok =
        ALLOWED.has(spec) ||
        spec.startsWith('./') ||
        spec.startsWith('../') ||
        (spec === 'node-jose' && rel === JOSE_WRAPPER)
      assert.ok(ok, `${rel} imports '${spec}'`)
    }
    for (const re of FORBIDDEN_GLOBALS) assert.ok(!re.test(source), `${rel} uses ${re}`)
  })
}
